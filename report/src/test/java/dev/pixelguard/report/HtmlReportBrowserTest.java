package dev.pixelguard.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.djl.TorchScriptClassifier;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Renders a report from real results (ResNet-20 on CIFAR-10 fixture images) and checks it in real headless
 * Chromium (Debian's chromium and chromium-driver): it loads from file:// with no console errors and no
 * network requests, every gallery image decodes on every page, the heatmap has one cell per class pair,
 * and a screenshot is taken.
 */
class HtmlReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static EvaluationResult results;
  static Path userData;

  @BeforeAll
  static void evaluate(@TempDir Path tmp) throws Exception {
    assertTrue(Files.isExecutable(CHROMIUM), "Chromium missing: apt-get install chromium chromium-driver");
    assertTrue(Files.isExecutable(CHROMEDRIVER), "ChromeDriver missing: apt-get install chromium-driver");
    userData = Files.createDirectories(tmp.resolve("profile"));
    try (OnnxClassifier model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT)) {
      Dataset data = Fixtures.cifar().limit(40);
      results = Evaluation.of(Classifiers.withClassNames(model, data.classNames()), data, GuidedPixelAttack.builder()
          .budget(1_500).build()).seed(1).run();
    }
    assertTrue(results.summary().successes() >= 5, "some of the first 40 images flip");
  }

  static ChromeDriver browser() {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + userData, "--window-size=1280,2000", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    o.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, o);
  }

  @Test
  void gradientReportShowsOriginalAdversarialAndPerturbationForEveryAttackedImage(@TempDir Path dir) {
    EvaluationResult gradient;
    try (TorchScriptClassifier model = TorchScriptClassifier.load(Fixtures.resnetTorchScript(),
        ModelSpec.DEFAULT.withInputShape(new int[] {3, 32, 32}))) {
      Dataset data = Fixtures.cifar().limit(12);
      gradient = Evaluation.of((GradientClassifier) Classifiers.withClassNames(model, data.classNames()), data,
          Pgd.builder(2 / 255.0).iterations(5).build()).execution(new Execution(12, 1)).run();
    }
    Path index = HtmlReport.write(gradient, dir.resolve("report"));
    ChromeDriver driver = browser();
    try {
      driver.get(index.toUri().toString());
      JavascriptExecutor js = driver;
      assertTrue(driver.getTitle().contains("gradient attack") || driver.getPageSource().contains("gradient attack"));
      driver.findElement(By.id("onlyflipped")).click();
      int attacked = gradient.summary().attacked();
      List<WebElement> items = driver.findElements(By.cssSelector("#items .item"));
      assertEquals(attacked, items.size(), "one gallery item per attacked image, fooled or not");
      for (WebElement item : items) {
        List<WebElement> imgs = item.findElements(By.tagName("img"));
        assertEquals(3, imgs.size(), "original, adversarial, perturbation");
        for (WebElement img : imgs) {
          assertEquals(Boolean.TRUE, js.executeScript("return arguments[0].complete && arguments[0].naturalWidth === 32;", img));
        }
        assertTrue(item.getText().contains("L-inf"), item.getText());
      }
      List<String> severe = new ArrayList<>();
      for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
        if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
          severe.add(e.getMessage());
        }
      }
      assertTrue(severe.isEmpty(), "console: " + severe);
    } finally {
      driver.quit();
    }
  }

  @Test
  void reportOpensFromDiskCleanlyAndEveryImageDecodes(@TempDir Path dir) throws Exception {
    Path index = HtmlReport.write(results, dir.resolve("report"));
    assertTrue(Files.isRegularFile(dir.resolve("report/results.json")));
    ChromeDriver driver = browser();
    try {
      driver.manage().logs().get(LogType.PERFORMANCE); // drain the browser's own start-up requests
      String url = index.toUri().toString();
      driver.get(url);
      JavascriptExecutor js = driver;
      // One cell per class pair.
      assertEquals(100, driver.findElements(By.cssSelector("#heatmap td.cell")).size());
      assertEquals(1, driver.findElements(By.cssSelector("#budget svg")).size());
      // Every gallery image decodes, on every page, flipped and resisted alike.
      WebElement only = driver.findElement(By.id("onlyflipped"));
      only.click();
      int checked = 0;
      int expected = results.summary().attacked();
      while (true) {
        List<WebElement> imgs = driver.findElements(By.cssSelector("#items img"));
        assertTrue(!imgs.isEmpty());
        for (WebElement img : imgs) {
          Object ok = js.executeScript("return arguments[0].complete && arguments[0].naturalWidth === 32;", img);
          assertEquals(Boolean.TRUE, ok, "image " + img.getAttribute("alt") + " decodes");
        }
        checked += imgs.size() / 2;
        WebElement next = driver.findElement(By.id("next"));
        if (!next.isEnabled()) {
          break;
        }
        next.click();
      }
      assertEquals(expected, checked, "every attacked image appears once, as original and adversarial");
      Browsers.assertQuietAndOffline(driver); // no console warnings, no request but the file and data: URIs
      // A screenshot of the first page.
      only.click();
      byte[] png = driver.getScreenshotAs(OutputType.BYTES);
      Path shot = Path.of("target/report-screenshot.png");
      Files.write(shot, png);
      assertTrue(ImageIO.read(shot.toFile()).getWidth() >= 1000);
    } finally {
      driver.quit();
    }
  }

  @Test
  void aLargeRunShowsItsFirstImagesFlippedFirst() {
    int flipped = results.summary().successes();
    String page = HtmlReport.render(results, flipped - 1);
    assertTrue(page.contains("(" + (flipped - 1) + " images)"), "the gallery holds the cap");
    assertTrue(page.contains(String.format(java.util.Locale.ROOT, "The first %d of %d are shown", flipped - 1,
        results.attempts().size())), "the page says how many it left out");
    // Only flipped images made it: each flipped image's id appears, and the first resisting one's does not.
    String resisted = results.attempts().stream().filter(a -> !a.success()).findFirst().orElseThrow().imageId();
    assertTrue(!page.contains("\"" + resisted + "\""), resisted + " is not in the gallery");
    assertTrue(!HtmlReport.render(results).contains("are shown"), "below the cap every image is shown");
  }

  @Test
  void rebuildingFromSavedResultsGivesTheSamePage(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("r.json");
    ResultsJson.write(results, saved);
    String again = HtmlReport.render(ResultsJson.read(saved));
    assertEquals(HtmlReport.render(results), again);
    assertTrue(again.contains("Robustness report"));
    // No external resources (namespaces such as the SVG xmlns are names, not fetches).
    assertTrue(!java.util.regex.Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:|//)|@import|url\\(\\s*[\"']?https?:")
        .matcher(again).find(), "no external references");
  }
}
