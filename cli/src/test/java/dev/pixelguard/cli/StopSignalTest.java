package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (what CI systems send on a time-out) while TorchScript computes: the run stops between two batches,
 * closes the engine and exits with 143, with no crash report (hs_err_pid*.log) and nothing half-written; the
 * journal keeps the attempts that finished. The JVM's own handling exited under libtorch, which crashed.
 */
class StopSignalTest {
  @TempDir Path dir;
  @TempDir Path logs;

  @Test
  void sigtermDuringTorchScriptInferenceStopsBetweenBatchesAndExits143() throws Exception {
    Path results = dir.resolve("r.json");
    Path journal = dir.resolve("r.json.journal");
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.pixelguard.cli.Main", "evaluate", "--model",
        Fixtures.resnetTorchScript().toString(), "--dataset", Fixtures.cifarBatch().toString(), "--limit", "3",
        "--results", results.toString(), "--quiet"); // --quiet: no progress lines on stderr
    Path err = logs.resolve("err.txt");
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(logs.resolve("out.txt").toFile())
        .redirectError(err.toFile()).start();
    try {
      // the first attempt is journaled: the attack on the next image is running, batch after batch
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (Killed.lines(journal) < 2) {
        assertTrue(p.isAlive(), "the run ended before it was stopped: " + Files.readString(err));
        assertTrue(System.nanoTime() < deadline, "no attempt finished in 180 s");
        Thread.sleep(50);
      }
      long t0 = System.nanoTime();
      p.destroy(); // SIGTERM on Linux
      assertTrue(p.waitFor(StopOnSignal.GRACE_SECONDS + 30, TimeUnit.SECONDS), "it exits");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(143, p.exitValue(), Files.readString(err));
      assertTrue(seconds < StopOnSignal.GRACE_SECONDS, "it stopped at the end of the batch in flight, not at the "
          + "deadline: " + seconds + " s");
    } finally {
      p.destroyForcibly();
    }
    assertEquals("pixelguard: stopped (SIGTERM or Ctrl-C) before the work was done: no output was written; "
        + "evaluate, scan and audit keep every finished attempt in their journal for --resume\n",
        Files.readString(err));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("r.json.journal"), files.map(f -> f.getFileName().toString()).toList(),
          "no crash report, no results, no temporary file: only the journal");
    }
    String text = Files.readString(journal, StandardCharsets.UTF_8);
    assertTrue(text.endsWith("\n"), "no torn line");
    ObjectMapper json = new ObjectMapper();
    for (String line : text.split("\n")) {
      json.readTree(line); // every line whole
    }
    assertFalse(Files.exists(results));
  }
}
