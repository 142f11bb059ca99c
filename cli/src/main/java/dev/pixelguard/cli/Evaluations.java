package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.util.Locale;

/** Running an evaluation with a progress bar, and printing its summary: shared by evaluate, scan and compare. */
final class Evaluations {
  private Evaluations() {}

  /** Runs {@code attack} over {@code data} through the one pipeline, with a progress bar unless quiet. */
  static <M extends Classifier> EvaluationResult run(String label, Classifier c, boolean labelOnly, Dataset data,
      Attack<M> attack, Targets targets, Execution execution, boolean quiet) {
    M model = AttackOptions.modelFor(attack, c, labelOnly);
    String verb = targets.matrix() ? "reached" : "fooled";
    try (Progress bar = Progress.start(label, data.size(), !quiet)) {
      return Evaluation.run(model, data, attack, targets, execution, (r, done, total, ok) -> {
        bar.total(total);
        bar.step(verb + " " + ok + "/" + done);
      });
    }
  }

  /** One line per successful attempt, in dataset order. */
  static void printSuccesses(PrintWriter o, EvaluationResult r) {
    ModelInfo info = r.model();
    for (ImageOutcome io : r.images()) {
      for (AttackResult a : io.attempts()) {
        if (a.success()) {
          o.printf(Locale.ROOT, "%s #%d %s: %s%n", a.perturbation().pixels() <= 64 ? "flipped" : "fooled", io.index(),
              io.id(), Text.outcome(a, info));
        }
      }
    }
  }

  /** The summary's first lines, the same for every attack. */
  static void printHeader(PrintWriter o, EvaluationResult r) {
    ModelInfo info = r.model();
    Summary s = r.summary();
    o.printf(Locale.ROOT, "model:    %s (%s, %d classes)%n", info.name(), info.inputShape(), info.numClasses());
    o.printf(Locale.ROOT, "data:     %s, %d images%n", r.dataset(), s.evaluated());
    o.printf(Locale.ROOT, "clean:    %s correct (%d/%d labelled); only correct images are attacked%n",
        s.labelled() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * s.cleanAccuracy()), s.cleanCorrect(),
        s.labelled());
  }

  /** What the run spent. */
  static void printCost(PrintWriter o, EvaluationResult r) {
    EvaluationResult.Totals t = r.totals();
    o.printf(Locale.ROOT, "cost:     %s queries%s in %.1f s (%.0f%% inside the model)%n", Text.count(t.queries()),
        t.gradients() > 0 ? " and " + Text.count(t.gradients()) + " image gradients" : "", t.seconds(),
        t.wallNanos() == 0 ? 0 : 100.0 * t.modelNanos() / t.wallNanos());
  }
}
