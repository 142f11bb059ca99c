package dev.pixelguard.onnx;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The ResNet-20 fixture in ONNX Runtime and the CIFAR-10 fixture images, opened once for a test class. */
abstract class Resnet20Fixture {
  static OnnxClassifier model;
  static Dataset cifar;

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT);
    cifar = Fixtures.cifar();
  }

  @AfterAll
  static void close() {
    model.close();
  }
}
