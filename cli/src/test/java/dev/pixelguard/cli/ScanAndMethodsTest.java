package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
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
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertEquals("scan", j.get("kind").asText());
    boolean saw6 = false;
    for (JsonNode im : j.get("images")) {
      assertEquals(784, im.get("map").size());
      assertEquals(1568, im.get("queries").asInt(), "a full scan tries every position with black and white");
      if (im.get("index").asInt() == 6) {
        saw6 = true;
        assertTrue(im.get("vulnerable").asBoolean());
        boolean found = false;
        for (JsonNode f : im.get("flips")) {
          found |= f.get("x").asInt() == 26 && f.get("y").asInt() == 10 && f.get("colour").get(0).asInt() == 255;
        }
        assertTrue(found, im.get("flips").toString());
        // The map holds, per position, the lowest true-class probability: below 0.5 where it flips.
        assertTrue(im.get("map").get(10 * 28 + 26).asDouble() < 0.5);
      }
    }
    assertTrue(saw6);
  }

  @Test
  void suMethodIsAvailableAsTheReference() throws Exception {
    Path results = dir.resolve("su.json");
    Cli r = Cli.run("evaluate", "--method", "su", "--limit", "4", "--budget", "800", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("attack:   su (differential evolution)"), r.out());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertTrue(j.get("attack").get("attack").asText().startsWith("pixel (Su et al. 2019"));
    assertEquals("PROBABILITY", j.get("attack").get("objective").asText());
    assertEquals(400, j.get("attack").get("population").asInt());
  }

  @Test
  void guidedIsTheDefaultAndSaysItUsesLogits() throws Exception {
    Path results = dir.resolve("g.json");
    Cli r = Cli.run("evaluate", "--limit", "3", "--budget", "500", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("attack:   guided"), r.out());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertTrue(j.get("attack").get("objective").asText().startsWith("MARGIN (from logits"), j.get("attack").toString());
    assertEquals(true, j.get("model").get("logits").asBoolean(), "the embedded network gives logits");
  }

  @Test
  void targetedTowardEveryClassGivesTheMatrix() throws Exception {
    Path results = dir.resolve("t.json");
    Cli r = Cli.run("evaluate", "--limit", "3", "--target", "all", "--budget", "600", "--results", results.toString(),
        "--report", dir.resolve("targeted").toString());
    assertEquals(0, r.code(), r.toString());
    String html = java.nio.file.Files.readString(dir.resolve("targeted/index.html"));
    assertTrue(html.contains("Targeted one-pixel attack") && html.contains("class=\"cell\""), "report with the matrix");
    Cli gate = Cli.run("evaluate", "--limit", "3", "--target", "all", "--fail-under", "0.5");
    assertEquals(ExitCode.BAD_INPUT, gate.code(), gate.toString());
    assertTrue(r.out().contains("original \\ target (successes/tried):"), r.out());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertEquals("targeted", j.get("kind").asText());
    assertEquals(27, j.get("pairs").size(), "3 images x 9 other classes");
    int tried = 0;
    int ok = 0;
    for (int f = 0; f < 10; f++) {
      assertEquals(0, j.get("tried").get(f).get(f).asInt(), "never targeted at its own class");
      for (int t = 0; t < 10; t++) {
        tried += j.get("tried").get(f).get(t).asInt();
        ok += j.get("successes").get(f).get(t).asInt();
      }
    }
    assertEquals(27, tried);
    assertEquals(j.get("summary").get("successes").asInt(), ok);
    for (JsonNode p : j.get("pairs")) {
      if (p.get("success").asBoolean()) {
        assertEquals(p.get("target").asInt(), p.get("adversarialClass").asInt());
      }
    }
  }

  @Test
  void labelOnlyOption() throws Exception {
    Path results = dir.resolve("l.json");
    Cli r = Cli.run("evaluate", "--limit", "8", "--label-only", "--budget", "1568", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertEquals(false, j.get("model").get("logits").asBoolean(), "results say the attack saw no logits");
    boolean saw6 = false;
    for (JsonNode im : j.get("images")) {
      if (im.get("index").asInt() == 6) {
        saw6 = im.get("success").asBoolean();
        assertEquals(1.0, im.get("adversarialConfidence").asDouble(), 0.0, "a label-only model reports one-hot scores");
      }
    }
    assertTrue(saw6, "image 6 has a corner flip, which a full corner sweep finds without any scores");
  }
}
