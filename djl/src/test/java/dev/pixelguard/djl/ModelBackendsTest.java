package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** djl's backends, found by ServiceLoader and opened through {@link Models} on real models. */
class ModelBackendsTest {
  @TempDir Path dir;

  @Test
  void allFourBackendsAreFound() {
    assertTrue(Models.backends().containsAll(java.util.List.of("onnx", "torchscript", "pixelguard", "builtin")),
        Models.backends().toString());
  }

  @Test
  void bundledModelsOpenByNameWithGradients() {
    Dataset samples = Datasets.samples();
    try (Classifier c = Models.open("builtin:fashion-cnn")) {
      assertInstanceOf(GradientClassifier.class, c);
      assertEquals("builtin:fashion-cnn", c.info().name());
      assertTrue(CleanPass.accuracy(c, samples, 250) > 0.85, "the standard model's accuracy on the samples");
    }
    try (Classifier c = Models.open("BUILTIN:Fashion-CNN-PGD")) {
      assertInstanceOf(GradientClassifier.class, c);
      assertEquals("builtin:fashion-cnn-pgd", c.info().name());
    }
  }

  @Test
  void anUnknownBundledNameListsTheKnownOnes() {
    InputException e = assertThrows(InputException.class, () -> Models.open("builtin:nope"));
    assertEquals("no bundled model builtin:nope; there are builtin:fashion-cnn, builtin:fashion-cnn-pgd",
        e.getMessage());
  }

  @Test
  void torchScriptTakesItsInputShapeFromTheDataShapeHint() {
    Dataset first = Fixtures.cifar().limit(200);
    String pt = Fixtures.resnetTorchScript().toString();
    InputException e = assertThrows(InputException.class, () -> Models.open(pt));
    assertTrue(e.getMessage().contains("input shape"), e.getMessage());
    try (Classifier c = Models.open(ModelRequest.builder(pt).dataShape(3, 32, 32).build())) {
      assertInstanceOf(TorchScriptClassifier.class, c);
      assertArrayEquals(new int[] {3, 32, 32}, new int[] {c.info().channels(), c.info().height(), c.info().width()});
      assertTrue(CleanPass.accuracy(c, first, 200) > 0.88, "ResNet-20 is 91.6% right on the fixture");
    }
  }

  @Test
  void pixelguardNetworksOpenFromPgmFiles() {
    Path file = dir.resolve("Saved.PGM");
    try (NetworkClassifier bundled = DefaultBundle.model()) {
      bundled.network().save(file);
    }
    try (Classifier c = Models.open(file.toString())) {
      assertInstanceOf(NetworkClassifier.class, c);
      assertEquals("Saved.PGM", c.info().name());
      assertEquals(10, c.info().numClasses());
    }
  }

  @Test
  void anUnknownExtensionIsRefusedClearly() throws Exception {
    Path bin = Files.write(dir.resolve("model.bin"), new byte[10]);
    InputException e = assertThrows(InputException.class, () -> Models.open(bin.toString()));
    assertEquals("cannot tell the format of model " + bin + " from its name: the installed backends read onnx (.onnx), "
        + "pixelguard (.pgm), torchscript (.pt, .pth, .torchscript, .ts); name one with --backend, or add the module "
        + "that reads it (docs/model-descriptor.md lists the backends)", e.getMessage());
  }

  @Test
  void aBackendOverrideByNameOpensAnyFileName() throws Exception {
    Path renamed = Files.copy(Fixtures.resnetTorchScript(), dir.resolve("resnet20.weights"));
    ModelRequest r = ModelRequest.builder(renamed.toString()).backend("TorchScript").dataShape(3, 32, 32).build();
    try (Classifier c = Models.open(r)) {
      assertInstanceOf(TorchScriptClassifier.class, c);
      assertEquals(10, c.info().numClasses());
    }
    InputException e = assertThrows(InputException.class,
        () -> Models.open(r.toBuilder().backend("tensorflow").build()));
    assertTrue(e.getMessage().startsWith("no model backend named tensorflow is on the class path; there are "),
        e.getMessage());
    assertTrue(e.getMessage().contains("torchscript") && e.getMessage().contains("builtin"), e.getMessage());
  }
}
