package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs of the command line that are killed mid-way, and resumed: shared by the resume tests. */
final class Killed {
  private Killed() {}

  /** Runs {@code base} and then {@code more} in-process. */
  static Cli cli(List<String> base, String... more) {
    List<String> args = new ArrayList<>(base);
    args.addAll(Arrays.asList(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /**
   * Runs {@code base} and then {@code more} in a JVM of its own and kills it (SIGKILL: no shutdown hook runs) once
   * {@code journal} has {@code lines} complete lines.
   */
  static void after(List<String> base, Path journal, int lines, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.pixelguard.cli.Main"));
    cmd.addAll(base);
    cmd.addAll(Arrays.asList(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines(journal) < lines) {
      assertTrue(p.isAlive(), "the run ended before it was killed; journal lines " + lines(journal));
      assertTrue(System.nanoTime() < deadline, "no progress in the journal");
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL on Linux
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  /** The complete lines of a journal (0 when there is none). */
  static int lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    return (int) Files.readString(f, StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
  }
}
