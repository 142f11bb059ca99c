package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --model through the registry: one model for most commands, several for compare, the default when none. */
class ModelOptionsTest {
  private static ModelOptions parse(String... args) {
    ModelOptions o = new ModelOptions();
    new CommandLine(o).parseArgs(args);
    return o;
  }

  @Test
  void noModelIsTheEmbeddedDefault() {
    ModelOptions o = parse();
    assertTrue(o.isDefault());
    assertEquals("builtin:fashion-cnn", o.location());
    assertEquals(DefaultBundle.names(), o.locations());
    assertEquals("default: fashion-cnn.pgm", o.name());
    try (Classifier c = o.open(null, null)) {
      assertEquals("default: fashion-cnn.pgm", c.info().name());
      assertInstanceOf(GradientClassifier.class, c);
    }
  }

  @Test
  void severalModelsAreForCompareOnly() {
    ModelOptions o = parse("-m", "builtin:fashion-cnn", "--model", Fixtures.resnetOnnx().toString());
    assertEquals(2, o.locations().size());
    InputException e = assertThrows(InputException.class, o::location);
    assertEquals("give one --model; only compare takes several", e.getMessage());
    BadInputTest.assertBadInput(Cli.run("predict", "-m", "builtin:fashion-cnn", "-m", "builtin:fashion-cnn-pgd",
        "--index", "0"), "give one --model; only compare takes several");
  }

  @Test
  void eachLocationOpensWithTheSameOptions() {
    ModelOptions o = parse("-m", Fixtures.resnetOnnx().toString(), "-m", "builtin:fashion-cnn-pgd", "--label-only",
        "--threads", "1");
    List<String> names = Fixtures.cifar().classNames();
    try (Classifier onnx = o.open(o.locations().get(0), new int[] {3, 32, 32}, names);
        Classifier pgd = o.open(o.locations().get(1), new int[] {1, 28, 28}, null)) {
      assertEquals(names, onnx.info().classNames(), "the data's class names, as the model has none");
      assertEquals("builtin:fashion-cnn-pgd", pgd.info().name());
      assertTrue(!(pgd instanceof GradientClassifier), "label-only hides the gradients");
    }
  }

  @Test
  void anUnknownBackendIsABadInput() {
    BadInputTest.assertBadInput(Cli.run("predict", "-m", Fixtures.resnetOnnx().toString(), "--backend", "tflite",
        "--index", "0"), "no model backend named tflite is on the class path; there are ");
  }
}
