package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.testing.Fixtures;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A served model killed (SIGKILL) in the middle of a remote evaluate and restarted on the same port: with the
 * default options the evaluation waits for it and ends with the outcomes of the local file, image for image. The
 * server is {@code pixelguard serve} in a JVM of its own.
 */
class RemoteRestartTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String[] ATTACK = {"-d", Fixtures.cifarBatch().toString(), "--limit", "6", "--budget", "1500",
      "--seed", "3"};

  @TempDir Path dir;

  /** {@code pixelguard serve} of ResNet-20 in its own JVM on {@code port}, its output in {@code log}. */
  static Process serve(int port, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.pixelguard.cli.Main", "serve", "-m",
        Fixtures.resnetOnnx().toString(), "--name", "resnet20", "--port", Integer.toString(port)));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the server at {@code port} is ready, at most 60 s. */
  static void awaitReady(int port, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      assertTrue(p.isAlive(), "the server exited with " + (p.isAlive() ? "" : p.exitValue()));
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      assertTrue(System.nanoTime() < deadline, "the server did not start within 60 s");
      Thread.sleep(50);
    }
  }

  /** The images the server at {@code port} has classified, from its metrics. */
  static double images(int port) throws Exception {
    String line = "pixelguard_images_total ";
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body().lines().filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
  }

  static Cli evaluate(String model, Path results) {
    List<String> args = new ArrayList<>(List.of("evaluate", "-m", model, "--results", results.toString()));
    args.addAll(List.of(ATTACK));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void aServerKilledAndRestartedDuringAnEvaluationChangesNoOutcome() throws Exception {
    Path local = dir.resolve("local.json");
    long localStart = System.nanoTime();
    Cli l = evaluate(Fixtures.resnetOnnx().toString(), local);
    double localSeconds = (System.nanoTime() - localStart) / 1e9;
    assertEquals(0, l.code(), l.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process first = serve(port, dir.resolve("serve-1.log"));
    Process second = null;
    try {
      awaitReady(port, first);
      Path remote = dir.resolve("remote.json");
      long start = System.nanoTime();
      CompletableFuture<Cli> run = CompletableFuture.supplyAsync(
          () -> evaluate("http://127.0.0.1:" + port + "/v2/models/resnet20", remote));
      while (images(port) < 100) {
        assertTrue(!run.isDone(), "the evaluation ended before the server was killed: " + (run.isDone() ? run.get() : ""));
        Thread.sleep(20);
      }
      double before = images(port);
      first.destroyForcibly(); // SIGKILL: no graceful stop
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
      long killed = System.nanoTime();
      Thread.sleep(8_000); // down for longer than six retries used to wait
      assertTrue(!run.isDone(), "the evaluation ended while the server was down: " + (run.isDone() ? run.get() : ""));
      second = serve(port, dir.resolve("serve-2.log"));
      awaitReady(port, second);
      double down = (System.nanoTime() - killed) / 1e9;
      Cli r = run.get(10, TimeUnit.MINUTES);
      double total = (System.nanoTime() - start) / 1e9;
      String network = r.out().lines().filter(x -> x.startsWith("network:")).findFirst().orElse("(no network line)");
      System.out.printf(Locale.ROOT, "local run %.1f s; server killed after %.0f images, down %.1f s; the remote "
          + "evaluation took %.1f s: %s%n", localSeconds, before, down, total, network);
      assertEquals(0, r.code(), r.toString());
      assertTrue(network.contains(", 0 failed") && !network.contains(" 0 retries"), network);
      RemoteModelTest.assertSameOutcomes(local, remote);
    } finally {
      first.destroyForcibly();
      if (second != null) {
        second.destroyForcibly();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
