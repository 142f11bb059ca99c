package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.eval.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanAndMethodsTest {
  @TempDir Path dir;

  @Test
  void scanWritesFlipsAndVulnerabilityMaps() throws Exception {
    // Embedded default, images 0-7: image 6 (a coat) turns into a shirt when pixel (26,10) goes white.
    Path results = dir.resolve("scan.json");
    Cli r = Cli.run("scan", "--limit", "8", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("vulnerable #6 fashion-mnist-test#6"), r.out());
    assertTrue(r.out().contains("784 positions x 2 colours"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertEquals("scan", e.attack());
    boolean saw6 = false;
    for (ImageOutcome o : e.images()) {
      for (AttackResult a : o.attempts()) {
        ScanFindings f = a.findings();
        assertEquals(784, f.map().length);
        assertEquals(1568, a.queries(), "a full scan tries every position with black and white");
        assertEquals(f.vulnerable(), a.success(), "the final check agrees with the scan");
        if (o.index() == 6) {
          saw6 = true;
          assertTrue(f.vulnerable());
          assertTrue(f.flips().stream().anyMatch(x -> x.x() == 26 && x.y() == 10 && x.colour()[0] == 255),
              f.flips().toString());
          // The map holds, per position, the lowest true-class probability: below 0.5 where it flips.
          assertTrue(f.map()[10 * 28 + 26] < 0.5);
        }
      }
    }
    assertTrue(saw6);
    // Written as it comes with side-car images: the same findings, image for image.
    Path side = dir.resolve("scan-side.json");
    Cli r2 = Cli.run("scan", "--limit", "8", "--quiet", "--no-images", "--results", side.toString());
    assertEquals(0, r2.code(), r2.toString());
    assertTrue(Files.isDirectory(dir.resolve("scan-side.images")), "side-car folder");
    EvaluationResult e2 = ResultsJson.read(side);
    assertEquals(e.images().size(), e2.images().size());
    for (int i = 0; i < e.images().size(); i++) {
      List<AttackResult> a = e.images().get(i).attempts();
      List<AttackResult> b = e2.images().get(i).attempts();
      assertEquals(a.size(), b.size());
      for (int t = 0; t < a.size(); t++) {
        assertEquals(flips(a.get(t)), flips(b.get(t)));
        assertEquals(java.util.Arrays.toString(a.get(t).findings().map()),
            java.util.Arrays.toString(b.get(t).findings().map()));
        assertEquals(a.get(t).adversarial(), b.get(t).adversarial());
      }
    }
  }

  private static List<String> flips(AttackResult a) {
    return a.findings().flips().stream().map(f -> f.x() + "," + f.y() + " " + java.util.Arrays.toString(f.colour())
        + " -> " + f.adversarialClass() + " " + f.confidence()).toList();
  }

  @Test
  void suMethodIsAvailableAsTheReference() throws Exception {
    Path results = dir.resolve("su.json");
    Cli r = Cli.run("evaluate", "--method", "su", "--limit", "4", "--budget", "800", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("attack:   su (differential evolution)"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertEquals("su", e.attack());
    assertEquals("PROBABILITY", e.settings().get("objective"));
    assertEquals(400, ((Number) e.settings().get("population")).intValue());
  }

  @Test
  void guidedIsTheDefaultAndSaysItUsesLogits() throws Exception {
    Path results = dir.resolve("g.json");
    Cli r = Cli.run("evaluate", "--limit", "3", "--budget", "500", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("attack:   guided"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertTrue(String.valueOf(e.settings().get("objective")).startsWith("MARGIN (from logits"), e.settings().toString());
    assertTrue(e.modelGivesLogits(), "the embedded network gives logits");
  }

  @Test
  void targetedTowardEveryClassGivesTheMatrix() throws Exception {
    Path results = dir.resolve("t.json");
    Cli r = Cli.run("evaluate", "--limit", "3", "--target", "all", "--budget", "600", "--results", results.toString(),
        "--report", dir.resolve("targeted").toString());
    assertEquals(0, r.code(), r.toString());
    String html = java.nio.file.Files.readString(dir.resolve("targeted/index.html"));
    assertTrue(html.contains("toward every other class") && html.contains("class=\"cell\""), "report with the matrix");
    Cli gate = Cli.run("evaluate", "--limit", "3", "--target", "all", "--fail-under", "0.5");
    assertEquals(ExitCode.BAD_INPUT, gate.code(), gate.toString());
    assertTrue(r.out().contains("original \\ target (successes/tried):"), r.out());
    EvaluationResult e = ResultsJson.read(results);
    assertTrue(e.targets().matrix());
    Summary s = e.summary();
    assertEquals(27, s.attempts(), "3 images x 9 other classes");
    int tried = 0;
    int ok = 0;
    for (int f = 0; f < 10; f++) {
      assertEquals(0, s.targetTried()[f][f], "never targeted at its own class");
      for (int t = 0; t < 10; t++) {
        tried += s.targetTried()[f][t];
        ok += s.targetSuccesses()[f][t];
      }
    }
    assertEquals(27, tried);
    assertEquals(s.successes(), ok);
    for (AttackResult a : e.attempts()) {
      if (a.success()) {
        assertEquals(a.goal().target(), a.adversarialClass());
      }
    }
    // Each (image, target) pair has a seed of its own.
    assertEquals(27, e.attempts().stream().mapToLong(AttackResult::seed).distinct().count());
  }

  @Test
  void labelOnlyOption() throws Exception {
    Path results = dir.resolve("l.json");
    Cli r = Cli.run("evaluate", "--limit", "8", "--label-only", "--budget", "1568", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    EvaluationResult e = ResultsJson.read(results);
    assertFalse(e.modelGivesLogits(), "results say the attack saw no logits");
    AttackResult six = e.images().get(6).attempts().get(0);
    assertTrue(six.success(), "image 6 has a corner flip, which a full corner sweep finds without any scores");
    assertEquals(1.0, six.adversarialConfidence(), 0.0, "a label-only model reports one-hot scores");
  }
}
