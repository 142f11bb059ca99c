package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.report.HtmlReport;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gradient attacks and adversarial training through the command line. */
class WhiteBoxTest {
  @TempDir Path dir;

  @Test
  void pgdEvaluationBreaksTheStandardDefaultAndWritesConsistentResults() throws Exception {
    Path json = dir.resolve("pgd.json");
    Cli r = Cli.run("evaluate", "--method", "pgd", "--eps", "0.1", "--steps", "20", "--step", "0.01", "-n", "60",
        "--quiet", "--results", json.toString(), "--report", dir.resolve("report").toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("attack:   pgd, L-inf eps 0.1000, 20 steps of 0.01000"), r.out());
    EvaluationResult e = ResultsJson.read(json);
    assertEquals("pgd", e.attack());
    // The bar: the standard network keeps under 10% accuracy under PGD-20 at epsilon 0.1.
    assertTrue(e.summary().accuracyUnderAttack() < 0.10, e.summary().toString());
    int successes = 0;
    for (AttackResult a : e.attempts()) {
      assertTrue(a.perturbation().linf() <= 0.1 + 1e-6, "within epsilon: " + a.perturbation());
      assertTrue(a.cost().gradients() >= 1 && a.cost().gradients() <= 20);
      if (a.success()) {
        successes++;
        assertTrue(a.adversarialClass() != a.cleanClass());
        byte[] x = a.original().toBytes();
        byte[] y = a.adversarial().toBytes();
        for (int i = 0; i < x.length; i++) {
          // 0.1 of 255 is 25.5: rounding keeps every value within 26.
          assertTrue(Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)) <= 26);
        }
      }
    }
    assertEquals(successes, e.summary().successes());
    String html = Files.readString(dir.resolve("report/index.html"));
    assertTrue(html.contains("Robustness report: gradient attack"));
    assertTrue(HtmlReport.render(e).contains("accuracy under attack"));
  }

  @Test
  void fgsmAttackOnTheTorchScriptResNetWritesAnImageThatFoolsIt() {
    Path png = dir.resolve("adv.png");
    String ts = Fixtures.resnetTorchScript().toString();
    String cifar = Fixtures.cifarBatch().toString();
    Cli r = Cli.run("attack", "--method", "fgsm", "-m", ts, "-d", cifar, "--index", "3", "-o", png.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("fooled"), r.out());
    Cli p = Cli.run("predict", "-m", ts, "-i", png.toString());
    assertEquals(0, p.code(), p.toString());
    assertFalse(p.out().contains(": airplane ("), "the written PNG no longer reads as airplane: " + p.out());
  }

  @Test
  void modelsWithoutGradientsAndMeaninglessOptionsAreRefusedInOneLine() {
    String onnx = Fixtures.resnetOnnx().toString();
    String cifar = Fixtures.cifarBatch().toString();
    Cli r = Cli.run("evaluate", "--method", "pgd", "-m", onnx, "-d", cifar, "-n", "5");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("needs input gradients"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("evaluate", "--method", "pgd", "--label-only", "-n", "5").code());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("evaluate", "--method", "pgd", "--norm", "l3").code());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("evaluate", "--method", "pgd", "--eps", "0").code());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("evaluate", "--method", "fgsm", "--norm", "l2").code());
  }

  @Test
  void adversarialTrainingCheckpointsResumesAndLoadsEverywhere() throws Exception {
    Path train = Fixtures.fashionMnist("train-images-idx3-ubyte.gz");
    Path test = Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz");
    Path model = dir.resolve("pgd.pgm");
    Cli first = Cli.run("train", "--adversarial", "pgd", "--pgd-steps", "3", "--data", train.toString(), "--test",
        test.toString(), "--limit", "512", "--epochs", "1", "--quiet", "--out", model.toString());
    assertEquals(0, first.code(), first.toString());
    assertTrue(first.out().contains("PGD-3, L-inf epsilon 0.1000"), first.out());
    assertTrue(first.out().contains("under the training attack"), first.out());
    // Another method cannot resume this checkpoint.
    Cli wrong = Cli.run("train", "--adversarial", "fgsm", "--data", train.toString(), "--test", test.toString(),
        "--limit", "512", "--epochs", "2", "--resume", "--out", model.toString());
    assertEquals(ExitCode.BAD_INPUT, wrong.code(), wrong.toString());
    Cli resumed = Cli.run("train", "--adversarial", "pgd", "--pgd-steps", "3", "--data", train.toString(), "--test",
        test.toString(), "--limit", "512", "--epochs", "2", "--quiet", "--resume", "--out", model.toString());
    assertEquals(0, resumed.code(), resumed.toString());
    assertTrue(resumed.out().contains("epochs 2-2"), resumed.out());
    try (NetworkModel m = NetworkModel.load(model)) {
      assertEquals(2, m.provenance().path("epochsDone").asInt());
      assertEquals("pgd", m.provenance().path("training").path("method").asText());
      assertEquals(3, m.provenance().path("training").path("steps").asInt());
      assertTrue(m.provenance().path("trainingSeconds").asDouble() > 0);
    }
    Cli eval = Cli.run("evaluate", "--method", "pgd", "--eps", "0.1", "-m", model.toString(), "-n", "20", "--quiet");
    assertEquals(0, eval.code(), eval.toString());
    Cli fgsm = Cli.run("train", "--adversarial", "fgsm", "--data", train.toString(), "--test", test.toString(),
        "--limit", "256", "--epochs", "1", "--quiet", "--out", dir.resolve("fgsm.pgm").toString());
    assertEquals(0, fgsm.code(), fgsm.toString());
    assertTrue(fgsm.out().contains("FGSM mix (clean weight 0.50)"), fgsm.out());
  }

  @Test
  void compareShowsBothThreatModelsForBothBundledNetworks() throws Exception {
    Path json = dir.resolve("compare.json");
    Cli r = Cli.run("compare", "-n", "40", "--budget", "1000", "--quiet", "--results", json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("builtin:fashion-cnn-pgd"), r.out());
    List<EvaluationResult> runs = ResultsJson.readAll(json);
    assertEquals(4, runs.size(), "PGD and one pixel for each of the two networks");
    EvaluationResult standardPgd = runs.get(0);
    EvaluationResult robustPgd = runs.get(2);
    assertEquals("pgd", standardPgd.attack());
    assertEquals("guided", runs.get(1).attack());
    // Adversarial training buys accuracy under PGD...
    assertTrue(robustPgd.summary().accuracyUnderAttack() > standardPgd.summary().accuracyUnderAttack() + 0.3,
        robustPgd.summary() + " vs " + standardPgd.summary());
    // ...and all tables are over the same images.
    for (EvaluationResult run : runs) {
      assertEquals(40, run.summary().evaluated());
      assertTrue(run.summary().attacked() > 0);
    }
    // ONNX models have no gradients: their PGD cell says so instead of failing the comparison.
    Cli onnx = Cli.run("compare", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(), "-n",
        "5", "--budget", "200", "--quiet");
    assertEquals(0, onnx.code(), onnx.toString());
    assertTrue(onnx.out().contains("no gradients"), onnx.out());
    assertEquals(ExitCode.BAD_INPUT, Cli.run("compare", "-m", "builtin:nope").code());
  }
}
