package dev.pixelguard.io;

import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateFileTest {
  @TempDir Path dir;

  @Test
  void roundTripsWithModelPathsRelativeToTheFile() throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    Path gateDir = Files.createDirectories(dir.resolve("gates"));
    GateSpec spec = new GateSpec(List.of(new GateSpec.Member(models.resolve("a.onnx").toString(), 2.5),
        new GateSpec.Member("builtin:fashion-cnn", Double.NaN)), List.of("median:2", "jpeg:75"),
        new Gate.Settings(Gate.Fusion.MAJORITY, true, 0.75, 0.4, Fallback.ABSTAIN), "abstain", 7,
        Map.of("coverage", 0.9));
    Path file = gateDir.resolve("gate.json");
    GateFile.write(spec, file);
    String text = Files.readString(file);
    assertTrue(text.contains("\"location\" : \"../models/a.onnx\""), text);
    GateSpec back = GateFile.read(file);
    assertEquals(models.resolve("a.onnx").toString(), back.models().get(0).location());
    assertEquals(2.5, back.models().get(0).temperature());
    assertEquals("builtin:fashion-cnn", back.models().get(1).location());
    assertTrue(Double.isNaN(back.models().get(1).temperature()));
    assertEquals(spec.views(), back.views());
    assertEquals(spec.settings(), back.settings());
    assertEquals(7, back.seed());
    assertEquals(0.9, ((Number) back.fitted().get("coverage")).doubleValue());
  }

  @Test
  void refusesWhatItCannotMeanInOneLine() throws Exception {
    Path f = dir.resolve("g.json");
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"minConfidance\": 0.9}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage()
        .contains("unknown key 'minConfidance'"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"minConfidence\": \"high\"}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage()
        .contains("minConfidence must be a number"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"views\": [\"sharpen:2\"]}");
    assertThrows(InputException.class, () -> GateFile.read(f));
    Files.writeString(f, "{\"schema\": 2, \"models\": [\"a.onnx\"]}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage().contains("schema"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [{\"location\": \"a.onnx\", \"temperature\": -1}]}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage().contains("temperature"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"fusion\": \"vote\"}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage().contains("unknown fusion"));
  }

  @Test
  void framesViewsRoundTripAndAreRefusedInOneLineWhenTheyCannotMeanAnything() throws Exception {
    GateSpec spec = new GateSpec(List.of(new GateSpec.Member("builtin:fashion-cnn", 1.5),
        new GateSpec.Member("builtin:fashion-cnn", 2)), List.of("impulse:0.3"),
        List.of(new GateSpec.FrameView(0, null), GateSpec.FrameView.parse("1:impulse:0.3")),
        new Gate.Settings(Gate.Fusion.PRODUCT, false, 0.9, Double.POSITIVE_INFINITY, Fallback.ABSTAIN), "abstain", 1,
        Map.of());
    assertEquals("impulse:0.3", spec.frameViews().get(1).transform());
    assertEquals("1:impulse:0.3", spec.frameViews().get(1).describe());
    Path file = dir.resolve("frames.json");
    GateFile.write(spec, file);
    String text = Files.readString(file);
    assertTrue(text.contains("\"frameViews\""), text);
    GateSpec back = GateFile.read(file);
    assertEquals(spec.frameViews(), back.frameViews());
    // a gate without frame views writes no key, so older readers still read it
    Path plain = dir.resolve("plain.json");
    GateFile.write(new GateSpec(spec.models(), spec.views(), spec.settings(), "abstain", 1, Map.of()), plain);
    assertTrue(!Files.readString(plain).contains("frameViews"));
    assertEquals(List.of(), GateFile.read(plain).frameViews());
    Path f = dir.resolve("bad.json");
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"frameViews\": [{\"model\": 1}]}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage()
        .contains("names model 1 but the gate has 1 model(s)"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"frameViews\": [0]}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage()
        .contains("every frame view is an object"));
    Files.writeString(f, "{\"schema\": 1, \"models\": [\"a.onnx\"], \"frameViews\": [{\"model\": 0, "
        + "\"view\": \"median:2\"}]}");
    assertTrue(assertThrows(InputException.class, () -> GateFile.read(f)).getMessage()
        .contains("unknown key 'view' in a frame view"));
    assertThrows(InputException.class, () -> GateSpec.FrameView.parse("first"));
    assertThrows(InputException.class, () -> GateSpec.FrameView.parse("0:sharpen:2"));
  }
}
