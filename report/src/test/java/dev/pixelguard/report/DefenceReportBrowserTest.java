package dev.pixelguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.TransferAttack;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.calibration.TemperatureScaling;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.defence.TransformedClassifier;
import dev.pixelguard.eval.DefenceReport;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.Fixtures;
import dev.pixelguard.transform.Transforms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;

/**
 * A defence report from real results: ResNet-20 (ONNX) gated with its own 6-bit view (all agree,
 * confidence at least 0.4), attacked on CIFAR-10 fixture images by the guided one-pixel search three ways
 * (undefended, through the gate by an attack that ignores it, adaptively with the harm goal); clean figures,
 * calibration and the squeeze detector's ROC on other fixture images. The page is opened in headless
 * Chromium: the table's numbers are the summaries', each chart is one inline SVG, the gallery holds exactly
 * the adaptive attack's successes, and nothing is fetched from the network.
 */
class DefenceReportBrowserTest {
  static final double TEMPERATURE = 2.36227; // fitted on fixture images 466-931 (docs/defences.md)
  static EvaluationResult undefended;
  static EvaluationResult oblivious;
  static EvaluationResult adaptive;
  static DefenceReport report;

  @BeforeAll
  static void evaluate(@TempDir Path tmp) throws Exception {
    HtmlReportBrowserTest.userData = Files.createDirectories(tmp.resolve("profile"));
    Dataset all = Fixtures.cifar();
    try (OnnxClassifier onnx = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT)) {
      Classifier model = Classifiers.withClassNames(onnx, all.classNames());
      Gate gate = new Gate(List.of(new Gate.View("cifar10-resnet20.onnx", model),
          new Gate.View("cifar10-resnet20.onnx + bitdepth(bits=6)", TransformedClassifier.of(model, Transforms.parse("bitdepth:6"), 1))),
          new Gate.Settings(Gate.Fusion.ALL_AGREE, false, 0.4, Double.POSITIVE_INFINITY, Fallback.ABSTAIN), List.of());
      Dataset attacked = all.limit(10);
      GuidedPixelAttack attack = GuidedPixelAttack.builder().budget(600).build();
      Targets harm = new Targets.Harm(gate.abstainClass(), null);
      undefended = Evaluation.of(model, attacked, attack).targets(new Targets.Untargeted(null)).run();
      oblivious = Evaluation.of(gate.asClassifier(), attacked, new TransferAttack<>(attack, model)).targets(harm).run();
      adaptive = Evaluation.of(gate.asClassifier(), attacked, attack).targets(harm).run();

      Dataset clean = all.range(new Split.Range(100, 299));
      GateFit.Figures figures = GateFit.measure(gate, clean);
      List<Image> images = new ArrayList<>();
      int[] labels = new int[clean.size()];
      for (int i = 0; i < clean.size(); i++) {
        images.add(clean.get(i).image());
        labels[i] = clean.get(i).label();
      }
      Scores s = model.classify(ImageBatch.of(images));
      double[][] logits = new double[s.size()][s.numClasses()];
      double[][] p = new double[s.size()][s.numClasses()];
      for (int i = 0; i < s.size(); i++) {
        for (int k = 0; k < s.numClasses(); k++) {
          logits[i][k] = s.logit(i, k);
          p[i][k] = s.probability(i, k);
        }
      }
      CalibrationSummary before = CalibrationSummary.measure(p, labels, 15, 1);
      CalibrationSummary after = CalibrationSummary.measure(TemperatureScaling.probabilities(logits, TEMPERATURE),
          labels, 15, 1);

      double[] negatives = gate.assess(ImageBatch.of(images)).stream().mapToDouble(Gate.Evidence::squeeze).toArray();
      List<Image> adversarials = undefended.attempts().stream().filter(AttackResult::success)
          .map(AttackResult::adversarial).toList();
      double[] positives = gate.assess(ImageBatch.of(adversarials)).stream().mapToDouble(Gate.Evidence::squeeze)
          .toArray();
      report = DefenceReport.builder(gate.describe(), undefended, oblivious, adaptive)
          .cleanFigures(figures, clean.name())
          .calibration("cifar10-resnet20.onnx", before, after, TEMPERATURE)
          .detector("squeeze distance, one-pixel adversarials", new Roc(negatives, positives))
          .build();
    }
    assertTrue(adaptive.summary().successes() >= 1, "the adaptive attack gets through the gate on some image");
  }

  @Test
  void pageShowsTheSummariesEveryChartAndExactlyTheAdaptiveSuccesses(@TempDir Path dir) throws Exception {
    Path index = DefenceReportPage.write(report, dir.resolve("report"));
    List<EvaluationResult> saved = ResultsJson.readAll(dir.resolve("report/results.json"));
    assertEquals(3, saved.size());
    assertEquals(adaptive.summary().successes(), saved.get(2).summary().successes());
    Files.createDirectories(Path.of("target"));
    Files.copy(index, Path.of("target/defence-report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    ChromeDriver driver = HtmlReportBrowserTest.browser();
    try {
      driver.manage().logs().get(LogType.PERFORMANCE); // the browser's own start-up requests
      driver.get(index.toUri().toString());
      JavascriptExecutor js = driver;

      // The table: one row per evaluation, its numbers those of the summary.
      String[] ids = {"undefended", "oblivious", "adaptive"};
      List<EvaluationResult> runs = List.of(undefended, oblivious, adaptive);
      assertEquals(3, driver.findElements(By.cssSelector("#side-by-side tbody tr")).size());
      for (int i = 0; i < 3; i++) {
        Summary s = runs.get(i).summary();
        WebElement row = driver.findElement(By.cssSelector("#side-by-side tr[data-row='" + ids[i] + "']"));
        assertEquals(Integer.toString(s.attacked()), row.findElement(By.cssSelector("td.attacked")).getText(), ids[i]);
        assertEquals(Integer.toString(s.successes()), row.findElement(By.cssSelector("td.harmed")).getText(), ids[i]);
        assertEquals(String.format(Locale.ROOT, "%.1f%%", 100.0 * s.successes() / s.attacked()),
            row.findElement(By.cssSelector("td.rate .num")).getText(), ids[i]);
        assertEquals(String.format(Locale.ROOT, "%,d", s.attackQueries()),
            row.findElement(By.cssSelector("td.queries .num")).getText(), ids[i]);
      }
      String threat = driver.findElement(By.id("threat-line")).getText();
      assertTrue(threat.contains("budget 600 queries per image") && threat.contains("seed 1")
          && threat.contains("1 pixel"), threat);
      Summary a = adaptive.summary();
      String verdict = driver.findElement(By.id("verdict")).getText();
      assertTrue(verdict.contains("it still finds an accepted wrong answer on " + a.successes() + " of " + a.attacked()
          + " images"), verdict);

      // Every chart is one inline SVG; the ROC's legend carries the AUC.
      for (String section : List.of("risk-coverage", "reliability", "roc")) {
        assertEquals(1, driver.findElements(By.cssSelector("#" + section + " svg")).size(), section);
      }
      assertEquals(3, driver.findElements(By.cssSelector("svg")).size());
      String rocText = driver.findElement(By.cssSelector("#roc svg")).getText();
      String auc = String.format(Locale.ROOT, "AUC %.3f", report.detectors().get(0).roc().auc());
      assertTrue(driver.getPageSource().contains(auc) && rocText.contains("5% FP"), rocText);

      // The gallery: exactly the adaptive successes, in dataset order, each image decoded.
      List<AttackResult> successes = adaptive.attempts().stream().filter(AttackResult::success).toList();
      List<WebElement> items = driver.findElements(By.cssSelector("#gallery figure.item"));
      assertEquals(successes.stream().map(AttackResult::imageId).toList(),
          items.stream().map(e -> e.getAttribute("data-id")).toList());
      for (int i = 0; i < items.size(); i++) {
        AttackResult r = successes.get(i);
        List<WebElement> imgs = items.get(i).findElements(By.tagName("img"));
        assertEquals(3, imgs.size(), "original, adversarial, close-up");
        for (int j = 0; j < 2; j++) {
          assertEquals(Boolean.TRUE, js.executeScript("return arguments[0].complete && arguments[0].naturalWidth === 32;",
              imgs.get(j)));
        }
        assertEquals(Boolean.TRUE, js.executeScript("return arguments[0].naturalWidth > 0;", imgs.get(2)));
        assertEquals(r.changes().size(), items.get(i).findElements(By.cssSelector(".mark:not(.square)")).size());
        assertEquals(adaptive.model().className(r.adversarialClass()) + " "
            + String.format(Locale.ROOT, "%.3f", r.adversarialConfidence()),
            items.get(i).findElement(By.cssSelector(".accepted")).getText());
        assertFalse(adaptive.model().className(r.adversarialClass()).equals("abstain"));
      }
      Browsers.assertQuietAndOffline(driver); // no console warnings, no request but the file and data: URIs
      driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280,
          ((Number) js.executeScript("return document.body.scrollHeight;")).intValue()));
      Path shot = Path.of("target/defence-report-screenshot.png");
      Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
      assertTrue(ImageIO.read(shot.toFile()).getWidth() >= 1000);
    } finally {
      driver.quit();
    }
  }

  @Test
  void sectionsWithoutDataAreLeftOut() {
    String page = DefenceReportPage.render(DefenceReport.builder("a gate", undefended, oblivious, adaptive).build());
    assertTrue(page.contains("id=\"side-by-side\"") && page.contains("id=\"gallery\""));
    for (String id : List.of("risk-coverage", "reliability", "roc")) {
      assertFalse(page.contains("id=\"" + id + "\""), id);
    }
    assertFalse(page.contains("<svg"));
  }

  @Test
  void theSamePageFromTheSavedComparison(@TempDir Path dir) {
    Path file = dir.resolve("r.json");
    ResultsJson.write(report.comparison(), file);
    DefenceReport again = DefenceReport.builder(report.gate(), ResultsJson.readAll(file)).build();
    DefenceReport first = DefenceReport.builder(report.gate(), undefended, oblivious, adaptive).build();
    assertEquals(DefenceReportPage.render(first), DefenceReportPage.render(again));
    assertTrue(!java.util.regex.Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:|//)|@import|url\\(\\s*[\"']?https?:")
        .matcher(DefenceReportPage.render(report)).find(), "no external references");
  }

  @Test
  void refusesEvaluationsOfDifferentImagesAndComparisonsOfOtherSizes() {
    assertThrows(IllegalArgumentException.class, () -> DefenceReport.builder("g", List.of(undefended, adaptive)));
    EvaluationResult fewer = new EvaluationResult(adaptive.model(), adaptive.modelGivesLogits(), adaptive.dataset(),
        adaptive.attack(), adaptive.settings(), adaptive.targets(), adaptive.seed(), adaptive.execution(),
        adaptive.images().subList(0, 3), adaptive.totals());
    assertThrows(IllegalArgumentException.class,
        () -> DefenceReport.builder("g", undefended, oblivious, fewer).build());
  }
}
