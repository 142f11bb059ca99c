package dev.pixelguard.cli;

import dev.pixelguard.io.GateFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Models;
import dev.pixelguard.serve.ModelServer;
import dev.pixelguard.serve.ServedModel;
import dev.pixelguard.testing.Fixtures;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ResNet-20 served over the Open Inference Protocol on 127.0.0.1 by a real server, attacked by {@code evaluate}
 * as a remote model: image for image the outcomes of the local ONNX file, through a clean network and through
 * one that drops, delays and refuses requests.
 */
class RemoteModelTest {
  @TempDir static Path dir;
  static ModelServer server;
  static Path local;
  static final String[] ATTACK = {"-d", Fixtures.cifarBatch().toString(), "--limit", "6", "--budget", "1500",
      "--seed", "3"};

  @BeforeAll
  static void start() {
    server = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString()))).name("resnet20")
        .port(0).build().start();
    local = dir.resolve("local.json");
    Cli r = evaluate(Fixtures.resnetOnnx().toString(), local);
    assertEquals(0, r.code(), r.toString());
    assertFalse(r.out().contains("network:"), r.out());
  }

  @AfterAll
  static void stop() {
    server.close();
    server.model().close();
  }

  static Cli evaluate(String model, Path results, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("evaluate", "-m", model, "--results", results.toString()));
    args.addAll(List.of(ATTACK));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** The results files {@code want} and {@code got} hold the same outcomes, as below. */
  static void assertSameOutcomes(Path want, Path got) {
    assertSameOutcomes(ResultsJson.read(want), ResultsJson.read(got));
  }

  /** Same images attacked, same outcome, same queries, same adversarial pixels. */
  static void assertSameOutcomes(EvaluationResult want, EvaluationResult got) {
    List<AttackResult> a = want.attempts();
    List<AttackResult> b = got.attempts();
    assertEquals(a.size(), b.size());
    assertTrue(a.stream().anyMatch(AttackResult::success), "the local run flips an image");
    for (int i = 0; i < a.size(); i++) {
      String what = a.get(i).imageId();
      assertEquals(a.get(i).imageId(), b.get(i).imageId());
      assertEquals(a.get(i).success(), b.get(i).success(), what);
      assertEquals(a.get(i).queries(), b.get(i).queries(), what);
      assertEquals(a.get(i).adversarialClass(), b.get(i).adversarialClass(), what);
      assertEquals(a.get(i).adversarialConfidence(), b.get(i).adversarialConfidence(), what);
      assertArrayEquals(a.get(i).adversarialValues(), b.get(i).adversarialValues(), what);
    }
    assertEquals(want.totals().queries(), got.totals().queries());
  }

  @Test
  void overHttpTheOutcomesAreTheLocalFilesImageForImage() {
    Path remote = dir.resolve("remote.json");
    Cli r = evaluate(server.url(), remote);
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("network:  ") && r.out().contains(" 0 retries, 0 failed"), r.out());
    assertSameOutcomes(ResultsJson.read(local), ResultsJson.read(remote));
  }

  @Test
  void throughAFaultyNetworkTheOutcomesAreTheSameAndTheRetriesAreReported() throws Exception {
    try (FaultInjectingProxy proxy = new FaultInjectingProxy(URI.create("http://127.0.0.1:" + server.port()),
        0.10, 0.05, 0.02, 1_500, 7)) {
      Path remote = dir.resolve("faulty.json");
      Cli r = evaluate("http://127.0.0.1:" + proxy.port() + "/v2/models/resnet20", remote, "--remote-timeout", "1",
          "--remote-retries", "12");
      assertEquals(0, r.code(), r.toString());
      assertTrue(proxy.answered503.get() > 0 && proxy.timedOut.get() > 0 && proxy.resets.get() > 0,
          "503: " + proxy.answered503 + ", timeouts: " + proxy.timedOut + ", resets: " + proxy.resets);
      String network = r.out().lines().filter(l -> l.startsWith("network:")).findFirst().orElseThrow();
      int faults = proxy.answered503.get() + proxy.timedOut.get() + proxy.resets.get();
      assertTrue(network.contains(" " + faults + " retries ("), network + " vs " + faults + " faults");
      assertTrue(network.contains(proxy.answered503.get() + " http 503") && network.contains(" timeout"), network);
      assertTrue(network.contains(", 0 failed"), network);
      assertSameOutcomes(ResultsJson.read(local), ResultsJson.read(remote));
    }
  }

  /**
   * Tried for the stated time (--remote-retry-for), or the stated number of retries (--remote-retries), then exit
   * 4 in one line, nothing written; a retry time that is no duration is refused in one line.
   */
  @Test
  void aServerThatCannotBeReachedExitsFourInOneLineAndWritesNothing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path results = dir.resolve("never.json");
    String model = "http://127.0.0.1:" + port + "/v2/models/resnet20";
    for (String[] retry : List.of(new String[] {"--remote-retries", "1", "gave up after 2 tries in "},
        new String[] {"--remote-retry-for", "2s", " tries in 2."})) {
      long start = System.nanoTime();
      Cli r = Cli.run("evaluate", "-m", model, retry[0], retry[1], "-d", Fixtures.cifarBatch().toString(), "--limit",
          "2", "--results", results.toString());
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(ExitCode.TRANSIENT, r.code(), r.toString());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("may pass when tried again") && r.err().contains("could not be reached")
          && r.err().contains(retry[2]), r.err());
      assertTrue(retry[1].equals("1") || seconds >= 2 && seconds < 20, seconds + " s");
      assertFalse(Files.exists(results));
    }
    Cli bad = Cli.run("evaluate", "-m", model, "--remote-retry-for", "soon", "-d", Fixtures.cifarBatch().toString(),
        "--limit", "2");
    assertEquals(ExitCode.BAD_INPUT, bad.code(), bad.toString());
    assertEquals("pixelguard: error: remote option retry-for must be a duration such as 60s, 2m or 500ms, was 'soon'",
        bad.err().strip());
  }

  @Test
  void serveRefusesAPortInUseInOneLineBeforeServing() {
    Cli r = Cli.run("serve", "-m", Fixtures.resnetOnnx().toString(), "--port", Integer.toString(server.port()));
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("cannot serve on 127.0.0.1:" + server.port()), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(r.out().contains("serving:"), r.out());
  }

  @Test
  void serveRefusesABadBodyTimeoutInOneLine() {
    Cli r = Cli.run("serve", "-m", Fixtures.resnetOnnx().toString(), "--port", "0", "--body-timeout", "0");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("pixelguard: error: --body-timeout must be from 0.001 to 86400 seconds, was 0.0", r.err().strip());
    assertFalse(r.out().contains("serving:"), r.out());
  }

  @Test
  void remoteOptionsAreRefusedForALocalModel() {
    Cli r = Cli.run("evaluate", "-m", Fixtures.resnetOnnx().toString(), "--remote-retries", "3", "--limit", "1",
        "-d", Fixtures.cifarBatch().toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("--remote-* options apply to models behind a server"), r.err());
  }

  @Test
  void predictWithoutAnImageSaysSoRatherThanBlamingADescriptor() {
    // it said "the descriptor's input [1, 28, 28] does not match remote model ...'s [-1, 3, 32, 32]"
    for (String command : List.of("predict", "attack")) {
      List<String> args = new java.util.ArrayList<>(List.of(command, "--model", server.url()));
      if (command.equals("attack")) {
        args.addAll(List.of("--out", dir.resolve("adv.png").toString()));
      }
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
      assertEquals("pixelguard: error: no image was given (--image FILE, or --dataset PATH with --index N), and the "
          + "embedded sample taken instead, a 28x28 grayscale Fashion-MNIST image, is not what the model takes (32x32 "
          + "RGB); give an image\n", r.err());
    }
    Cli ok = Cli.run("predict", "--model", server.url(), "-d", Fixtures.cifarBatch().toString(), "--index", "3");
    assertEquals(0, ok.code(), ok.toString());
    assertTrue(ok.out().startsWith("test_batch_subset.bin#3: "), ok.out());
  }

  @Test
  void aUrlThatIsNoV2ModelIsRefusedInOneLine() {
    Cli r = Cli.run("evaluate", "-m", "http://127.0.0.1:" + server.port() + "/models/resnet20", "--limit", "1",
        "-d", Fixtures.cifarBatch().toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertTrue(r.err().contains("http://HOST:PORT/v2/models/NAME"), r.err());
  }

  /**
   * A gate served as 'guarded': evaluate of its URL attacks the whole defended system with the harm goal, as
   * evaluate --gate's adaptive attack does on the same gate file, with the same outcomes.
   */
  @Test
  void aServedGateIsAttackedAdaptivelyWithTheOutcomesOfTheLocalGate() throws Exception {
    Path gateFile = dir.resolve("gate.json");
    Files.writeString(gateFile, "{\"schema\": 1, \"models\": [\"" + Fixtures.resnetOnnx().toString().replace("\\", "/")
        + "\"], \"views\": [\"impulse:0.3\"], \"fusion\": \"all-agree\", \"minConfidence\": 0.6}");
    Path localGate = dir.resolve("local-gate.json");
    String[] attack = {"-d", Fixtures.cifarBatch().toString(), "--limit", "4", "--budget", "600", "--seed", "3"};
    Cli l = Cli.run(concat(new String[] {"evaluate", "--gate", gateFile.toString(), "--results",
        localGate.toString()}, attack));
    assertEquals(0, l.code(), l.toString());
    try (ModelServer guarded = ModelServer.builder(ServedModel.of(GateFile.read(gateFile).open(List.of(), null)))
        .name("guarded").port(0).build().start()) {
      Path remote = dir.resolve("remote-gate.json");
      Cli r = Cli.run(concat(new String[] {"evaluate", "-m", guarded.url(), "--results", remote.toString()}, attack));
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("harm (the system accepts the image and answers a wrong class)"), r.out());
      List<EvaluationResult> all = ResultsJson.readAll(localGate);
      EvaluationResult adaptive = all.get(all.size() - 1);
      EvaluationResult served = ResultsJson.read(remote);
      assertEquals(adaptive.attempts().size(), served.attempts().size());
      for (int i = 0; i < served.attempts().size(); i++) {
        AttackResult a = adaptive.attempts().get(i);
        AttackResult b = served.attempts().get(i);
        assertEquals(a.success(), b.success(), a.imageId());
        assertEquals(a.queries(), b.queries(), a.imageId());
        assertArrayEquals(a.adversarialValues(), b.adversarialValues(), a.imageId());
      }
      guarded.model().close();
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
