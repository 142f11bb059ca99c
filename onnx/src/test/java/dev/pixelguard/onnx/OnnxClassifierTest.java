package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxClassifierTest extends Resnet20Fixture {
  @Test
  void readsShapeAndClassCountFromTheModel() {
    assertEquals(3, model.info().channels());
    assertEquals(32, model.info().height());
    assertEquals(32, model.info().width());
    assertEquals(10, model.info().numClasses());
  }

  @Test
  void resnet20ClassifiesTheFixtureAtItsPublishedAccuracy() {
    assertEquals(932, cifar.size());
    int correct = 0;
    for (int from = 0; from < cifar.size(); from += 400) {
      List<LabeledImage> part = cifar.images().subList(from, Math.min(cifar.size(), from + 400));
      List<Image> ims = new ArrayList<>();
      part.forEach(li -> ims.add(li.image()));
      Scores s = model.classify(ImageBatch.of(ims));
      assertTrue(s.hasLogits(), "the output named 'logits' is read as logits");
      for (int i = 0; i < part.size(); i++) {
        float sum = 0;
        for (int k = 0; k < 10; k++) {
          sum += s.probability(i, k);
        }
        assertEquals(1f, sum, 1e-4f);
        if (s.top(i) == part.get(i).label()) {
          correct++;
        }
      }
    }
    assertEquals(854, correct, "fixtures.json: 854 of 932 (91.63%)");
  }

  /**
   * A gate opens its models with one engine thread each (GateSpec.ENGINE_THREADS) where a plain evaluation uses
   * one per core; an image's outcome must not depend on it. Both fixture networks, every fixture image, in batches
   * of 400 and of 37: the same probabilities bit for bit with one intra-op thread and with two.
   */
  @Test
  void intraOpThreadsDoNotChangeAnyScore() {
    List<Image> ims = new ArrayList<>();
    cifar.images().forEach(li -> ims.add(li.image()));
    for (Path file : List.of(Fixtures.resnetOnnx(), Fixtures.resnet32Onnx())) {
      try (OnnxClassifier one = OnnxClassifier.load(file, ModelSpec.DEFAULT, 1);
          OnnxClassifier two = OnnxClassifier.load(file, ModelSpec.DEFAULT, 2)) {
        for (int size : new int[] {400, 37}) {
          for (int from = 0; from < ims.size(); from += size) {
            ImageBatch part = ImageBatch.of(ims.subList(from, Math.min(ims.size(), from + size)));
            Scores a = one.classify(part);
            Scores b = two.classify(part);
            for (int i = 0; i < part.size(); i++) {
              assertArrayEquals(a.probabilities(i), b.probabilities(i), file.getFileName() + ", image " + (from + i));
            }
          }
        }
      }
    }
  }

  @Test
  void rejectsImagesOfTheWrongSize() {
    Image small = new Image(1, 28, 28, new byte[28 * 28]);
    InputException e = assertThrows(InputException.class, () -> model.classify(ImageBatch.of(List.of(small))));
    assertTrue(e.getMessage().contains("28x28 grayscale") && e.getMessage().contains("32x32 RGB"), e.getMessage());
  }

  @Test
  void treatingLogitsAsProbabilitiesIsRejectedClearly() {
    try (OnnxClassifier wrong = OnnxClassifier.load(Fixtures.resnetOnnx(),
        ModelSpec.DEFAULT.withOutput(OutputKind.PROBABILITIES))) {
      InputException e = assertThrows(InputException.class,
          () -> wrong.classify(ImageBatch.of(List.of(cifar.get(0).image()))));
      assertTrue(e.getMessage().contains("not a probability distribution"), e.getMessage());
    }
  }

  @Test
  void wrongClassNamesCountIsRejected() {
    InputException e = assertThrows(InputException.class, () -> OnnxClassifier.load(Fixtures.resnetOnnx(),
        ModelSpec.DEFAULT.withClassNames(List.of("a", "b", "c"))));
    assertTrue(e.getMessage().contains("10 classes but 3 class names"), e.getMessage());
  }

  @Test
  void missingAndCorruptModelFilesAreInputErrors(@TempDir Path dir) throws Exception {
    assertThrows(InputException.class, () -> OnnxClassifier.load(dir.resolve("nope.onnx"), ModelSpec.DEFAULT));
    Path corrupt = dir.resolve("corrupt.onnx");
    byte[] real = Files.readAllBytes(Fixtures.resnetOnnx());
    Files.write(corrupt, java.util.Arrays.copyOf(real, 5000));
    InputException e = assertThrows(InputException.class, () -> OnnxClassifier.load(corrupt, ModelSpec.DEFAULT));
    assertTrue(e.getMessage().startsWith("cannot load ONNX model"), e.getMessage());
  }

  @Test
  void nhwcAndByteRangeDescriptorsAreApplied() {
    // Same model, declared as taking [0,255] with a divide-by-255 "std": identical scores.
    float[] s255 = {255f, 255f, 255f};
    ModelSpec scaled = ModelSpec.DEFAULT.withRange(dev.pixelguard.model.ValueRange.BYTE)
        .withNormalization(new float[] {0, 0, 0}, s255);
    try (OnnxClassifier m = OnnxClassifier.load(Fixtures.resnetOnnx(), scaled)) {
      ImageBatch b = ImageBatch.of(List.of(cifar.get(3).image(), cifar.get(4).image()));
      Scores a = model.classify(b);
      Scores c = m.classify(b);
      for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 10; k++) {
          assertEquals(a.logit(i, k), c.logit(i, k), 1e-4f);
        }
      }
    }
  }
}
