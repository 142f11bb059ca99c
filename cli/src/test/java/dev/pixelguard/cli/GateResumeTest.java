package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evaluate --gate} keeps a journal per evaluation (undefended, oblivious, adaptive): a run killed with
 * SIGKILL in its second evaluation and resumed gives the three evaluations of an uninterrupted run, image for
 * image.
 */
class GateResumeTest {
  @TempDir Path dir;

  @Test
  void aGatedRunKilledAndResumedEqualsAnUninterruptedOne() throws Exception {
    String data = Fixtures.cifarBatch().toString();
    Path gate = dir.resolve("gate.json");
    Cli.fitImpulseGate(gate);
    List<String> run = List.of("evaluate", "--gate", gate.toString(), "-d", data, "--limit", "10", "--method",
        "square", "--budget", "150", "--seed", "3", "--quiet", "--concurrency", "1");
    Path full = dir.resolve("full.json");
    Cli whole = Killed.cli(run, "--results", full.toString());
    assertEquals(0, whole.code(), whole.toString());

    Path part = dir.resolve("part.json");
    Path undefended = dir.resolve("part.json.undefended.journal");
    Path oblivious = dir.resolve("part.json.oblivious.journal");
    Killed.after(run, oblivious, 3, "--results", part.toString());
    assertTrue(Killed.lines(undefended) > 1, "the first evaluation was journaled");
    assertFalse(Files.exists(part), "no results from a killed run");
    Cli forgot = Killed.cli(run, "--results", part.toString());
    assertEquals(ExitCode.BAD_INPUT, forgot.code(), forgot.toString());
    assertTrue(forgot.err().contains("a journal of an interrupted run exists"), forgot.err());

    Cli rest = Killed.cli(run, "--results", part.toString(), "--resume");
    assertEquals(0, rest.code(), rest.toString());
    assertTrue(rest.out().contains("resumed:  "), rest.out());
    for (String p : dev.pixelguard.eval.GateEvaluation.PARTS) {
      assertFalse(Files.exists(dir.resolve("part.json." + p + ".journal")), "journals go once results are written");
    }
    List<EvaluationResult> a = ResultsJson.readAll(full);
    List<EvaluationResult> b = ResultsJson.readAll(part);
    assertEquals(3, a.size());
    for (int e = 0; e < 3; e++) {
      NoImagesTest.assertSameOutcomes(a.get(e), b.get(e));
    }
    // The oblivious attack's queries go to the reference model, not to the gate its evaluation counts, while a
    // resumed attempt counts its own: its query total is not comparable across a resume; the others' are.
    assertEquals(a.get(0).totals().queries(), b.get(0).totals().queries());
    assertEquals(a.get(2).totals().queries(), b.get(2).totals().queries());
  }
}
