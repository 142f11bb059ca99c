package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress in a log (stderr not a terminal, a CI job): a line every few seconds while an evaluation runs, images
 * done of N, flips so far, the live query rate and what is left; on stderr only, never with --quiet.
 */
class ProgressLogTest {
  @TempDir Path dir;

  /**
   * Runs evaluate on the embedded model in a JVM of its own whose stderr is a file, a line every 100 ms (the run
   * takes about a second of attacks on an idle 2-core machine, so several lines however fast the machine is).
   */
  private List<String> run(String out, String err, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dpixelguard.progress.millis=100", "-cp", System.getProperty("java.class.path"), "dev.pixelguard.cli.Main",
        "evaluate", "--limit", "8", "--budget", "2500"));
    cmd.addAll(List.of(more));
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve(out).toFile())
        .redirectError(dir.resolve(err).toFile()).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the run ends");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve(err)));
    return Files.readAllLines(dir.resolve(err));
  }

  @Test
  void aLogGetsALineEverySecondsOnStderrAndNoneWhenQuiet() throws Exception {
    List<String> err = run("out.txt", "err.txt");
    List<String> progress = err.stream().filter(l -> l.startsWith("pixelguard: attacking: ")).toList();
    assertTrue(progress.size() >= 2, "a line every 100 ms while it runs: " + err);
    for (String l : progress) {
      assertTrue(l.matches("pixelguard: attacking: \\d+ of \\d+ images(, fooled \\d+/\\d+)?, [\\d,]+ queries/s"
          + "(, at most (\\d+ s|\\d+ min \\d+ s) left)?"), l);
    }
    assertTrue(progress.stream().anyMatch(l -> l.contains(" left")), "what is left, from the budget: " + progress);
    String out = Files.readString(dir.resolve("out.txt"));
    assertFalse(out.contains("pixelguard: attacking"), "stdout is the results' only: " + out);
    assertTrue(out.contains("flipped:  "), out);

    List<String> quiet = run("quiet-out.txt", "quiet-err.txt", "--quiet");
    assertEquals(List.of(), quiet, "nothing with --quiet");
  }

  @Test
  void stepsTakenFromAJournalDoNotMakeTheRateUp() {
    StringWriter log = new StringWriter();
    try (Progress p = Progress.start("attacking", "images", 10, true, new PrintWriter(log))) {
      p.skip("fooled 1/1");
      p.skip("fooled 1/2");
      assertEquals("pixelguard: attacking: 2 of 10 images, fooled 1/2", p.line(), "no rate from resumed steps");
      p.step("fooled 2/3");
      assertTrue(p.line().startsWith("pixelguard: attacking: 3 of 10 images, fooled 2/3, about "), p.line());
      p.live(() -> "1,000 queries/s", () -> 125);
      assertEquals("pixelguard: attacking: 3 of 10 images, fooled 2/3, 1,000 queries/s, at most 2 min 5 s left",
          p.line());
      p.stepTo(10, "fooled 5/10");
      assertEquals("pixelguard: attacking: 10 of 10 images, fooled 5/10, 1,000 queries/s", p.line(), "done");
    }
    assertEquals("45 s", Progress.duration(45));
    assertEquals("2 h 5 min", Progress.duration(7500));
  }
}
