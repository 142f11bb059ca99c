package dev.pixelguard.cli;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.model.CountingClassifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Without a terminal, each image's line is printed as it finishes, not after the whole run. */
class StreamingTest {
  @Test
  void linesArriveWhileTheRunIsStillGoing() {
    try (CountingClassifier model = CountingClassifier.of(DefaultBundle.model())) {
      List<Long> queriesAtLine = new ArrayList<>();
      StringWriter out = new StringWriter();
      Evaluations.Console console = new Evaluations.Console(new PrintWriter(out), new PrintWriter(new StringWriter()),
          false);
      Dataset twelve = Datasets.samples().limit(12);
      EvaluationResult r = Evaluations.run("attacking", Evaluation.of(model, twelve,
          GuidedPixelAttack.builder().budget(1_568).build()).execution(new Execution(400, 4)), twelve, false, console,
          (i, a) -> {
            queriesAtLine.add(model.queries());
            return Evaluations.success(i, a, model.info());
          });
      assertEquals(12, queriesAtLine.size(), "one call per attempt");
      long total = model.queries();
      assertTrue(queriesAtLine.get(0) < total / 2, "the first line came early: after " + queriesAtLine.get(0)
          + " of " + total + " queries");
      assertEquals(r.summary().successes(), out.toString().lines().filter(l -> l.startsWith("flipped #")).count());
    }
  }
}
