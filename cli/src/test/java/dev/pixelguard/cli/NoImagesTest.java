package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.Networks;
import dev.pixelguard.djl.net.OnnxExport;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.io.ResultsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming and {@code --no-images}: side-car PNG results read back equal to embedded ones, image for image; a
 * run in small windows written as it goes equals one window held in memory; the report and a resumed run work
 * from side-car results; a 224x224 network of pixelguard's own, exported to ONNX, runs with its batch size
 * chosen from its input size.
 */
class NoImagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CIFAR = Path.of(System.getProperty("pixelguard.shared", "../../shared"))
      .resolve("data/cifar10/test_batch_subset.bin").toString();

  @TempDir Path dir;

  @Test
  void sideCarResultsReadBackEqualToEmbeddedOnesImageForImage() throws Exception {
    Path embedded = dir.resolve("embedded.json");
    Path side = dir.resolve("side.json");
    Cli a = Cli.run("evaluate", "--limit", "12", "--budget", "800", "--quiet", "--results", embedded.toString());
    assertEquals(0, a.code(), a.toString());
    Cli b = Cli.run("evaluate", "--limit", "12", "--budget", "800", "--quiet", "--no-images", "--results",
        side.toString());
    assertEquals(0, b.code(), b.toString());
    EvaluationResult x = ResultsJson.read(embedded);
    EvaluationResult y = ResultsJson.read(side);
    assertTrue(x.summary().successes() > 0 && x.summary().successes() < x.summary().attacked(),
        "some flip, some resist: " + x.summary().successes() + " of " + x.summary().attacked());
    assertSameOutcomes(x, y);

    // The JSON names PNG files by image index; they exist, decode, and are the originals.
    JsonNode images = JSON.readTree(side.toFile()).get("images");
    int files = 0;
    for (JsonNode im : images) {
      assertFalse(im.has("image"), "no base64 image with --no-images");
      if (im.has("imageFile")) {
        assertEquals("side.images/" + im.get("index").asInt() + ".png", im.get("imageFile").asText());
        Image png = ImageFiles.read(dir.resolve(im.get("imageFile").asText()));
        assertEquals(x.images().get(im.get("index").asInt()).attempts().get(0).original(), png);
        files++;
      }
    }
    assertEquals(x.summary().attacked(), files, "one PNG per attacked image");
    assertTrue(Files.size(side) < Files.size(embedded), Files.size(side) + " vs " + Files.size(embedded));

    // The report is built from such a file, and a missing image is one clear line.
    Cli report = Cli.run("report", side.toString(), "--out", dir.resolve("report").toString());
    assertEquals(0, report.code(), report.toString());
    assertTrue(Files.readString(dir.resolve("report/index.html")).contains("data:image/png;base64,"));
    Files.delete(dir.resolve(images.get(firstAttacked(y)).get("imageFile").asText()));
    Cli broken = Cli.run("report", side.toString(), "--out", dir.resolve("report2").toString());
    assertEquals(ExitCode.BAD_INPUT, broken.code(), broken.toString());
    assertTrue(broken.err().contains("image file not found"), broken.err());
  }

  @Test
  void aComparisonWithGradientAttacksReadsBackEqualFromSideCarFiles() {
    Path embedded = dir.resolve("c1.json");
    Path side = dir.resolve("c2.json");
    assertEquals(0, Cli.run("compare", "--limit", "4", "--budget", "200", "--results", embedded.toString()).code());
    Cli c = Cli.run("compare", "--limit", "4", "--budget", "200", "--no-images", "--results", side.toString());
    assertEquals(0, c.code(), c.toString());
    List<EvaluationResult> x = ResultsJson.readAll(embedded);
    List<EvaluationResult> y = ResultsJson.readAll(side);
    assertEquals(x.size(), y.size());
    for (int e = 0; e < x.size(); e++) {
      assertSameOutcomes(x.get(e), y.get(e));
    }
    assertTrue(Files.isRegularFile(dir.resolve("c2.images/e0-0-0.f32")), "PGD's float values as a side-car file");
  }

  @Test
  void aStreamedRunInSmallWindowsEqualsOneHeldInMemory() {
    try (dev.pixelguard.model.Classifier model = DefaultBundle.defaultClassifier(2)) {
      Dataset data = Datasets.samples().limit(16);
      GuidedPixelAttack attack = GuidedPixelAttack.builder().budget(600).build();
      Execution ex = new Execution(400, 4);
      EvaluationResult whole = Evaluation.of(model, data, attack).execution(ex).window(1_000).run();
      Path file = dir.resolve("streamed.json");
      EvaluationResult streamed;
      try (ResultsJson.Writer w = ResultsJson.Writer.open(file, true)) {
        streamed = Evaluation.of(model, data, attack).execution(ex).sink(w).window(7).run();
        w.finish(streamed);
      }
      assertSameOutcomes(whole, streamed); // what the run kept: images loaded again from their files
      assertSameOutcomes(whole, ResultsJson.read(file));
      assertEquals(whole.summary().successes(), streamed.summary().successes());
      assertEquals(whole.totals().queries(), streamed.totals().queries());
    }
  }

  @Test
  void aFileWhereTheImageFolderGoesIsRefusedBeforeAnyWorkAndLeavesNothing() throws Exception {
    Path results = dir.resolve("r.json");
    Path images = Files.writeString(dir.resolve("r.images"), "not a folder");
    Cli r = Cli.run("evaluate", "--limit", "2", "--budget", "100", "--quiet", "--no-images", "--results",
        results.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("pixelguard: error: --no-images writes the images of " + results + " to " + images.toAbsolutePath()
        + ", which is a file, not a folder\n", r.err());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("r.images"), files.map(f -> f.getFileName().toString()).toList(),
          "no hidden .r.json...tmp (it was left) and no journal");
    }
  }

  @Test
  void aRunResumedFromItsJournalWritesTheSameSideCarResults() throws Exception {
    Path full = dir.resolve("full.json");
    Cli whole = Cli.run("evaluate", "--limit", "8", "--budget", "600", "--quiet", "--no-images", "--results",
        full.toString());
    assertEquals(0, whole.code(), whole.toString());
    // An interrupted run: its journal holds the attempts of the first 4 images, and no results were written.
    Path part = dir.resolve("part.json");
    try (dev.pixelguard.model.Classifier model = DefaultBundle.defaultClassifier(2)) {
      Dataset data = Datasets.samples();
      GuidedPixelAttack attack = GuidedPixelAttack.builder().budget(600).build();
      com.fasterxml.jackson.databind.node.ObjectNode settings =
          dev.pixelguard.io.JournalFile.settings(model.info(), data.name(), attack, 1, Targets.untargeted());
      settings.put("labelOnly", false);
      try (dev.pixelguard.io.JournalFile j = dev.pixelguard.io.JournalFile.open(
          dev.pixelguard.io.JournalFile.beside(part), settings, false)) {
        Evaluation.of(model, data.limit(4), attack).journal(j).run();
      }
    }
    Cli rest = Cli.run("evaluate", "--limit", "8", "--budget", "600", "--quiet", "--no-images", "--results",
        part.toString(), "--resume");
    assertEquals(0, rest.code(), rest.toString());
    assertTrue(rest.out().contains("resumed:  "), rest.out());
    assertFalse(rest.out().contains("resumed:  0 attempts"), rest.out());
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
    assertTrue(Files.isDirectory(dir.resolve("part.images")));
  }

  @Test
  void a224NetworkExportsToOnnxAndRunsWithABatchSizeFromItsInputSize() throws Exception {
    Path onnx = dir.resolve("cnn-224.onnx");
    try (NetworkModel net = NetworkModel.create(Networks.CNN_224, new int[] {3, 224, 224},
        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), 1)) {
      OnnxExport.write(net, onnx);
    }
    Path r = dir.resolve("r.json");
    Cli c = Cli.run("evaluate", "--model", onnx.toString(), "--dataset", CIFAR,
        "--resize", "--limit", "6", "--repeat", "9", "--method", "sparse-rs", "--budget", "20", "--quiet",
        "--no-images", "--results", r.toString());
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().contains("(224x224 RGB, 10 classes)"), c.out());
    EvaluationResult e = ResultsJson.read(r);
    assertEquals(27, e.execution().batchSize(), "4 Mi input values / 150,528 per image");
    assertEquals(9, e.images().size());
    assertEquals("test_batch_subset.bin#2~1", e.images().get(8).id(), "the second pass has ids of its own");
    for (ImageOutcome o : e.images()) {
      if (o.attacked()) {
        assertEquals(224, o.attempts().get(0).original().width());
      }
    }
    assertEquals(Execution.MAX_DEFAULT_BATCH, Execution.defaultBatchSize(3, 32, 32));
    assertEquals(Execution.MAX_DEFAULT_BATCH, Execution.defaultBatchSize(1, 28, 28));
    assertEquals(1, Execution.defaultBatchSize(3, 2048, 2048));
    Cli given = Cli.run("evaluate", "--model", onnx.toString(), "--dataset",
        CIFAR, "--resize", "--limit", "2", "--method", "sparse-rs", "--budget",
        "20", "--quiet", "--batch", "5", "--results", dir.resolve("g.json").toString());
    assertEquals(0, given.code(), given.toString());
    assertEquals(5, ResultsJson.read(dir.resolve("g.json")).execution().batchSize(), "--batch wins");
  }

  private static int firstAttacked(EvaluationResult r) {
    for (ImageOutcome o : r.images()) {
      if (o.attacked()) {
        return o.index();
      }
    }
    throw new AssertionError("no image attacked");
  }

  static void assertSameOutcomes(EvaluationResult a, EvaluationResult b) {
    assertEquals(a.images().size(), b.images().size());
    for (int i = 0; i < a.images().size(); i++) {
      ImageOutcome x = a.images().get(i);
      ImageOutcome y = b.images().get(i);
      assertEquals(x.id(), y.id());
      assertEquals(x.skipped(), y.skipped());
      assertEquals(x.clean().top(), y.clean().top(), x.id());
      assertArrayEquals(x.clean().probabilities(), y.clean().probabilities(), 1e-5f, x.id());
      assertEquals(x.attempts().size(), y.attempts().size(), x.id());
      for (int t = 0; t < x.attempts().size(); t++) {
        AttackResult p = x.attempts().get(t);
        AttackResult q = y.attempts().get(t);
        assertEquals(p.success(), q.success(), x.id());
        assertEquals(p.seed(), q.seed(), x.id());
        assertEquals(p.queries(), q.queries(), x.id());
        assertEquals(p.adversarialClass(), q.adversarialClass(), x.id());
        assertArrayEquals(p.after().probabilities(), q.after().probabilities(), 1e-5f, x.id());
        assertEquals(p.perturbation(), q.perturbation(), x.id());
        assertEquals(p.original(), q.original(), x.id());
        assertEquals(p.adversarial(), q.adversarial(), x.id());
        assertArrayEquals(p.adversarialValues(), q.adversarialValues(), x.id());
      }
    }
  }
}
