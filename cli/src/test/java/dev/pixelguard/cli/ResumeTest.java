package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.ResultsJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable runs: a run killed with SIGKILL (twice) and resumed gives the outcomes of an uninterrupted run, image
 * for image; torn lines, other settings and a forgotten --resume are handled in one line.
 */
class ResumeTest {
  private static final List<String> RUN = List.of("evaluate", "--limit", "24", "--budget", "2500", "--quiet");

  @TempDir Path dir;

  @Test
  void aRunKilledTwiceAndResumedEqualsAnUninterruptedOne() throws Exception {
    Path full = dir.resolve("full.json");
    Cli whole = cli(RUN, "--results", full.toString());
    assertEquals(0, whole.code(), whole.toString());

    Path part = dir.resolve("part.json");
    Path journal = dir.resolve("part.json.journal");
    killAfter(journal, 3, "--results", part.toString(), "--concurrency", "2");
    int first = lines(journal);
    killAfter(journal, first + 3, "--results", part.toString(), "--concurrency", "1", "--batch", "97", "--resume");
    int second = lines(journal);
    assertTrue(second > first, "the second run added attempts: " + first + " then " + second);
    assertFalse(Files.exists(part), "no results from a killed run");

    Cli rest = cli(RUN, "--results", part.toString(), "--resume");
    assertEquals(0, rest.code(), rest.toString());
    assertTrue(rest.out().contains("resumed:  " + (second - 1) + " attempts"), rest.out());
    assertFalse(Files.exists(journal), "the journal goes once the results are written");
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
  }

  @Test
  void aTornLastLineIsCutAndOtherSettingsAreRefused() throws Exception {
    Path part = dir.resolve("r.json");
    Path journal = dir.resolve("r.json.journal");
    killAfter(journal, 3, "--results", part.toString(), "--concurrency", "1");
    Files.writeString(journal, "{\"id\":\"torn", StandardOpenOption.APPEND); // killed in the middle of a write
    Cli forgot = cli(RUN, "--results", part.toString());
    assertEquals(ExitCode.BAD_INPUT, forgot.code(), forgot.toString());
    assertTrue(forgot.err().contains("a journal of an interrupted run exists"), forgot.err());
    Cli other = cli(RUN, "--results", part.toString(), "--resume", "--seed", "9");
    assertEquals(ExitCode.BAD_INPUT, other.code(), other.toString());
    assertTrue(other.err().contains("other settings (seed was 1, now 9)"), other.err());
    Cli ok = cli(RUN, "--results", part.toString(), "--resume");
    assertEquals(0, ok.code(), ok.toString());
    Path full = dir.resolve("f.json");
    assertEquals(0, cli(RUN, "--results", full.toString()).code());
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
    Cli none = Cli.run("evaluate", "--limit", "2", "--resume");
    assertEquals(ExitCode.BAD_INPUT, none.code());
    assertTrue(none.err().contains("give the run's --results"), none.err());
  }

  private static Cli cli(List<String> base, String... more) {
    List<String> args = new ArrayList<>(base);
    args.addAll(Arrays.asList(more));
    return Cli.run(args.toArray(String[]::new));
  }

  /** Runs the command line in its own JVM and kills it (SIGKILL) once the journal has {@code lines} lines. */
  private static void killAfter(Path journal, int lines, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.pixelguard.cli.Main"));
    cmd.addAll(RUN);
    cmd.addAll(Arrays.asList(more));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (lines(journal) < lines) {
      assertTrue(p.isAlive(), "the run ended before it was killed; journal lines " + lines(journal));
      assertTrue(System.nanoTime() < deadline, "no progress in the journal");
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, p.exitValue(), "killed by SIGKILL");
  }

  private static int lines(Path f) throws Exception {
    if (!Files.exists(f)) {
      return 0;
    }
    String s = Files.readString(f, StandardCharsets.UTF_8);
    return (int) s.chars().filter(c -> c == '\n').count();
  }

  private static void assertSameOutcomes(EvaluationResult a, EvaluationResult b) {
    assertEquals(a.images().size(), b.images().size());
    for (int i = 0; i < a.images().size(); i++) {
      ImageOutcome x = a.images().get(i);
      ImageOutcome y = b.images().get(i);
      assertEquals(x.id(), y.id());
      assertEquals(x.skipped(), y.skipped());
      assertEquals(x.attempts().size(), y.attempts().size(), x.id());
      for (int t = 0; t < x.attempts().size(); t++) {
        AttackResult p = x.attempts().get(t);
        AttackResult q = y.attempts().get(t);
        assertEquals(p.success(), q.success(), x.id());
        assertEquals(p.seed(), q.seed(), x.id());
        assertEquals(p.queries(), q.queries(), x.id());
        assertEquals(p.adversarialClass(), q.adversarialClass(), x.id());
        assertTrue(Arrays.equals(p.adversarialValues(), q.adversarialValues()), x.id());
      }
    }
    assertEquals(a.summary().successes(), b.summary().successes());
    assertEquals(a.totals().queries(), b.totals().queries(), "queries in all, final checks of resumed attempts too");
  }
}
