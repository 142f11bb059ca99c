package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} and {@code train --onnx}: the ONNX file predicts what the network predicts. */
class ExportCommandTest {
  @TempDir Path dir;

  /** predict's first line without its probability: "fashion-mnist-test#3: Trouser, true class Trouser". */
  private static String topClass(String model, int index) {
    Cli c = Cli.run("predict", "--model", model, "--index", Integer.toString(index));
    assertEquals(0, c.code(), c.toString());
    String first = c.out().lines().findFirst().orElseThrow();
    return first.replaceAll(" \\([0-9.]+\\)", "");
  }

  @Test
  void exportedBundledModelPredictsTheSameClassesWithItsOwnClassNames() throws Exception {
    Path out = dir.resolve("fashion-cnn.onnx");
    Cli c = Cli.run("export", "--out", out.toString());
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().startsWith("wrote " + out + ": small-cnn, input [N, 1, 28, 28] in [0,1], 10 classes, opset 17"),
        c.out());
    assertTrue(Files.size(out) > 1_600_000, "about 0.42 M float weights");
    for (int index : new int[] {0, 1, 2, 3, 12, 499}) {
      String onnx = topClass(out.toString(), index);
      // Class names come from the file's metadata: no --classes, no descriptor.
      assertEquals(topClass("builtin:fashion-cnn", index), onnx);
    }
    assertTrue(topClass(out.toString(), 0).contains("Ankle boot"), topClass(out.toString(), 0));
    Cli pgd = Cli.run("export", "-m", "BUILTIN:fashion-cnn-pgd", "-o", dir.resolve("pgd.onnx").toString());
    assertEquals(0, pgd.code(), pgd.toString());
    assertEquals(topClass("builtin:fashion-cnn-pgd", 7), topClass(dir.resolve("pgd.onnx").toString(), 7));
  }

  @Test
  void trainWritesTheOnnxFileAtTheEndAndExportReadsThePgm() {
    Path train = Fixtures.fashionMnist("train-images-idx3-ubyte.gz");
    Path test = Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz");
    Path pgm = dir.resolve("my-cnn.pgm");
    Path onnx = dir.resolve("my-cnn.onnx");
    Cli t = Cli.run("train", "--data", train.toString(), "--test", test.toString(), "--limit", "512", "--epochs", "1",
        "--quiet", "--out", pgm.toString(), "--onnx", onnx.toString());
    assertEquals(0, t.code(), t.toString());
    assertTrue(t.out().contains("wrote " + onnx), t.out());
    for (int index : new int[] {0, 5, 9}) {
      assertEquals(topClass(pgm.toString(), index), topClass(onnx.toString(), index));
    }
    Path again = dir.resolve("again.onnx");
    Cli e = Cli.run("export", "--model", pgm.toString(), "--out", again.toString());
    assertEquals(0, e.code(), e.toString());
    assertEquals(topClass(onnx.toString(), 5), topClass(again.toString(), 5));
  }

  @Test
  void whatCannotBeExportedIsRefusedInOneLineAndNothingIsWritten() throws Exception {
    Path out = dir.resolve("x.onnx");
    Cli onnx = Cli.run("export", "--model", Fixtures.resnetOnnx().toString(), "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, onnx.code(), onnx.toString());
    assertTrue(onnx.err().contains("export takes pixelguard's own networks"), onnx.err());
    Cli unknown = Cli.run("export", "--model", "builtin:nope", "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, unknown.code(), unknown.toString());
    assertTrue(unknown.err().contains("no bundled model builtin:nope"), unknown.err());
    Cli name = Cli.run("export", "--out", dir.resolve("x.txt").toString());
    assertEquals(ExitCode.BAD_INPUT, name.code(), name.toString());
    assertTrue(name.err().contains("--out must name a .onnx file"), name.err());
    Cli folder = Cli.run("export", "--out", dir.resolve("missing/x.onnx").toString());
    assertEquals(ExitCode.BAD_INPUT, folder.code(), folder.toString());
    Cli missing = Cli.run("export", "--model", dir.resolve("none.pgm").toString(), "--out", out.toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code(), missing.toString());
    Cli trainName = Cli.run("train", "--out", dir.resolve("m.pgm").toString(), "--onnx", dir.resolve("m.pb").toString());
    assertEquals(ExitCode.BAD_INPUT, trainName.code(), trainName.toString());
    assertTrue(trainName.err().contains("--onnx must name a .onnx file"), trainName.err());
    try (var files = Files.list(dir)) {
      assertFalse(files.findAny().isPresent(), "nothing written");
    }
  }
}
