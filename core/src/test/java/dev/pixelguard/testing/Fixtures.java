package dev.pixelguard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locations of the shared, read-only fixtures (../shared beside the checkout). A missing fixture fails the
 * test that needs it, loudly: it is never skipped.
 */
public final class Fixtures {
  private Fixtures() {}

  /** The shared fixtures folder, from the {@code pixelguard.shared} system property the build sets. */
  public static Path shared() {
    String p = System.getProperty("pixelguard.shared", "../../shared");
    Path dir = Path.of(p).toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(dir), "shared fixtures folder missing: " + dir);
    return dir;
  }

  /** A fixture file under the shared folder, which must exist. */
  public static Path file(String relative) {
    Path f = shared().resolve(relative);
    assertTrue(Files.isRegularFile(f), "fixture missing: " + f);
    return f;
  }

  public static Path resnetOnnx() {
    return file("models/cifar10-resnet20.onnx");
  }

  /** ResNet-32, trained independently of ResNet-20: the second model for redundancy and transfer. */
  public static Path resnet32Onnx() {
    return file("models/cifar10-resnet32.onnx");
  }

  public static Path resnetTorchScript() {
    return file("models/cifar10-resnet20.pt");
  }

  public static Path cifarBatch() {
    return file("data/cifar10/test_batch_subset.bin");
  }

  /** The 932 CIFAR-10 test images, with class names. */
  public static Dataset cifar() {
    return Cifar10Reader.read(cifarBatch());
  }

  /** Debian's Fashion-MNIST (package dataset-fashion-mnist), which must be installed. */
  public static Path fashionMnist(String name) {
    Path f = Path.of("/usr/share/datasets/fashion-mnist").resolve(name);
    assertTrue(Files.isRegularFile(f), "Fashion-MNIST missing: " + f + " (apt-get install dataset-fashion-mnist)");
    return f;
  }
}
