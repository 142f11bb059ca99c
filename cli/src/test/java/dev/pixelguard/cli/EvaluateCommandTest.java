package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir Path dir;

  static void assertConsistent(JsonNode j, int evaluated) {
    JsonNode s = j.get("summary");
    assertEquals(evaluated, s.get("evaluated").asInt());
    int attacked = 0;
    int successes = 0;
    long queries = 0;
    for (JsonNode im : j.get("images")) {
      if (im.get("attacked").asBoolean()) {
        attacked++;
        queries += im.get("queries").asLong();
        if (im.get("success").asBoolean()) {
          successes++;
          assertTrue(im.get("adversarialClass").asInt() != im.get("label").asInt());
          assertEquals(1, im.get("pixels").size());
        }
      } else {
        assertTrue(im.has("skipped"));
      }
    }
    assertEquals(attacked, s.get("attacked").asInt());
    assertEquals(successes, s.get("successes").asInt());
    assertEquals(queries, s.get("attackQueries").asLong());
    int matrix = 0;
    for (JsonNode row : j.get("transitions")) {
      for (JsonNode v : row) {
        matrix += v.asInt();
      }
    }
    assertEquals(successes, matrix);
  }

  @Test
  void evaluatesTheEmbeddedDefaultAndWritesConsistentJson() throws Exception {
    Path results = dir.resolve("r.json");
    Cli r = Cli.run("evaluate", "--limit", "12", "--budget", "2000", "--results", results.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("clean:    100.0% correct (12/12)"), r.out());
    assertTrue(r.out().contains("flipped:"), r.out());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertEquals(1, j.get("schema").asInt());
    assertEquals("Sandal", j.get("model").get("classes").get(5).asText());
    assertConsistent(j, 12);
    assertTrue(j.get("summary").get("successes").asInt() >= 1, "the default model has one-pixel weaknesses: " + r.out());
  }

  @Test
  void evaluatesResnetOnCifarSkippingMisclassifiedImages() throws Exception {
    Path results = dir.resolve("cifar.json");
    // Only the images the model gets right are attacked; the others are reported as misclassified.
    Cli r = Cli.run("evaluate", "--model", Fixtures.resnetOnnx().toString(), "--dataset",
        Fixtures.cifarBatch().toString(), "--limit", "10", "--budget", "800", "--results", results.toString(), "--quiet");
    assertEquals(0, r.code(), r.toString());
    JsonNode j = new ObjectMapper().readTree(results.toFile());
    assertConsistent(j, 10);
    int skipped = 0;
    for (JsonNode im : j.get("images")) {
      if (!im.get("attacked").asBoolean()) {
        skipped++;
        assertEquals("misclassified", im.get("skipped").asText());
      } else {
        assertTrue(im.get("queries").asLong() <= 800);
      }
    }
    assertEquals(10 - j.get("summary").get("cleanCorrect").asInt(), skipped);
    assertEquals("cat", j.get("model").get("classes").get(3).asText(), "class names come from batches.meta.txt");
  }
}
