package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.io.GateFile;
import dev.pixelguard.io.ResultsJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * pixelguard-spark against evaluate, on real fixtures (ResNet-20 and ResNet-32, CIFAR-10): the same outputs image
 * for image for a model and for a gate, side-car results written in dataset order, and bad Spark settings refused
 * in one line, leaving no journal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHARED = Path.of(System.getProperty("pixelguard.shared", "../../shared"));

  @TempDir Path dir;
  private JsonNode plain;

  private static List<String> run() {
    return List.of("--model", SHARED.resolve("models/cifar10-resnet20.onnx").toString(), "--dataset",
        SHARED.resolve("data/cifar10/test_batch_subset.bin").toString(), "--limit", "8", "--budget", "1000",
        "--seed", "3");
  }

  @BeforeAll
  void plainEvaluate(@TempDir Path tmp) throws Exception {
    Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
    plain = evaluate(tmp.resolve("plain.json"), run());
  }

  private static JsonNode evaluate(Path results, List<String> options) throws Exception {
    List<String> args = new ArrayList<>(List.of("evaluate", "--quiet", "--results", results.toString()));
    args.addAll(options);
    Out o = new Out();
    assertEquals(0, Main.execute(args.toArray(String[]::new), o.out, o.err), o.toString());
    return JSON.readTree(results.toFile());
  }

  @Test
  void aModelGivesEvaluatesOutcomes() throws Exception {
    Out o = new Out();
    JsonNode spark = spark(o, run(), "--master", "local[2]", "--partitions", "3");
    assertSameOutcomes(plain, spark);
    assertTrue(o.out().contains("flipped #"), o.out());
    assertTrue(o.err().contains("partition 2 done"), o.err());
  }

  @Test
  void aGateGivesEvaluateGatesOutcomes() throws Exception {
    // ResNet-20 and ResNet-32 through impulse:0.3, fused by product: the gate of README, with a threshold that
    // accepts most clean images
    Path gate = dir.resolve("gate.json");
    GateFile.write(new GateSpec(List.of(new GateSpec.Member(SHARED.resolve("models/cifar10-resnet20.onnx").toString(),
            Double.NaN), new GateSpec.Member(SHARED.resolve("models/cifar10-resnet32.onnx").toString(), Double.NaN)),
        List.of("impulse:0.3"), new Gate.Settings(Gate.Fusion.PRODUCT, false, 0.5, Double.POSITIVE_INFINITY,
            Fallback.ABSTAIN), "abstain", 1, Map.of()), gate);
    List<String> gated = List.of("--gate", gate.toString(), "--dataset",
        SHARED.resolve("data/cifar10/test_batch_subset.bin").toString(), "--limit", "6", "--budget", "600");
    JsonNode here = evaluate(dir.resolve("gated.json"), gated);
    Out o = new Out();
    JsonNode spark = spark(o, gated, "--master", "local[2]");
    assertEquals(3, here.path("evaluations").size(), "undefended, oblivious, adaptive");
    for (int e = 0; e < 3; e++) {
      assertSameOutcomes(here.path("evaluations").get(e), spark.path("evaluations").get(e));
    }
    assertTrue(o.out().contains("gate, adaptive attack"), o.out());
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
    assertTrue(Files.isDirectory(dir.resolve("side.images")));
    var side = ResultsJson.read(results);
    assertEquals(plain.path("images").size(), side.images().size());
    for (int i = 0; i < side.images().size(); i++) {
      assertEquals(plain.path("images").get(i).path("id").asText(), side.images().get(i).id());
    }
  }

  @Test
  void badSparkSettingsAreRefusedInOneLineAndLeaveNoJournal() {
    for (List<String> bad : List.of(List.of("--partitions", "0"), List.of("--master", "bogus://x"),
        List.of("--master", "local[0]"), List.of("--master", "local[abc]"))) {
      Path results = dir.resolve("bad.json");
      List<String> args = new ArrayList<>(run());
      args.addAll(bad);
      args.addAll(List.of("--results", results.toString()));
      Out o = new Out();
      int code = SparkCommand.execute(args.toArray(String[]::new), o.out, o.err);
      assertEquals(ExitCode.BAD_INPUT, code, bad + "\n" + o);
      assertTrue(o.err().startsWith("pixelguard: error: "), o.err());
      assertEquals(1, o.err().lines().count(), o.err());
      assertFalse(Files.exists(Path.of(results + ".journal")), "a refused run leaves no journal: " + bad);
      assertFalse(Files.exists(results));
    }
  }

  @Test
  void anUnreachableMasterIsAFailureThatMayPassLaterNamedInOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort(); // nothing listens there once it is closed
    }
    Path results = dir.resolve("unreachable.json");
    List<String> args = new ArrayList<>(run());
    args.addAll(List.of("--master", "spark://127.0.0.1:" + port, "--results", results.toString()));
    Out o = new Out();
    long t0 = System.nanoTime();
    int code = SparkCommand.execute(args.toArray(String[]::new), o.out, o.err);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(ExitCode.TRANSIENT, code, o.toString());
    assertEquals("pixelguard: error (may pass when tried again): the Spark master spark://127.0.0.1:" + port
        + " cannot be reached (127.0.0.1:" + port + ": Connection refused); check --master and that the master "
        + "runs\n", o.err());
    assertTrue(seconds < 20, "refused before Spark starts, not after its minute of retries: " + seconds + " s");
    assertFalse(Files.exists(Path.of(results + ".journal")), "no journal to block the corrected command");
    assertFalse(Files.exists(results));
  }

  private JsonNode spark(Out o, List<String> base, String... more) throws Exception {
    Path results = dir.resolve("spark-" + System.nanoTime() + ".json");
    List<String> args = new ArrayList<>(base);
    args.addAll(List.of("--results", results.toString()));
    args.addAll(Arrays.asList(more));
    int code = SparkCommand.execute(args.toArray(String[]::new), o.out, o.err);
    assertEquals(0, code, o.toString());
    for (Path p : Files.list(dir).toList()) {
      assertFalse(p.toString().endsWith(".journal"), "the journals go once the results are written: " + p);
    }
    return JSON.readTree(results.toFile());
  }

  /** Every image's outcome equal, field for field, but the time each attempt took. */
  private static void assertSameOutcomes(JsonNode expected, JsonNode actual) {
    JsonNode a = expected.path("images");
    JsonNode b = actual.path("images");
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(withoutNanos(a.get(i)), withoutNanos(b.get(i)), "image " + i);
    }
    assertEquals(expected.path("summary"), actual.path("summary"));
    assertEquals(expected.path("attack"), actual.path("attack"));
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
