package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.Image;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every user mistake gives exit code 2, one line on stderr, no stack trace and no output file. */
class BadInputTest {
  @TempDir Path dir;

  static String onnx() {
    return Fixtures.resnetOnnx().toString();
  }

  static void assertBadInput(Cli r, String expected) {
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    String[] lines = r.err().strip().split("\n");
    assertTrue(lines[0].startsWith("pixelguard: error: "), r.toString());
    assertTrue(lines[0].contains(expected), "expected '" + expected + "' in: " + lines[0]);
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
  }

  Path cifarPng() {
    Path f = dir.resolve("cat.png");
    ImageFiles.writePng(Cifar10Reader.read(Fixtures.cifarBatch()).get(0).image(), f);
    return f;
  }

  @Test
  void truncatedImage() throws Exception {
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(cifarPng()), 300));
    assertBadInput(Cli.run("predict", "--model", onnx(), "--image", cut.toString()), "cannot decode image");
  }

  @Test
  void imageOfTheWrongSizeIsRefusedUnlessResized() {
    Path gray = dir.resolve("gray.png");
    ImageFiles.writePng(new Image(1, 28, 28, new byte[784]), gray);
    assertBadInput(Cli.run("predict", "--model", onnx(), "--image", gray.toString()),
        "the image is 28x28 grayscale but the model takes 32x32 RGB (use --resize");
    Cli ok = Cli.run("predict", "--model", onnx(), "--image", gray.toString(), "--resize");
    assertEquals(0, ok.code(), ok.toString());
  }

  /**
   * A folder of class folders whose second image (of {@code names}' second class) is {@code odd} pixels tall, the
   * others as {@code images} gives them.
   */
  private Path mixedFolder(String name, dev.pixelguard.data.Dataset images, java.util.List<String> names, int odd) {
    Path root = dir.resolve(name);
    for (int i = 0; i < names.size(); i++) {
      Image im = images.get(i).image();
      if (i == 1) {
        im = ImageFiles.convert(im, im.channels(), odd, im.width());
      }
      Path f = root.resolve(names.get(i)).resolve("img" + i + ".png");
      try {
        Files.createDirectories(f.getParent());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      ImageFiles.writePng(im, f);
    }
    return root;
  }

  @Test
  void aFolderOfMixedSizesIsRefusedNamingAnImageOrResizedWhole() {
    Path cifar = mixedFolder("cifar", Cifar10Reader.read(Fixtures.cifarBatch()),
        java.util.List.of("airplane", "cat", "ship"), 40);
    String[] evaluate = {"evaluate", "--model", onnx(), "--classes",
        Fixtures.file("data/cifar10/batches.meta.txt").toString(), "-d", cifar.toString(), "--budget", "50", "--quiet"};
    assertBadInput(Cli.run(evaluate), "image cat/img1.png is 32x40 RGB but the model takes 32x32 RGB, as the "
        + "dataset's first image is (use --resize to convert every image)");
    Cli resized = Cli.run(java.util.stream.Stream.concat(Arrays.stream(evaluate), java.util.stream.Stream.of(
        "--resize")).toArray(String[]::new));
    assertEquals(0, resized.code(), resized.toString());
    assertTrue(resized.out().contains("data:     cifar, 3 images"), resized.out());

    // scan, on the embedded Fashion-MNIST model (28x28 grey): a fast scan
    Path fashion = mixedFolder("fashion", dev.pixelguard.data.Datasets.samples(),
        java.util.List.of("Bag", "Coat", "Trouser"), 34);
    assertBadInput(Cli.run("scan", "-d", fashion.toString()), "image Coat/img1.png is 28x34 grayscale but the model "
        + "takes 28x28 grayscale");
    Cli scan = Cli.run("scan", "-d", fashion.toString(), "--resize", "--quiet");
    assertEquals(0, scan.code(), scan.toString());
    assertTrue(scan.out().contains("of 3 images"), scan.out());
  }

  @Test
  void aLargeFolderWithAnImageOfAnotherSizeIsRefusedInOneLineAndLeavesNoJournal() throws Exception {
    // Over 128 MB decoded, so read image by image: the odd image is found in the clean pass, once the journal is
    // open. It was an internal error (exit 1), and the journal's settings line stayed to block the next run.
    Path root = dir.resolve("large");
    Image small = Cifar10Reader.read(Fixtures.cifarBatch()).get(3).image();
    Files.createDirectories(root.resolve("airplane"));
    ImageFiles.writePng(small, root.resolve("airplane/a.png"));
    for (String c : new String[] {"cat", "ship", "truck"}) {
      Files.createDirectories(root.resolve(c));
      ImageFiles.writePng(new Image(3, 4000, 4000, new byte[3 * 4000 * 4000]), root.resolve(c + "/big.png"));
    }
    Path results = dir.resolve("r.json");
    Cli r = Cli.run("evaluate", "--model", onnx(), "--classes", Fixtures.file("data/cifar10/batches.meta.txt")
        .toString(), "-d", root.toString(), "--budget", "50", "--quiet", "--results", results.toString());
    assertBadInput(r, "image cat/big.png is 4000x4000 RGB but the model takes 32x32 RGB, as the dataset's first "
        + "image is (use --resize to convert every image)");
    assertEquals(1, r.err().strip().lines().count(), r.err());
    try (var files = Files.list(dir)) {
      assertEquals(java.util.List.of("large"), files.map(f -> f.getFileName().toString()).toList(),
          "no journal (it would block the corrected command), no results, no temporary file");
    }
  }

  @Test
  void unknownTargetClass() {
    Path out = dir.resolve("adv.png");
    assertBadInput(Cli.run("attack", "--model", onnx(), "--image", cifarPng().toString(), "--classes",
        Fixtures.file("data/cifar10/batches.meta.txt").toString(), "--target", "zebra", "--out", out.toString()),
        "unknown class 'zebra'");
    assertFalse(Files.exists(out));
  }

  @Test
  void missingCorruptOrUnknownModel() throws Exception {
    assertBadInput(Cli.run("predict", "--model", dir.resolve("none.onnx").toString(), "--index", "0"),
        "model file not found");
    Path corrupt = dir.resolve("corrupt.onnx");
    Files.write(corrupt, Arrays.copyOf(Files.readAllBytes(Fixtures.resnetOnnx()), 4000));
    assertBadInput(Cli.run("predict", "--model", corrupt.toString(), "--image", cifarPng().toString()),
        "cannot load ONNX model");
    Path weird = dir.resolve("model.bin");
    Files.write(weird, new byte[10]);
    assertBadInput(Cli.run("predict", "--model", weird.toString(), "--index", "0"), "cannot tell the format");
    Path fakePgm = dir.resolve("fake.pgm");
    Files.writeString(fakePgm, "hello");
    assertBadInput(Cli.run("predict", "--model", fakePgm.toString(), "--index", "0"), "not a pixelguard model");
  }

  @Test
  void emptyDataset() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertBadInput(Cli.run("evaluate", "--dataset", empty.toString()), "holds no images");
  }

  @Test
  void outputFolderMustExistAndNothingIsWritten() {
    Path out = dir.resolve("no/such/folder/adv.png");
    assertBadInput(Cli.run("attack", "--index", "0", "--out", out.toString()), "does not exist");
    assertBadInput(Cli.run("evaluate", "--limit", "2", "--results", out.resolveSibling("r.json").toString()),
        "does not exist");
    assertFalse(Files.exists(dir.resolve("no")));
  }

  @Test
  void badOptionValues() {
    assertBadInput(Cli.run("attack", "--index", "0", "--out", dir.resolve("a.png").toString(), "--pixels", "0"),
        "pixels must be at least 1");
    assertBadInput(Cli.run("predict", "--index", "5000"), "out of range");
    Cli unknown = Cli.run("attack", "--bogus", "--out", dir.resolve("b.png").toString());
    assertEquals(ExitCode.BAD_INPUT, unknown.code());
    assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.toString());
    assertEquals("pixelguard: error: Unknown option: '--bogus' (see 'pixelguard attack --help')", unknown.err().strip(),
        "one line, as documented");
  }

  @Test
  void aBadMaskAugmentationIsRefusedBeforeTraining() {
    Path out = dir.resolve("m.pgm");
    assertBadInput(Cli.run("train", "-o", out.toString(), "--limit", "64", "--mask-augment", "lattice:6,blur"),
        "unknown fill 'blur'");
    assertBadInput(Cli.run("train", "-o", out.toString(), "--limit", "64", "--mask-augment", "lattice:40"),
        "invalid masks lattice:40 for a 28x28 image");
    assertFalse(Files.exists(out));
  }

  @Test
  void helpDocumentsExitCodes() {
    Cli r = Cli.run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes:") && r.out().contains("bad usage or bad input"), r.out());
    for (String c : new String[] {"predict", "attack", "evaluate", "train"}) {
      Cli h = Cli.run(c, "--help");
      assertEquals(0, h.code(), c);
      assertTrue(h.out().startsWith("Usage: pixelguard " + c), h.out());
    }
  }
}
