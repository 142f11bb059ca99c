package dev.pixelguard.io;

import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;

import static dev.pixelguard.testing.Outcomes.attempt;
import static dev.pixelguard.testing.Outcomes.image;
import static dev.pixelguard.testing.Outcomes.prediction;
import static dev.pixelguard.testing.Outcomes.withPixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.image.Image;
import dev.pixelguard.testing.Outcomes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results files round-trip to the same typed results, for every kind of attempt. */
class ResultsJsonTest {
  @TempDir Path dir;

  static final Image A = image(10, 20, 30, 40);

  static void assertSame(AttackResult a, AttackResult b) {
    assertEquals(a.imageId(), b.imageId());
    assertEquals(a.goal(), b.goal());
    assertEquals(a.goal().describe(), b.goal().describe());
    assertEquals(a.seed(), b.seed());
    assertEquals(a.original(), b.original());
    assertEquals(a.adversarial(), b.adversarial());
    assertArrayEquals(a.adversarialValues(), b.adversarialValues());
    assertEquals(a.success(), b.success());
    assertEquals(a.cleanClass(), b.cleanClass());
    assertArrayEquals(a.clean().probabilities(), b.clean().probabilities());
    assertEquals(a.adversarialClass(), b.adversarialClass());
    assertArrayEquals(a.after().probabilities(), b.after().probabilities());
    assertEquals(a.perturbation(), b.perturbation());
    assertEquals(a.cost(), b.cost());
    assertEquals(a.fitness(), b.fitness());
    assertEquals(a.findings() == null, b.findings() == null);
    if (a.findings() != null) {
      assertEquals(a.findings().flips().size(), b.findings().flips().size());
      for (int i = 0; i < a.findings().flips().size(); i++) {
        ScanFindings.Flip x = a.findings().flips().get(i);
        ScanFindings.Flip y = b.findings().flips().get(i);
        assertEquals(List.of(x.x(), x.y(), x.adversarialClass()), List.of(y.x(), y.y(), y.adversarialClass()));
        assertArrayEquals(x.colour(), y.colour());
        assertEquals(x.confidence(), y.confidence());
      }
      assertArrayEquals(a.findings().map(), b.findings().map());
      assertEquals(a.findings().complete(), b.findings().complete());
      assertEquals(a.findings().colours().size(), b.findings().colours().size());
    }
  }

  static void assertSame(EvaluationResult a, EvaluationResult b) {
    assertEquals(a.model(), b.model());
    assertEquals(a.modelGivesLogits(), b.modelGivesLogits());
    assertEquals(a.dataset(), b.dataset());
    assertEquals(a.attack(), b.attack());
    assertEquals(a.settings().toString(), b.settings().toString());
    assertEquals(a.targets().describe(), b.targets().describe());
    assertEquals(a.targets().matrix(), b.targets().matrix());
    assertEquals(String.valueOf(a.targets().extra() == null ? null : a.targets().extra().describe()),
        String.valueOf(b.targets().extra() == null ? null : b.targets().extra().describe()));
    assertEquals(a.seed(), b.seed());
    assertEquals(a.execution(), b.execution());
    assertEquals(a.totals(), b.totals());
    assertEquals(a.images().size(), b.images().size());
    for (int i = 0; i < a.images().size(); i++) {
      ImageOutcome x = a.images().get(i);
      ImageOutcome y = b.images().get(i);
      assertEquals(List.of(x.index(), x.id(), x.label(), String.valueOf(x.skipped())),
          List.of(y.index(), y.id(), y.label(), String.valueOf(y.skipped())));
      assertEquals(x.clean().top(), y.clean().top());
      assertArrayEquals(x.clean().probabilities(), y.clean().probabilities());
      assertEquals(x.attempts().size(), y.attempts().size());
      for (int j = 0; j < x.attempts().size(); j++) {
        assertSame(x.attempts().get(j), y.attempts().get(j));
      }
    }
    assertEquals(a.summary().toString().replaceAll("\\[\\[?I@[0-9a-f]+", ""),
        b.summary().toString().replaceAll("\\[\\[?I@[0-9a-f]+", ""));
    assertArrayEquals(a.summary().transitions(), b.summary().transitions());
    assertArrayEquals(a.summary().targetTried(), b.summary().targetTried());
  }

  static EvaluationResult roundTrip(EvaluationResult r, Path file) {
    ResultsJson.write(r, file);
    return ResultsJson.read(file);
  }

