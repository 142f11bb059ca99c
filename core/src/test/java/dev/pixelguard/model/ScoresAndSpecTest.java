package dev.pixelguard.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresAndSpecTest {
  @Test
  void softmaxOfKnownLogits() {
    Scores s = Scores.fromLogits(new float[][] {{0f, (float) Math.log(3)}});
    assertEquals(0.25f, s.probability(0, 0), 1e-7f);
    assertEquals(0.75f, s.probability(0, 1), 1e-7f);
    assertEquals(1, s.top(0));
    assertEquals(Math.log(0.25), s.logProbability(0, 0), 1e-7);
  }

  @Test
  void nonFiniteOutputIsRejected() {
    InputException e = assertThrows(InputException.class, () -> Scores.fromLogits(new float[][] {{1f, Float.NaN}}));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertThrows(InputException.class, () -> Scores.fromProbabilities(new float[][] {{0.5f, 0.6f}}));
  }

  @Test
  void codecChecksOutputShapeAndDetectsTheOutputKind() {
    ModelInfo info = new ModelInfo(1, 2, 2, 3, List.of(), "m");
    TensorCodec auto = new TensorCodec(ModelSpec.DEFAULT, info, "output_0");
    Scores p = auto.decode(new long[] {1, 3}, new float[] {0.2f, 0.3f, 0.5f}, 1);
    assertEquals(OutputKind.PROBABILITIES, auto.outputKind());
    assertEquals(0.5f, p.probability(0, 2));
    TensorCodec auto2 = new TensorCodec(ModelSpec.DEFAULT, info, null);
    auto2.decode(new long[] {1, 3}, new float[] {2f, -1f, 0f}, 1);
    assertEquals(OutputKind.LOGITS, auto2.outputKind());
    assertEquals(OutputKind.LOGITS, new TensorCodec(ModelSpec.DEFAULT, info, "logits").outputKind());
    InputException e = assertThrows(InputException.class, () -> auto.decode(new long[] {1, 4}, new float[4], 1));
    assertTrue(e.getMessage().contains("expected [1, 3]"), e.getMessage());
    e = assertThrows(InputException.class, () -> auto.decode(new long[] {1, 3, 1}, new float[3], 1));
    assertTrue(e.getMessage().contains("rank 3"), e.getMessage());
  }

  @Test
  void codecAppliesRangeNormalisationAndLayout() {
    ModelInfo info = new ModelInfo(3, 1, 2, 2, List.of(), "m");
    // Pixels (x=0): r=255,g=0,b=51; (x=1): r=0,g=255,b=102.
    Image im = new Image(3, 1, 2, new byte[] {(byte) 255, 0, 0, (byte) 255, 51, 102});
    ModelSpec spec = ModelSpec.DEFAULT.withLayout(InputLayout.NHWC).withRange(ValueRange.BYTE)
        .withNormalization(new float[] {0f, 0f, 51f}, new float[] {255f, 1f, 51f});
    FloatBuffer fb = new TensorCodec(spec, info, null).encode(ImageBatch.of(List.of(im)));
    float[] v = new float[fb.remaining()];
    fb.get(v);
    assertArrayEquals(new float[] {1f, 0f, 0f, 0f, 255f, 1f}, v, 1e-5f);
    assertArrayEquals(new long[] {1, 1, 2, 3}, new TensorCodec(spec, info, null).inputShape(1));
  }

  @Test
  void readsADescriptorFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.onnx.json");
    Files.writeString(f, "{ // comment\n \"layout\": \"nhwc\", \"range\": \"0-255\", \"mean\": [1,2,3], \"std\": [4,5,6],"
        + " \"output\": \"probabilities\", \"classes\": [\"a\",\"b\"], \"input\": [3, 8, 9] }");
    ModelSpec s = ModelSpec.read(f);
    assertEquals(InputLayout.NHWC, s.layout());
    assertEquals(ValueRange.BYTE, s.range());
    assertArrayEquals(new float[] {1, 2, 3}, s.mean());
    assertEquals(OutputKind.PROBABILITIES, s.output());
    assertEquals(List.of("a", "b"), s.classNames());
    assertArrayEquals(new int[] {3, 8, 9}, s.inputShape());
    Files.writeString(f, "{\"layout\": \"CHWN\"}");
    InputException e = assertThrows(InputException.class, () -> ModelSpec.read(f));
    assertTrue(e.getMessage().contains("unknown layout"), e.getMessage());
  }

  @Test
  void aDescriptorCarriesAPositiveFiniteTemperature(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.onnx.json");
    Files.writeString(f, "{\"range\": \"unit\", \"temperature\": 2.35}");
    ModelSpec s = ModelSpec.read(f);
    assertEquals(2.35, s.temperature());
    assertEquals(ValueRange.UNIT, s.range());
    assertEquals(null, ModelSpec.DEFAULT.temperature());
    assertEquals(s, ModelSpec.DEFAULT.withTemperature(2.35));
    assertTrue(!s.equals(ModelSpec.DEFAULT), "the temperature is part of the descriptor");
    assertEquals(2.35, s.withRange(ValueRange.BYTE).withLayout(InputLayout.NHWC).temperature(), "kept by withers");
    for (String bad : new String[] {"0", "-1.5", "\"2\"", "[2]", "1e999"}) {
      Files.writeString(f, "{\"temperature\": " + bad + "}");
      InputException e = assertThrows(InputException.class, () -> ModelSpec.read(f), bad);
      assertTrue(e.getMessage().startsWith("model descriptor " + f + ": temperature must be a"), e.getMessage());
      assertEquals(1, e.getMessage().lines().count());
    }
    Files.writeString(f, "{\"temprature\": 2}");
    InputException e = assertThrows(InputException.class, () -> ModelSpec.read(f));
    assertTrue(e.getMessage().contains("unknown key 'temprature'") && e.getMessage().endsWith("input, temperature"),
        e.getMessage());
  }

  @Test
  void classesByNameOrNumber() {
    ModelInfo info = new ModelInfo(3, 32, 32, 3, List.of("cat", "dog", "ship"), "m");
    assertEquals(1, info.classIndex("Dog"));
    assertEquals(2, info.classIndex("2"));
    InputException e = assertThrows(InputException.class, () -> info.classIndex("zebra"));
    assertTrue(e.getMessage().contains("unknown class 'zebra'"), e.getMessage());
  }
}
