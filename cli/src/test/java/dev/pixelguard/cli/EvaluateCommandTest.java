package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  /** The results file read back: one attempt per attacked image, each success a real one-pixel flip. */
  static EvaluationResult assertConsistent(Path file, int evaluated) {
    EvaluationResult r = ResultsJson.read(file);
    Summary s = r.summary();
    assertEquals(evaluated, s.evaluated());
    for (ImageOutcome o : r.images()) {
      assertEquals(o.skipped() == null, o.attacked(), o.id());
      for (AttackResult a : o.attempts()) {
        if (a.success()) {
          assertTrue(a.adversarialClass() != o.label());
          assertEquals(1, a.changes().size());
          assertEquals(1, a.perturbation().pixels());
        }
      }
    }
    assertEquals(s.successes(), Arrays.stream(s.transitions()).flatMapToInt(Arrays::stream).sum());
    return r;
  }

  @Test
  void evaluatesTheEmbeddedDefaultAndWritesConsistentJson() throws Exception {
    Path results = dir.resolve("r.json");
    Cli r = Cli.run("evaluate", "--limit", "12", "--budget", "2000", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("clean:    100.0% correct (12/12 labelled)"), r.out());
    assertTrue(r.out().contains("flipped:"), r.out());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertEquals(ResultsJson.SCHEMA, j.get("schema").asInt());
    EvaluationResult e = assertConsistent(results, 12);
    assertEquals("Sandal", e.model().classNames().get(5));
    assertTrue(e.summary().successes() >= 1, "the default model has one-pixel weaknesses: " + r.out());
    // What the file says for people and CI tools is what the typed results give.
    assertEquals(e.summary().successes(), j.get("summary").get("successes").asInt());
    assertEquals(e.summary().robustAccuracy(), j.get("summary").get("robustAccuracy").asDouble(), 1e-12);
  }

  @Test
  void evaluatesResnetOnCifarSkippingMisclassifiedImages() throws Exception {
    Path results = dir.resolve("cifar.json");
    // Only the images the model gets right are attacked; the others are reported as misclassified.
    Cli r = Cli.run("evaluate", "--model", Fixtures.resnetOnnx().toString(), "--dataset",
        Fixtures.cifarBatch().toString(), "--limit", "10", "--budget", "800", "--results", results.toString(), "--quiet");
    assertEquals(0, r.code(), r.toString());
    EvaluationResult e = assertConsistent(results, 10);
    int skipped = 0;
    for (ImageOutcome o : e.images()) {
      if (!o.attacked()) {
        skipped++;
        assertEquals("misclassified", o.skipped());
      } else {
        assertTrue(o.attempts().get(0).queries() <= 800);
      }
    }
    assertEquals(10 - e.summary().cleanCorrect(), skipped);
    assertEquals("cat", e.model().classNames().get(3), "class names come from batches.meta.txt");
  }

  @Test
  void optionsOfAnotherMethodAreRefusedInOneLine() {
    Cli r = Cli.run("evaluate", "--population", "50", "--limit", "2");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("--population applies to --method su, not guided"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("evaluate", "--method", "su", "--eps", "0.1").code());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("attack", "--method", "fgsm", "--steps", "3", "-o",
        dir.resolve("a.png").toString()).code());
  }

  @Test
  void aMinimumConfidenceCountsOnlyConfidentMistakes() {
    Path loose = dir.resolve("loose.json");
    Path strict = dir.resolve("strict.json");
    assertEquals(0, Cli.run("evaluate", "--limit", "12", "--budget", "1568", "--quiet", "--results",
        loose.toString()).code());
    Cli r = Cli.run("evaluate", "--limit", "12", "--budget", "1568", "--quiet", "--min-confidence", "0.9",
        "--results", strict.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("success needs top confidence >= 0.9"), r.out());
    EvaluationResult a = ResultsJson.read(loose);
    EvaluationResult b = ResultsJson.read(strict);
    // Without the criterion some flips are unconfident, so the criterion must cost successes.
    assertTrue(a.attempts().stream().anyMatch(x -> x.success() && x.adversarialConfidence() < 0.9f),
        "the loose run has an unconfident flip");
    assertTrue(b.summary().successes() < a.summary().successes(), b.summary() + " vs " + a.summary());
    for (AttackResult x : b.attempts()) {
      if (x.success()) {
        assertTrue(x.adversarialConfidence() >= 0.9f, x.imageId() + " " + x.adversarialConfidence());
      }
    }
    assertEquals("top confidence >= 0.9", b.targets().extra().describe());
  }
}
