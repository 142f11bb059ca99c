package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Models} finds {@link OnnxBackend} through ServiceLoader and opens the real ResNet-20. */
class OnnxBackendTest {
  @Test
  void onlyTheOnnxBackendIsOnThisModulesClassPath() {
    assertEquals(List.of("onnx"), Models.backends());
  }

  @Test
  void modelsOpensResnet20AtItsPublishedAccuracy() {
    Dataset cifar = Fixtures.cifar();
    try (Classifier c = Models.open(Fixtures.resnetOnnx().toString())) {
      assertInstanceOf(OnnxClassifier.class, c);
      assertEquals(10, c.info().numClasses());
      List<Scores> scores = CleanPass.score(c, cifar, 400);
      int correct = 0;
      for (int i = 0; i < cifar.size(); i++) {
        assertTrue(scores.get(i).hasLogits());
        if (scores.get(i).top(0) == cifar.get(i).label()) {
          correct++;
        }
      }
      assertEquals(854, correct, "fixtures.json: 854 of 932 (91.63%)");
    }
  }

  @Test
  void theSidecarDescriptorIsReadAndAnOverrideOpensAnyName(@TempDir Path dir) throws Exception {
    Path copy = Files.copy(Fixtures.resnetOnnx(), dir.resolve("resnet.onnx"));
    Files.writeString(copy.resolveSibling("resnet.onnx.json"),
        "{\"classes\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\"]}");
    try (Classifier c = Models.open(copy.toString())) {
      assertEquals("j", c.info().classNames().get(9));
    }
    Path renamed = Files.copy(Fixtures.resnetOnnx(), dir.resolve("resnet.model"));
    InputException e = assertThrows(InputException.class, () -> Models.open(renamed.toString()));
    assertTrue(e.getMessage().startsWith("cannot tell the format of model"), e.getMessage());
    try (Classifier c = Models.open(ModelRequest.builder(renamed.toString()).backend("onnx").threads(1).build())) {
      assertEquals(Fixtures.cifar().get(3).label(), c.classify(
          dev.pixelguard.image.ImageBatch.of(List.of(Fixtures.cifar().get(3).image()))).top(0));
    }
  }

  @Test
  void withoutPixelguardDjlTorchScriptAndBundledModelsSayWhatToAdd() {
    InputException pt = assertThrows(InputException.class, () -> Models.open(Fixtures.resnetTorchScript().toString()));
    assertTrue(pt.getMessage().endsWith("from its name: the installed backends read onnx (.onnx); name one with "
        + "--backend, or add the module that reads it (docs/model-descriptor.md lists the backends)"), pt.getMessage());
    InputException builtin = assertThrows(InputException.class, () -> Models.open("builtin:fashion-cnn"));
    assertTrue(builtin.getMessage().startsWith("no model backend reads builtin: locations such as builtin:fashion-cnn "
        + "(the installed ones are onnx)"), builtin.getMessage());
  }
}
