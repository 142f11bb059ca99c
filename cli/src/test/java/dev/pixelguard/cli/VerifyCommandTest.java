package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.testing.Fixtures;
import dev.pixelguard.verify.ImageVerdict;
import dev.pixelguard.verify.VerificationJson;
import dev.pixelguard.verify.VerificationResult;
import dev.pixelguard.verify.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pixelguard verify}: verdicts on the bundled model, its results file and report, and bad input. */
class VerifyCommandTest {
  @TempDir Path dir;

  @Test
  void verifiesTheBundledModelAndWritesResultsAndReport() throws Exception {
    Path results = dir.resolve("verify.json");
    Path report = dir.resolve("report");
    Cli r = Cli.run("verify", "-n", "3", "--results", results.toString(), "--report", report.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("vulnerable    #0 fashion-mnist-test#0"), r.out());
    // the figure is the proof's weakest bound, said as such (it read as the model's own smallest margin)
    assertTrue(r.out().contains("robust        #1 fashion-mnist-test#1: all 784 positions proven, the true class "
        + "ahead by at least 0.0760 logits everywhere (a certified lower bound, not the model's smallest margin)"),
        r.out());
    assertTrue(r.out().contains("result:   2 robust, 1 vulnerable, 0 unknown"), r.out());
    VerificationResult v = VerificationJson.read(results);
    assertEquals(3, v.images().size());
    assertEquals(Verdict.VULNERABLE, v.images().get(0).verdict());
    ImageVerdict robust = v.images().get(1);
    assertEquals(Verdict.ROBUST, robust.verdict());
    assertEquals(784, robust.margins().length);
    assertEquals(784, robust.cleared());
    for (double m : robust.margins()) {
      assertTrue(m > 0.001, "every position of a robust image has a proven margin above --margin");
    }
    assertEquals(2.0 / 3, v.certifiedAccuracy(), 1e-12);
    com.fasterxml.jackson.databind.JsonNode images = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(results.toFile()).path("images");
    assertEquals(robust.smallestMargin(), images.get(1).path("marginLowerBound").asDouble(), 1e-6);
    assertFalse(images.get(0).has("marginLowerBound"), "a vulnerable image has no certificate");
    String html = Files.readString(report.resolve("verification.html"));
    assertTrue(html.contains("Certified robust accuracy") && html.contains("66.7%"), "report summary");
    assertTrue(html.contains("data:image/png;base64,"), "report images");
    assertTrue(html.contains("(a certified lower bound, not the model&#39;s smallest margin)")
        || html.contains("(a certified lower bound, not the model's smallest margin)"), "report per image");
  }

  @Test
  void errorSymbolsProveTheSameImage() throws Exception {
    // Image 1 of the bundled set is robust; with error symbols the proof is found again, and the setting is
    // recorded with the verdicts.
    Path results = dir.resolve("symbols.json");
    Cli r = Cli.run("verify", "-n", "2", "--error-symbols", "8", "--quiet", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("result:   1 robust, 1 vulnerable, 0 unknown"), r.out());
    assertTrue(Files.readString(results).contains("\"errorSymbols\" : 8"), "the setting is in the results");
  }

  @Test
  void badInputIsOneLineBeforeAnyWork() {
    Cli t = Cli.run("verify", "--timeout", "0");
    assertEquals(ExitCode.BAD_INPUT, t.code(), t.toString());
    assertTrue(t.err().contains("--timeout must be a number of seconds, at least 0.001, was 0"), t.err());
    Cli tiny = Cli.run("verify", "--timeout", "1e-9"); // said "was PT0S": the value after rounding to milliseconds
    assertEquals("pixelguard: error: --timeout must be a number of seconds, at least 0.001, was 1e-9\n", tiny.err());
    Cli w = Cli.run("verify", "--workers", "0");
    assertEquals(ExitCode.BAD_INPUT, w.code(), w.toString());
    assertTrue(w.err().contains("--workers"), w.err());
    Cli e = Cli.run("verify", "--error-symbols", "5000");
    assertEquals(ExitCode.BAD_INPUT, e.code(), e.toString());
    assertTrue(e.err().contains("--error-symbols must be in 0-1024"), e.err());
    Cli out = Cli.run("verify", "--results", dir.resolve("missing/verify.json").toString());
    assertEquals(ExitCode.BAD_INPUT, out.code(), out.toString());
    assertTrue(out.err().contains("does not exist"), out.err());
    Cli ts = Cli.run("verify", "-m", Fixtures.resnetTorchScript().toString(), "-d", Fixtures.cifarBatch().toString());
    assertEquals(ExitCode.BAD_INPUT, ts.code(), ts.toString());
    assertTrue(ts.err().contains("export it to ONNX first"), ts.err());
    assertFalse(Files.exists(dir.resolve("missing")));
  }
}
