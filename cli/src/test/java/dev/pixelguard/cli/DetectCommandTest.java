package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pixelguard detect on the real fixtures (a small run) and its refusals. */
class DetectCommandTest {
  @TempDir Path dir;

  @Test
  void smallRunPrintsTheFiguresAndWritesTheRoc() throws Exception {
    Path json = dir.resolve("roc.json");
    Cli r = Cli.run("detect", "-m", Fixtures.resnetOnnx().toString(), "-d", Fixtures.cifarBatch().toString(),
        "--fit-on", "466-931", "--report-on", "0-15", "--squeeze", "median:2", "--squeeze", "bitdepth:5",
        "--budget", "300", "--quiet", "--out", json.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("thresholds fitted on images 466-931 (the 430 of 466 classified correctly)"), r.out());
    assertTrue(r.out().contains("joint:    median(size=2) + bitdepth(bits=5): AUC"), r.out());
    assertTrue(r.out().contains("alone:    median(size=2): AUC"), r.out());
    assertTrue(r.out().contains("at 5% FP: fitted threshold"), r.out());

    JsonNode j = new ObjectMapper().readTree(json.toFile());
    assertEquals(430, j.get("fit_images_correct").asInt());
    assertEquals(3, j.get("detectors").size(), "the joint detector, then each squeezer alone");
    JsonNode joint = j.get("detectors").get(0);
    assertTrue(joint.get("joint").asBoolean());
    JsonNode roc = joint.get("roc");
    assertEquals(0.0, roc.get(0).get(1).asDouble());
    assertEquals(1.0, roc.get(roc.size() - 1).get(2).asDouble());
    // the fitted 5% threshold of median:2 alone: the same number on any report range
    JsonNode m2 = j.get("detectors").get(1).get("rates").get(1);
    assertEquals(0.05, m2.get("fpr").asDouble());
    assertEquals(1.58017, m2.get("threshold_fitted").asDouble(), 1e-4);
  }

  @Test
  void refusesInOneLine() {
    String model = Fixtures.resnetOnnx().toString();
    String data = Fixtures.cifarBatch().toString();
    String[][] bad = {
        {"detect", "-m", model, "-d", data, "--fit-on", "0-10", "--report-on", "5-20"},
        {"detect", "-m", model, "-d", data, "--squeeze", "foo:1"},
        {"detect", "-m", model, "-d", data, "--label-only"},
        {"detect", "-m", model, "-d", data, "--target", "cat"},
        {"detect", "-m", model, "-d", data, "--method", "pgd"},
        {"detect", "-m", model, "-d", data, "--report-on", "900-1000"},
    };
    for (String[] args : bad) {
      Cli r = Cli.run(args);
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
      assertEquals(1, r.err().strip().split("\n").length, r.err());
      assertFalse(r.err().contains("\tat "), r.err());
    }
  }
}
