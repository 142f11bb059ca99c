package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable runs: a run killed with SIGKILL (twice) and resumed gives the outcomes of an uninterrupted run, image
 * for image; torn lines, other settings and a forgotten --resume are handled in one line; a damaged line in the
 * middle is refused, and a resume over fewer images keeps the journal holding the rest.
 */
class ResumeTest {
  private static final List<String> RUN = List.of("evaluate", "--limit", "24", "--budget", "2500", "--quiet");

  @TempDir Path dir;

  @Test
  void aRunKilledTwiceAndResumedEqualsAnUninterruptedOne() throws Exception {
    Path full = dir.resolve("full.json");
    Cli whole = Killed.cli(RUN, "--results", full.toString());
    assertEquals(0, whole.code(), whole.toString());

    Path part = dir.resolve("part.json");
    Path journal = dir.resolve("part.json.journal");
    Killed.after(RUN, journal, 3, "--results", part.toString(), "--concurrency", "2");
    int first = Killed.lines(journal);
    Killed.after(RUN, journal, first + 3, "--results", part.toString(), "--concurrency", "1", "--batch", "97",
        "--resume");
    int second = Killed.lines(journal);
    assertTrue(second > first, "the second run added attempts: " + first + " then " + second);
    assertFalse(Files.exists(part), "no results from a killed run");

    Cli rest = Killed.cli(RUN, "--results", part.toString(), "--resume");
    assertEquals(0, rest.code(), rest.toString());
    assertTrue(rest.out().contains("resumed:  " + (second - 1) + " attempts"), rest.out());
    assertFalse(Files.exists(journal), "the journal goes once the results are written");
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
  }

  @Test
  void aTornLastLineIsCutAndOtherSettingsAreRefused() throws Exception {
    Path part = dir.resolve("r.json");
    Path journal = dir.resolve("r.json.journal");
    Killed.after(RUN, journal, 3, "--results", part.toString(), "--concurrency", "1");
    Files.writeString(journal, "{\"id\":\"torn", StandardOpenOption.APPEND); // killed in the middle of a write
    Cli forgot = Killed.cli(RUN, "--results", part.toString());
    assertEquals(ExitCode.BAD_INPUT, forgot.code(), forgot.toString());
    assertTrue(forgot.err().contains("a journal of an interrupted run exists"), forgot.err());
    Cli other = Killed.cli(RUN, "--results", part.toString(), "--resume", "--seed", "9");
    assertEquals(ExitCode.BAD_INPUT, other.code(), other.toString());
    assertTrue(other.err().contains("other settings (seed was 1, now 9)"), other.err());
    Cli ok = Killed.cli(RUN, "--results", part.toString(), "--resume");
    assertEquals(0, ok.code(), ok.toString());
    Path full = dir.resolve("f.json");
    assertEquals(0, Killed.cli(RUN, "--results", full.toString()).code());
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
    Cli none = Cli.run("evaluate", "--limit", "2", "--resume");
    assertEquals(ExitCode.BAD_INPUT, none.code());
    assertTrue(none.err().contains("give the run's --results"), none.err());
  }

  /** The journal an interrupted run of {@code evaluate --budget 2500} over the first {@code n} images leaves. */
  private static Path journalOfFirst(int n, Path results) {
    Path journal = dev.pixelguard.io.JournalFile.beside(results);
    try (dev.pixelguard.model.Classifier model = dev.pixelguard.djl.DefaultBundle.defaultClassifier(2)) {
      dev.pixelguard.data.Dataset data = dev.pixelguard.data.Datasets.samples();
      var attack = dev.pixelguard.attack.pixel.GuidedPixelAttack.builder().budget(2500).build();
      var settings = dev.pixelguard.io.JournalFile.settings(model.info(), data.name(), attack, 1,
          dev.pixelguard.eval.Targets.untargeted());
      settings.put("labelOnly", false);
      try (dev.pixelguard.io.JournalFile j = dev.pixelguard.io.JournalFile.open(journal, settings, false)) {
        dev.pixelguard.eval.Evaluation.of(model, data.limit(n), attack).journal(j).run();
      }
    }
    return journal;
  }

  @Test
  void aResumeOverFewerImagesUsesSomeAndKeepsTheJournal() throws Exception {
    List<String> run = List.of("evaluate", "--budget", "2500", "--quiet");
    Path part = dir.resolve("r.json");
    Path journal = journalOfFirst(7, part);
    List<String> lines = Files.readAllLines(journal);
    int held = lines.size() - 1;
    int inFirst3 = (int) lines.stream().skip(1).filter(l -> l.matches(".*\"id\":\"fashion-mnist-test#[012]\".*"))
        .count();
    assertTrue(held > inFirst3 && inFirst3 > 0, held + " attempts, " + inFirst3 + " of the first 3 images");

    Cli three = Killed.cli(run, "--limit", "3", "--results", part.toString(), "--resume");
    assertEquals(0, three.code(), three.toString());
    assertTrue(three.out().contains("resumed:  " + inFirst3 + " attempts from " + journal + "; it holds "
        + (held - inFirst3) + " more, of images this run does not include, and is kept"), three.out());
    assertEquals(lines, Files.readAllLines(journal), "the journal keeps every attempt, those not used included");

    Cli ten = Killed.cli(run, "--limit", "10", "--results", part.toString(), "--resume");
    assertEquals(0, ten.code(), ten.toString());
    assertTrue(ten.out().contains("resumed:  " + held + " attempts from " + journal + "\n"), ten.out());
    assertFalse(Files.exists(journal), "every attempt it held is in the results: deleted");
    Path full = dir.resolve("full.json");
    assertEquals(0, Killed.cli(run, "--limit", "10", "--results", full.toString()).code());
    assertSameOutcomes(ResultsJson.read(full), ResultsJson.read(part));
  }

  @Test
  void aDamagedLineInTheMiddleIsRefusedAndTheJournalKept() throws Exception {
    Path part = dir.resolve("r.json");
    Path journal = journalOfFirst(5, part);
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(journal));
    lines.set(2, "{\"id\":\"fashion-mnist-test#1\",\"go"); // damaged, with the lines after it intact
    Files.write(journal, lines);
    Cli r = Killed.cli(RUN, "--results", part.toString(), "--resume");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("pixelguard: error: line 3 of the journal " + journal + " is damaged (not JSON; only a last line "
        + "without its line end is a torn write): repair or remove that line and resume again, or delete the journal "
        + "to start again\n", r.err());
    assertEquals(lines, Files.readAllLines(journal));
  }

  private static void assertSameOutcomes(EvaluationResult a, EvaluationResult b) {
    NoImagesTest.assertSameOutcomes(a, b);
    assertEquals(a.summary().successes(), b.summary().successes());
    assertEquals(a.totals().queries(), b.totals().queries(), "queries in all, final checks of resumed attempts too");
  }
}
