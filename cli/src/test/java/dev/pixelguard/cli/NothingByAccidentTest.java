package dev.pixelguard.cli;

import static dev.pixelguard.cli.BadInputTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: a gate that cannot pass by accident, and bad input that never costs a run. Every case uses real
 * files made here: partial class folders, a truncated JPEG, a PNG whose header claims 20000x20000 pixels,
 * destinations nothing can be written to, misspelt descriptors.
 */
class NothingByAccidentTest {
  @TempDir Path dir;

  static final Dataset CIFAR = Cifar10Reader.read(Fixtures.cifarBatch());

  static String onnx() {
    return Fixtures.resnetOnnx().toString();
  }

  static String classes() {
    return Fixtures.file("data/cifar10/batches.meta.txt").toString();
  }

  /** A folder of class folders holding the first {@code n} fixture images of each named class. */
  Path classFolders(int n, String... names) throws Exception {
    Path root = Files.createDirectories(dir.resolve("holdout"));
    for (String name : names) {
      Path sub = Files.createDirectories(root.resolve(name));
      int k = CIFAR.classNames().indexOf(name);
      int written = 0;
      for (LabeledImage li : CIFAR.images()) {
        if (written < n && li.label() == (k < 0 ? 0 : k)) {
          ImageFiles.writePng(li.image(), sub.resolve(written++ + ".png"));
        }
      }
    }
    return root;
  }

  @Test
  void classFoldersAreLabelledByNameNotByAlphabeticalPosition() throws Exception {
    Path holdout = classFolders(6, "cat", "ship");
    Path results = dir.resolve("r.json");
    Cli r = Cli.run("evaluate", "-m", onnx(), "--classes", classes(), "-d", holdout.toString(), "--budget", "200",
        "--quiet", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    EvaluationResult e = ResultsJson.read(results);
    for (ImageOutcome o : e.images()) {
      String folder = o.id().substring(0, o.id().indexOf('/'));
      assertEquals(folder, e.model().className(o.label()), "labelled by its folder's name: " + o.id());
    }
    // ResNet-20 gets most of these right once the labels mean what the folders say (0% when labelled by position).
    assertTrue(e.summary().cleanAccuracy() >= 0.75, e.summary().toString());
  }

  @Test
  void aFolderNamedAfterNoClassOrAModelWithoutNamesIsRefused() throws Exception {
    Path holdout = classFolders(1, "cat", "zebra");
    assertBadInput(Cli.run("evaluate", "-m", onnx(), "--classes", classes(), "-d", holdout.toString()),
        "folder 'zebra' of dataset holdout matches no class of the model");
    assertBadInput(Cli.run("evaluate", "-m", onnx(), "-d", holdout.toString()),
        "the model has no class names, so the class folders of holdout cannot be matched");
  }

  @Test
  void aTruncatedJpegIsRefusedAsAnImageAndInsideADataset() throws Exception {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(ImageFiles.toBufferedImage(CIFAR.get(0).image()), "jpeg", jpeg);
    byte[] whole = jpeg.toByteArray();
    Path cut = dir.resolve("cut.jpg");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertBadInput(Cli.run("predict", "-m", onnx(), "--image", cut.toString()), "cannot decode image");
    Path folder = Files.createDirectories(dir.resolve("loose"));
    Files.write(folder.resolve("cut.jpg"), Arrays.copyOf(whole, whole.length / 2));
    assertBadInput(Cli.run("evaluate", "-m", onnx(), "-d", folder.toString()), "truncated or corrupt");
    // The whole file still reads.
    Path ok = dir.resolve("ok.jpg");
    Files.write(ok, whole);
    assertEquals(0, Cli.run("predict", "-m", onnx(), "--image", ok.toString()).code());
  }

  @Test
  void aHugeImageIsRefusedFromItsHeaderWithoutDecoding() throws Exception {
    // A valid PNG signature and IHDR claiming 20000x20000 RGB, and no pixel data at all: decoding would fail
    // with "truncated", so the size message shows the header alone decided.
    Path huge = dir.resolve("huge.png");
    Files.write(huge, pngHeader(20_000, 20_000));
    assertBadInput(Cli.run("predict", "-m", onnx(), "--image", huge.toString()), "is 20000x20000 pixels");
  }

  static byte[] pngHeader(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0)
        .put((byte) 0).put((byte) 0);
    ByteBuffer out = ByteBuffer.allocate(8 + 12 + 13);
    out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.putInt(13);
    byte[] type = "IHDR".getBytes(StandardCharsets.US_ASCII);
    out.put(type).put(ihdr.array());
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(ihdr.array());
    out.putInt((int) crc.getValue());
    return out.array();
  }

  @Test
  void destinationsAreCheckedBeforeAnyModelLoadsAndNothingIsLeftBehind() throws Exception {
    // /sys takes no new files, whatever the permission bits say (and even for root, as CI runs).
    Path ok = dir.resolve("ok.json");
    Cli r = Cli.run("evaluate", "-m", dir.resolve("missing.onnx").toString(), "--results", ok.toString(), "--junit",
        "/sys/pixelguard.xml");
    assertBadInput(r, "cannot write /sys/pixelguard.xml: ");
    assertFalse(r.err().contains("model file not found"), "the destination is checked first: " + r.err());
    assertFalse(Files.exists(ok), "nothing is written when one destination fails");
    assertBadInput(Cli.run("evaluate", "--limit", "2", "--report", "/sys/pixelguard-report"), "cannot write");
    assertBadInput(Cli.run("attack", "--out", "/sys/adv.png"), "cannot write /sys/adv.png");
    assertBadInput(Cli.run("evaluate", "--limit", "2", "--results", dir.toString()), "it is a folder");
  }

