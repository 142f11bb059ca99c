package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the command line, on the real ResNet-20 fixture and the embedded default. */
class AttackCommandTest {
  /**
   * A CIFAR-10 fixture image (a correctly classified one) that Su et al.'s attack with seed 1 flips within
   * its first generations (found by bench/one-pixel-cifar10.sh; see docs/benchmarks.md).
   */
  static final int VULNERABLE = VulnerableImages.CIFAR_ONE_PIXEL;

  @TempDir Path dir;

  static int onnxTop(Image im) {
    try (OnnxClassifier m = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT)) {
      return m.classify(ImageBatch.of(List.of(im))).top(0);
    }
  }

  Cli attack(Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("attack", "--model", Fixtures.resnetOnnx().toString(),
        "--dataset", Fixtures.cifarBatch().toString(), "--index", Integer.toString(VULNERABLE), "--out", out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void theAdversarialPngReadBackFromDiskFoolsTheModelAndDiffersInOnePixel() {
    Path out = dir.resolve("adv.png");
    Cli r = attack(out, "--seed", "1");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("flipped test_batch_subset.bin#" + VULNERABLE + ": '"), r.out());
    Image original = Fixtures.cifar().get(VULNERABLE).image();
    Image adversarial = ImageFiles.read(out);
    assertEquals(1, adversarial.differingPixels(original));
    int before = onnxTop(original);
    assertEquals(Fixtures.cifar().get(VULNERABLE).label(), before);
    assertNotEquals(before, onnxTop(adversarial));
  }

  @Test
  void theSameSeedGivesTheSameAdversarialImage() {
    Path a = dir.resolve("a.png");
    Path b = dir.resolve("b.png");
    Cli ra = attack(a, "--seed", "1");
    Cli rb = attack(b, "--seed", "1");
    assertEquals(0, ra.code());
    assertEquals(0, rb.code());
    assertEquals(ImageFiles.read(a), ImageFiles.read(b));
    assertEquals(ra.out().replaceAll("[0-9.]+ s,", "").replace(a.toString(), ""),
        rb.out().replaceAll("[0-9.]+ s,", "").replace(b.toString(), ""));
  }

  @Test
  void threePixelAttackChangesAtMostThreePixelsAndTheTorchScriptModelAgrees() {
    Path out = dir.resolve("adv3.png");
    Cli r = attack(out, "--pixels", "3", "--seed", "2");
    assertEquals(0, r.code(), r.toString());
    Image original = Fixtures.cifar().get(VULNERABLE).image();
    Image adversarial = ImageFiles.read(out);
    int changed = adversarial.differingPixels(original);
    assertTrue(changed >= 1 && changed <= 3, "changed " + changed);
    // The same adversarial file also fools the TorchScript twin of the model.
    Cli ts = Cli.run("predict", "--model", Fixtures.resnetTorchScript().toString(), "--image", out.toString(),
        "--classes", Fixtures.file("data/cifar10/batches.meta.txt").toString());
    assertEquals(0, ts.code(), ts.toString());
    String trueName = Fixtures.cifar().classNames().get(Fixtures.cifar().get(VULNERABLE).label());
    assertFalse(ts.out().startsWith("adv3.png: " + trueName + " "), ts.out());
  }

  @Test
  void targetedAttackOnTheEmbeddedDefault() {
    Dataset samples = Datasets.samples();
    assertEquals("Coat", samples.classNames().get(samples.get(6).label()));
    Path out = dir.resolve("shirt.png");
    Cli r = Cli.run("attack", "--index", "6", "--target", "Shirt", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("-> 'Shirt'"), r.out());
    Cli p = Cli.run("predict", "--image", out.toString());
    assertTrue(p.out().startsWith("shirt.png: Shirt"), p.toString());
    assertEquals(1, ImageFiles.read(out).differingPixels(samples.get(6).image()));
  }

  @Test
  void anImageThatResistsWritesNothing() {
    Path out = dir.resolve("none.png");
    Cli r = Cli.run("attack", "--index", "1", "--budget", "400", "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    // Image 1 (a pullover at probability 1.000) resists 400 queries with seed 1.
    assertTrue(r.out().startsWith("not flipped fashion-mnist-test#1"), r.out());
    assertTrue(r.out().contains("400 queries") && r.out().contains("nothing written"), r.out());
    assertFalse(Files.exists(out));
  }

  @Test
  void predictWithTheDefaultAndWithTorchScript() {
    Cli d = Cli.run("predict", "--index", "0");
    assertEquals(0, d.code(), d.toString());
    assertTrue(d.out().startsWith("fashion-mnist-test#0: Ankle boot"), d.out());
    Cli t = Cli.run("predict", "--model", Fixtures.resnetTorchScript().toString(), "--dataset",
        Fixtures.cifarBatch().toString(), "--index", "0");
    assertEquals(0, t.code(), t.toString());
    assertTrue(t.out().startsWith("test_batch_subset.bin#0: cat"), t.out());
  }
}
