package dev.pixelguard.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.cli.Main;
import dev.pixelguard.cli.SparkCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * pixelguard-spark against plain evaluate on real fixtures (ResNet-20, CIFAR-10): the same outcomes image for
 * image embedded (local[2]), on two separate executor JVMs (local-cluster), and when a task fails half-way and
 * Spark retries it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkEvaluateTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHARED = Path.of(System.getProperty("pixelguard.shared", "../../shared"));

  @TempDir Path dir;
  private JsonNode plain;
  private dev.pixelguard.eval.EvaluationResult plainResult;

  private static List<String> run() {
    return List.of("--model", SHARED.resolve("models/cifar10-resnet20.onnx").toString(), "--dataset",
        SHARED.resolve("data/cifar10/test_batch_subset.bin").toString(), "--limit", "8", "--budget", "1000",
        "--seed", "3");
  }

  @BeforeAll
  void plainEvaluate(@TempDir Path tmp) throws Exception {
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    Path results = tmp.resolve("plain.json");
    List<String> args = new ArrayList<>(List.of("evaluate", "--quiet", "--results", results.toString()));
    args.addAll(run());
    Out o = new Out();
    int code = Main.execute(args.toArray(String[]::new), o.out, o.err);
    assertEquals(0, code, o.toString());
    plain = JSON.readTree(results.toFile());
    plainResult = dev.pixelguard.io.ResultsJson.read(results);
  }

  @AfterEach
  void noSeam() {
    SparkEvaluation.afterAttempt = null;
  }

  @Test
  void embeddedAndTwoExecutorJvmsGiveThePlainOutcomes() throws Exception {
    JsonNode local = spark("local[2]", "--partitions", "3", "--quiet");
    assertSameOutcomes(plain, local);

    Out o = new Out();
    JsonNode cluster = spark(o, "local-cluster[2,1,1024]");
    assertSameOutcomes(plain, cluster);
    assertTrue(o.err().contains("on executor 0") && o.err().contains("on executor 1"),
        "both executor JVMs ran partitions:\n" + o.err());
    assertTrue(o.out().contains("flipped #"), o.out());
  }

  @Test
  void sideCarResultsAreWrittenInDatasetOrderAsPartitionsFinish() throws Exception {
    // Four partitions on two cores finish in any order; the results file is written in dataset order as the
    // images before each one have arrived, with the images beside it.
    Path results = dir.resolve("side.json");
    List<String> args = new ArrayList<>(run());
    args.addAll(List.of("--master", "local[2]", "--partitions", "4", "--quiet", "--no-images", "--results",
        results.toString()));
    Out o = new Out();
    assertEquals(0, SparkCommand.execute(args.toArray(String[]::new), o.out, o.err), o.toString());
    dev.pixelguard.eval.EvaluationResult side = dev.pixelguard.io.ResultsJson.read(results);
    assertTrue(Files.isDirectory(dir.resolve("side.images")));
    assertEquals(plainResult.images().size(), side.images().size());
    for (int i = 0; i < side.images().size(); i++) {
      var a = plainResult.images().get(i);
      var b = side.images().get(i);
      assertEquals(a.id(), b.id());
      assertEquals(a.attempts().size(), b.attempts().size());
      for (int t = 0; t < a.attempts().size(); t++) {
        assertEquals(a.attempts().get(t).success(), b.attempts().get(t).success(), a.id());
        assertEquals(a.attempts().get(t).adversarial(), b.attempts().get(t).adversarial(), a.id());
      }
    }
  }

  @Test
  void aTaskThatFailsHalfWayIsRetriedFromItsJournalWithoutDoublingAnImage() throws Exception {
    Set<String> firstTry = ConcurrentHashMap.newKeySet();
    List<String> retried = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    SparkEvaluation.afterAttempt = (task, a) -> {
      if (task.partitionId() != 1) {
        return;
      }
      if (task.attemptNumber() == 0) {
        firstTry.add(a.imageId());
        if (firstTry.size() == 2) {
          failures.incrementAndGet();
          throw new IllegalStateException("executor lost (test)");
        }
      } else {
        retried.add(a.imageId());
      }
    };
    // local[2,2]: two cores, a task may fail once
    JsonNode r = spark("local[2,2]", "--partitions", "2", "--quiet", "--concurrency", "1");
    assertEquals(1, failures.get(), "the first try of partition 1 failed");
    assertSameOutcomes(plain, r);
    // The retry resumed the two attempts its first try had journaled (they come first, unchanged) and ran the rest
    assertTrue(retried.size() > 2 && retried.subList(0, 2).containsAll(firstTry), retried + " after " + firstTry);
    assertEquals(retried.size(), Set.copyOf(retried).size(), "no image twice: " + retried);
  }

  @Test
  void badPartitionsAreRefusedInOneLine() {
    Out o = new Out();
    List<String> args = new ArrayList<>(run());
    args.addAll(List.of("--partitions", "0"));
    int code = SparkCommand.execute(args.toArray(String[]::new), o.out, o.err);
    assertEquals(2, code, o.toString());
    assertTrue(o.err().startsWith("pixelguard: error: --partitions must be at least 1"), o.err());
    assertEquals(1, o.err().lines().count(), o.err());
  }

  private JsonNode spark(String master, String... more) throws Exception {
    return spark(new Out(), master, more);
  }

  private JsonNode spark(Out o, String master, String... more) throws Exception {
    Path results = dir.resolve("spark-" + master.replaceAll("\\W", "") + ".json");
    List<String> args = new ArrayList<>(run());
    args.addAll(List.of("--master", master, "--results", results.toString()));
    args.addAll(Arrays.asList(more));
    int code = SparkCommand.execute(args.toArray(String[]::new), o.out, o.err);
    assertEquals(0, code, o.toString());
    assertFalse(Files.exists(Path.of(results + ".journal")), "the journal goes once the results are written");
    return JSON.readTree(results.toFile());
  }

  /** Every image's outcome equal, field for field, but the time each attempt took. */
  private static void assertSameOutcomes(JsonNode expected, JsonNode actual) {
    JsonNode a = expected.path("images");
    JsonNode b = actual.path("images");
    assertEquals(a.size(), b.size());
    int attempts = 0;
    for (int i = 0; i < a.size(); i++) {
      JsonNode x = withoutNanos(a.get(i));
      JsonNode y = withoutNanos(b.get(i));
      assertEquals(x, y, "image " + i);
      attempts += x.path("attempts").size();
    }
    assertTrue(attempts >= 4, "most of the images were attacked: " + attempts);
    assertEquals(expected.path("summary"), actual.path("summary"));
    assertEquals(expected.path("totals").path("queries"), actual.path("totals").path("queries"));
  }

  private static JsonNode withoutNanos(JsonNode image) {
    ObjectNode copy = image.deepCopy();
    copy.path("attempts").forEach(t -> ((ObjectNode) t).remove("nanos"));
    return copy;
  }

  private static final class Out {
    final StringWriter o = new StringWriter();
    final StringWriter e = new StringWriter();
    final PrintWriter out = new PrintWriter(o, true);
    final PrintWriter err = new PrintWriter(e, true);

    String out() {
      return o.toString();
    }

    String err() {
      return e.toString();
    }

    @Override
    public String toString() {
      return "--- out\n" + o + "--- err\n" + e;
    }
  }
}
