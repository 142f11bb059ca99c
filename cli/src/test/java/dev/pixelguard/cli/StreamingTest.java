package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
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
      EvaluationResult r = Evaluations.run("attacking", model, false, DefaultBundle.samples().limit(12),
          GuidedPixelAttack.builder().budget(1_568).build(), Targets.untargeted(), new Execution(400, 4), console,
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
