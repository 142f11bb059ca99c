package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

class GateAndReportTest {
  @TempDir Path dir;

  /** Embedded default, images 0-11 with a 1,568-query budget (every corner): robust accuracy is 8/11 here. */
  Cli evaluate(String... extra) {
    String[] base = {"evaluate", "--limit", "12", "--budget", "1568", "--quiet", "--results",
        dir.resolve("r.json").toString()};
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return Cli.run(args);
  }

  @Test
  void gateFailsWithCodeThreeBelowTheThresholdAndPassesAtOrAboveIt() throws Exception {
    Cli fail = evaluate("--fail-under", "0.95", "--junit", dir.resolve("fail.xml").toString());
    assertEquals(ExitCode.GATE_FAILED, fail.code(), fail.toString());
    assertTrue(fail.err().contains("gate failed: robust accuracy"), fail.err());
    Element suite = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve("fail.xml").toFile()).getDocumentElement();
    assertEquals("testsuite", suite.getTagName());
    int tests = Integer.parseInt(suite.getAttribute("tests"));
    int failures = Integer.parseInt(suite.getAttribute("failures"));
    var gate = (Element) suite.getElementsByTagName("testcase").item(0);
    assertEquals("pixelguard.gate", gate.getAttribute("classname"));
    assertEquals(1, gate.getElementsByTagName("failure").getLength());
    // Robust accuracy = (attacked - flipped) / attacked, read back from the JUnit counts.
    double robust = 1 - (failures - 1) / (double) (tests - 1);
    assertTrue(robust < 0.95);
    Cli pass = evaluate("--fail-under", String.valueOf(robust), "--junit", dir.resolve("pass.xml").toString());
    assertEquals(0, pass.code(), pass.toString());
    assertTrue(pass.out().contains("gate:     passed"), pass.out());
    Element suite2 = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve("pass.xml").toFile()).getDocumentElement();
    assertEquals(failures - 1, Integer.parseInt(suite2.getAttribute("failures")), "only image failures remain");
  }

  @Test
  void aGateWithNothingAttackedFailsAndTheJUnitFileAgrees() throws Exception {
    // A single unlabelled image: nothing can be attacked, so robustness was not measured.
    Path png = dir.resolve("shoe.png");
    dev.pixelguard.data.ImageFiles.writePng(dev.pixelguard.data.Datasets.samples().get(0).image(), png);
    // without a gate: it says so, and claims no robust accuracy (it printed 100.0%)
    Cli plain = Cli.run("evaluate", "-d", png.toString(), "--quiet");
    assertEquals(0, plain.code(), plain.toString());
    assertTrue(plain.out().contains("flipped:  no image was attacked (no image is labelled), so robustness was not "
        + "measured\n"), plain.out());
    assertFalse(plain.out().contains("robust accuracy"), plain.out());
    Path xml = dir.resolve("none.xml");
    Cli r = Cli.run("evaluate", "-d", png.toString(), "--quiet", "--fail-under", "0.5", "--junit", xml.toString());
    assertEquals(ExitCode.GATE_FAILED, r.code(), r.toString());
    assertTrue(r.err().contains("no image was attacked (no image is labelled)"), r.err());
    Element suite = (Element) DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile())
        .getDocumentElement();
    assertEquals("1", suite.getAttribute("tests"));
    assertEquals("1", suite.getAttribute("failures"), "the file and the exit code agree");
  }

  @Test
  void badThresholdIsBadInput() {
    Cli r = evaluate("--fail-under", "1.5");
    assertEquals(ExitCode.BAD_INPUT, r.code());
    assertTrue(r.err().contains("--fail-under must be in [0, 1]"), r.err());
  }

  @Test
  void reportFromSavedResultsWithoutTheModel() throws Exception {
    Cli e = evaluate("--report", dir.resolve("rep").toString());
    assertEquals(0, e.code(), e.toString());
    assertTrue(Files.isRegularFile(dir.resolve("rep/index.html")));
    Cli r = Cli.run("report", dir.resolve("r.json").toString(), "--out", dir.resolve("again").toString());
    assertEquals(0, r.code(), r.toString());
    String html = Files.readString(dir.resolve("again/index.html"));
    assertTrue(html.contains("Robustness report") && html.contains("gallery-data"));
    assertEquals(Files.readString(dir.resolve("rep/index.html")), html, "the same page, rebuilt without the model");
    Path notResults = dir.resolve("x.json");
    Files.writeString(notResults, "{\"hello\": 1}");
    Cli bad = Cli.run("report", notResults.toString(), "--out", dir.resolve("bad").toString());
    assertEquals(ExitCode.BAD_INPUT, bad.code());
    assertTrue(bad.err().contains("not a pixelguard results file"), bad.err());
    assertFalse(Files.exists(dir.resolve("bad/index.html")));
  }

  @Test
  void scanReportHasVulnerabilityMaps() throws Exception {
    Cli r = Cli.run("scan", "--limit", "8", "--quiet", "--report", dir.resolve("scan").toString());
    assertEquals(0, r.code(), r.toString());
    String html = Files.readString(dir.resolve("scan/index.html"));
    assertTrue(html.contains("One-pixel scan") && html.contains("\"map\":\""), "maps are embedded");
  }
}