  @Test
  void aWriterThatCannotStartLeavesNoTemporaryFile() throws Exception {
    Path results = dir.resolve("r.json");
    Files.writeString(dir.resolve("r.images"), "a file where the side-car folder goes");
    InputException e = assertThrows(InputException.class, () -> ResultsJson.Writer.open(results, true));
    assertEquals("cannot write the images of " + results.toAbsolutePath() + " to " + dir.resolve("r.images")
        .toAbsolutePath() + ": it is a file, not a folder", e.getMessage());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("r.images"), files.map(f -> f.getFileName().toString()).toList(),
          "no hidden .r.json...tmp is left");
    }
  }

  @Test
  void sparseAttemptsAndSkippedImagesRoundTrip() {
    EvaluationResult r = Outcomes.result("guided", Targets.untargeted(), Outcomes.untargeted());
    assertSame(r, roundTrip(r, dir.resolve("r.json")));
  }

  @Test
  void denseFloatAttemptsWithACriterionRoundTripExactly() {
    // A gradient attack's image is not 8-bit: its float values are kept, and its 8-bit rounding beside them.
    float[] dense = {0.0123f, 0.5f + 1e-7f, 1f / 3, 0.99f};
    Goal goal = new Goal.Untargeted(0).and(Criterion.topConfidenceAtLeast(0.75));
    AttackResult a = attempt("a", A, 0, goal, dense, prediction(2, 0.8f), 0, 7, -1, null);
    assertFalse(a.exactIn8Bits());
    EvaluationResult r = Outcomes.result("pgd", new Targets.Untargeted(Criterion.topConfidenceAtLeast(0.75)),
        List.of(new ImageOutcome(0, "a", 0, prediction(0, 0.9f), null, List.of(a))));
    EvaluationResult back = roundTrip(r, dir.resolve("d.json"));
    assertSame(r, back);
    assertTrue(back.attempts().get(0).success());
  }

  @Test
  void scanFindingsRoundTrip() {
    ScanFindings f = new ScanFindings(2, List.of(new int[] {0}, new int[] {255}),
        List.of(new ScanFindings.Flip(1, 0, new int[] {255}, 2, 0.625f)), new float[] {0.5f, 0.125f, Float.NaN, 0.75f},
        false);
    AttackResult a = attempt("s", A, 0, new Goal.Untargeted(0), withPixel(A, 1, 255), prediction(2, 0.625f), 2, 0, 2, f);
    EvaluationResult r = Outcomes.result("scan", Targets.untargeted(),
        List.of(new ImageOutcome(0, "s", 0, prediction(0, 0.9f), null, List.of(a))));
    assertSame(r, roundTrip(r, dir.resolve("s.json")));
  }

  @Test
  void targetedMatricesAndComparisonsRoundTrip() {
    List<ImageOutcome> images = List.of(new ImageOutcome(0, "t", 0, prediction(0, 0.9f), null, List.of(
        attempt("t", A, 0, new Goal.Targeted(1), withPixel(A, 0, 255), prediction(1, 0.6f), 40, 0, 40, null),
        attempt("t", A, 0, new Goal.Targeted(2), withPixel(A, 3, 0), prediction(0, 0.6f), 90, 0, -1, null))));
    EvaluationResult matrix = Outcomes.result("guided", new Targets.EveryOther(null), images);
    assertSame(matrix, roundTrip(matrix, dir.resolve("t.json")));
    EvaluationResult single = Outcomes.result("su", new Targets.Target(1, null), Outcomes.untargeted());
    Path both = dir.resolve("c.json");
    ResultsJson.write(List.of(matrix, single), both);
    List<EvaluationResult> back = ResultsJson.readAll(both);
    assertEquals(2, back.size());
    assertSame(matrix, back.get(0));
    assertSame(single, back.get(1));
    InputException e = assertThrows(InputException.class, () -> ResultsJson.read(both));
    assertTrue(e.getMessage().contains("comparison of 2 evaluations"), e.getMessage());
  }

  @Test
  void otherFilesAreRefusedInOneClearLine() throws Exception {
    Path old = dir.resolve("old.json");
    Files.writeString(old, "{\"schema\": 1, \"tool\": \"pixelguard\", \"images\": []}");
    InputException e = assertThrows(InputException.class, () -> ResultsJson.read(old));
    assertTrue(e.getMessage().contains("schema 1") && e.getMessage().contains("run the evaluation again"),
        e.getMessage());
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"hello\": 1}");
    assertTrue(assertThrows(InputException.class, () -> ResultsJson.read(other)).getMessage()
        .contains("not a pixelguard results file"));
    // A pixel outside the image is bad input, not a crash.
    EvaluationResult r = Outcomes.result("guided", Targets.untargeted(), Outcomes.untargeted());
    Path file = dir.resolve("r.json");
    ResultsJson.write(r, file);
    Files.writeString(file, Files.readString(file).replaceFirst("\"x\" : 1", "\"x\" : 7"));
    e = assertThrows(InputException.class, () -> ResultsJson.read(file));
    assertTrue(e.getMessage().contains("outside its 2x2 pixels"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