  @Test
  void aReportFromResultsWithAPixelOutsideTheImageIsBadInputAndLeavesNoFolder() throws Exception {
    Path results = dir.resolve("r.json");
    assertEquals(0, Cli.run("evaluate", "--limit", "8", "--budget", "1568", "--quiet", "--results",
        results.toString()).code());
    String text = Files.readString(results);
    assertTrue(text.contains("\"pixels\" : [ {"), "some image flipped by a listed pixel");
    Files.writeString(results, text.replaceFirst("(\"pixels\" : \\[ \\{\\s*\"x\" : )\\d+", "$1999"));
    Path out = dir.resolve("rep");
    assertBadInput(Cli.run("report", results.toString(), "--out", out.toString()), "is outside its 28x28 pixels");
    assertFalse(Files.exists(out));
  }

  @Test
  void optionValuesIgnoreCaseAndALayoutTheModelContradictsIsRefused() {
    Cli lower = Cli.run("predict", "-m", onnx(), "-d", Fixtures.cifarBatch().toString(), "--index", "3",
        "--layout", "nchw", "--output-kind", "probabilities");
    assertEquals(ExitCode.BAD_INPUT, lower.code(), "ResNet-20 outputs logits, so 'probabilities' is refused, "
        + "but as a value, not as an unknown word: " + lower);
    assertTrue(lower.err().contains("is not a probability distribution"), lower.err());
    Cli ok = Cli.run("predict", "-m", onnx(), "-d", Fixtures.cifarBatch().toString(), "--index", "3", "--layout",
        "nchw", "--output-kind", "logits", "--objective", "margin");
    assertEquals(ExitCode.BAD_INPUT, ok.code(), "--objective is not an option of predict: " + ok);
    Cli fine = Cli.run("predict", "-m", onnx(), "-d", Fixtures.cifarBatch().toString(), "--index", "3", "--layout",
        "nchw", "--output-kind", "logits");
    assertEquals(0, fine.code(), fine.toString());
    assertBadInput(Cli.run("predict", "-m", onnx(), "--index", "3", "-d", Fixtures.cifarBatch().toString(),
        "--layout", "NHWC"), "takes [-1, 3, 32, 32], channels first (NCHW), but the layout was given as NHWC");
  }

  @Test
  void predictionsNearChanceGiveAWarning() {
    Cli r = Cli.run("evaluate", "-m", onnx(), "-d", Fixtures.cifarBatch().toString(), "-n", "40", "--range", "byte",
        "--budget", "50", "--quiet");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.err().contains("pixelguard: warning: clean accuracy") && r.err().contains("--range"), r.err());
    Cli fine = Cli.run("evaluate", "-m", onnx(), "-d", Fixtures.cifarBatch().toString(), "-n", "40", "--budget", "50",
        "--quiet");
    assertFalse(fine.err().contains("warning"), fine.err());
  }

  @Test
  void misspeltOrMistypedDescriptorsAndOtherBadValuesAreRefused() throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, "{\"layout\": \"NCHW\", \"meen\": [0.5, 0.5, 0.5]}");
    assertBadInput(Cli.run("predict", "-m", onnx(), "--spec", spec.toString(), "--index", "0", "-d",
        Fixtures.cifarBatch().toString()), "unknown key 'meen'");
    Files.writeString(spec, "{\"std\": \"abc\"}");
    assertBadInput(Cli.run("predict", "-m", onnx(), "--spec", spec.toString(), "--index", "0", "-d",
        Fixtures.cifarBatch().toString()), "std must be a list of numbers, was \"abc\"");
    // JSON a person wrote: what is wrong and where, in their words, never the names of the parser's options
    for (String[] bad : new String[][] {
        {"{\"layout\": \"NCHW\",\n}", "line 2, column 1: a comma before '}' (JSON allows none after the last item)"},
        {"{\"temperature\": NaN}", "line 1, column 20: 'NaN' is not a JSON number (JSON has no NaN or Infinity)"},
        {"{'layout': 'NCHW'}", "line 1, column 2: single quotes (JSON names and strings take double quotes)"}}) {
      Files.writeString(spec, bad[0]);
      Cli r = Cli.run("predict", "-m", onnx(), "--spec", spec.toString(), "--index", "0", "-d",
          Fixtures.cifarBatch().toString());
      assertBadInput(r, "cannot read model descriptor " + spec + ": " + bad[1]);
      assertFalse(r.err().matches("(?s).*(Feature|ALLOW_|enable `).*"), r.err());
    }
    Path gate = Files.writeString(dir.resolve("gate.json"), "// my gate\n{\"schema\": 1}");
    Cli g = Cli.run("predict", "--gate", gate.toString());
    assertBadInput(g, "cannot read gate file " + gate + ": line 1, column 1: a comment, which JSON does not have");
    assertBadInput(Cli.run("evaluate", "--pixels", "900", "-n", "1"), "--pixels 900 is more than the 784 pixels");
    assertBadInput(Cli.run("predict", "--image", dir.toString()), "is a folder, not an image file");
  }
}
