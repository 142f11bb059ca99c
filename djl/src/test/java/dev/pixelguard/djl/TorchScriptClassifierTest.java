package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.BatchChecks;
import dev.pixelguard.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class TorchScriptClassifierTest {
  static final ModelSpec CIFAR = ModelSpec.DEFAULT.withInputShape(new int[] {3, 32, 32});

  @Test
  void torchScriptAndOnnxGiveTheSameProbabilitiesOnAllFixtureImages() {
    Dataset cifar = Fixtures.cifar();
    try (TorchScriptClassifier ts = TorchScriptClassifier.load(Fixtures.resnetTorchScript(), CIFAR);
        OnnxClassifier onnx = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT)) {
      assertEquals(10, ts.info().numClasses());
      List<Scores> a = CleanPass.score(ts, cifar, 400);
      List<Scores> b = CleanPass.score(onnx, cifar, 400);
      double maxDiff = 0;
      int correct = 0;
      for (int i = 0; i < cifar.size(); i++) {
        for (int k = 0; k < 10; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(a.get(i).probability(0, k) - b.get(i).probability(0, k)));
        }
        if (a.get(i).top(0) == cifar.get(i).label()) {
          correct++;
        }
      }
      assertTrue(maxDiff < 1e-4, "max probability difference " + maxDiff);
      assertEquals(854, correct, "91.63% on the 932 fixture images");
    }
  }

  @Test
  void aLargeBatchRunInChunksScoresEachImageAsAloneInItsOwnCall() {
    Dataset cifar = Fixtures.cifar().limit(130); // three calls into libtorch: 50, 50 and 30 images
    assertEquals(50, TorchScriptClassifier.CHUNK_VALUES / (3 * 32 * 32));
    try (TorchScriptClassifier ts = TorchScriptClassifier.load(Fixtures.resnetTorchScript(), CIFAR)) {
      double maxDiff = BatchChecks.largestLogitDifferenceFromAlone(ts,
          cifar.images().stream().map(LabeledImage::image).toList());
      assertTrue(maxDiff < 1e-4, "largest logit difference between a batch of 130 and images alone: " + maxDiff);
    }
  }

  @Test
  void torchScriptNeedsAnInputShape() {
    InputException e = assertThrows(InputException.class,
        () -> TorchScriptClassifier.load(Fixtures.resnetTorchScript(), ModelSpec.DEFAULT));
    assertTrue(e.getMessage().contains("input shape"), e.getMessage());
  }

  @Test
  void anOnnxFileIsNotTorchScript() {
    InputException e = assertThrows(InputException.class,
        () -> TorchScriptClassifier.load(Fixtures.resnetOnnx(), CIFAR));
    assertTrue(e.getMessage().startsWith("cannot load TorchScript model"), e.getMessage());
  }
}
