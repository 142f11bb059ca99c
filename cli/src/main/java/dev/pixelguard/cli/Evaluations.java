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
import java.util.HashMap;
import java.util.Map;
import java.util.Locale;

/** Running an evaluation with a progress bar, and printing its summary: shared by evaluate, scan and compare. */
final class Evaluations {
  private Evaluations() {}

  /** Where a command prints: results to {@code out}, warnings to {@code err}; per-image lines unless quiet. */
  record Console(PrintWriter out, PrintWriter err, boolean quiet) {}

  /** What to print for one attempt, given the image's index in the dataset; nothing when null is returned. */
  interface Line {
    String of(int index, AttackResult result);
  }

  /**
   * Runs {@code attack} over {@code data} through the one pipeline, with a progress bar on a terminal. Unless
   * quiet, {@code line} is printed for every attempt: as each finishes when the output is a log (so a CI job
   * killed mid-run has logged what it found), or in dataset order after the bar on a terminal.
   */
  static <M extends Classifier> EvaluationResult run(String label, Classifier c, boolean labelOnly, Dataset data,
      Attack<M> attack, Targets targets, Execution execution, Console console, Line line) {
    return run(label, c, labelOnly, data, attack, targets, execution, console, line, null);
  }

  /** As above, journaled: attempts the journal holds are kept, and every new one is appended to it. */
  static <M extends Classifier> EvaluationResult run(String label, Classifier c, boolean labelOnly, Dataset data,
      Attack<M> attack, Targets targets, Execution execution, Console console, Line line,
      dev.pixelguard.io.JournalFile journal) {
    return run(label, c, labelOnly, data, attack, targets, execution, console, line, journal, null);
  }

  /** As above, with each finished image handed to {@code sink} (a results file written as it comes), or none. */
  static <M extends Classifier> EvaluationResult run(String label, Classifier c, boolean labelOnly, Dataset data,
      Attack<M> attack, Targets targets, Execution execution, Console console, Line line,
      dev.pixelguard.io.JournalFile journal, Evaluation.Sink sink) {
    boolean quiet = console.quiet();
    PrintWriter o = console.out();
    M model = AttackOptions.modelFor(attack, c, labelOnly);
    String verb = targets.matrix() ? "reached" : "fooled";
    Map<String, Integer> index = new HashMap<>();
    EvaluationResult r;
    boolean stream;
    try (Progress bar = Progress.start(label, data.size(), !quiet)) {
      stream = !quiet && !bar.shown();
      for (int i = 0; stream && i < data.size(); i++) { // the ids of a lazy dataset cost its images: only if printed
        index.put(data.get(i).id(), i);
      }
      r = Evaluation.run(model, data, attack, targets, execution, (a, done, total, ok) -> {
        bar.total(total);
        bar.step(verb + " " + ok + "/" + done);
        if (stream) {
          print(o, line.of(index.get(a.imageId()), a));
        }
      }, journal, sink);
    }
    if (!quiet && !stream) {
      for (ImageOutcome io : r.images()) {
        io.attempts().forEach(a -> print(o, line.of(io.index(), a)));
      }
    }
    warnIfCollapsed(r, console.err());
    return r;
  }

  private static void print(PrintWriter o, String text) {
    if (text != null) {
      o.println(text);
      o.flush();
    }
  }

  /** "flipped #6 fashion-mnist-test#6: 'Coat' (0.992) -> 'Shirt' (0.644) by (4,10) 0->255 (200 queries)". */
  static String success(int index, AttackResult a, ModelInfo info) {
    return !a.success() ? null : String.format(Locale.ROOT, "%s #%d %s: %s",
        a.perturbation().pixels() <= 64 ? "flipped" : "fooled", index, a.imageId(), Text.outcome(a, info))
        + (a.goal().target() >= 0 ? " (target '" + info.className(a.goal().target()) + "')" : "");
  }

  /**
   * One warning line on stderr when the clean predictions look like a model fed the wrong input conventions
   * (layout, value range, normalisation): on at least 20 labelled images, accuracy near chance, or one class
   * predicted for nearly every image while most are wrong.
   */
  static void warnIfCollapsed(EvaluationResult r, PrintWriter err) {
    Summary s = r.summary();
    int k = r.model().numClasses();
    if (s.labelled() < 20) {
      return;
    }
    int[] counts = new int[k];
    r.images().forEach(o -> counts[o.clean().top()]++);
    int top = 0;
    for (int c = 1; c < k; c++) {
      top = counts[c] > counts[top] ? c : top;
    }
    double share = (double) counts[top] / r.images().size();
    boolean constant = share >= 0.8 && s.cleanAccuracy() < 0.5;
    if (!constant && s.cleanAccuracy() > 2.0 / k) {
      return;
    }
    String what = constant
        ? String.format(Locale.ROOT, "the model predicts '%s' for %.0f%% of the images (clean accuracy %.1f%%)",
            r.model().className(top), 100 * share, 100 * s.cleanAccuracy())
        : String.format(Locale.ROOT, "clean accuracy %.1f%% is near chance for %d classes", 100 * s.cleanAccuracy(), k);
    err.printf(Locale.ROOT, "pixelguard: warning: %s; check the model's input conventions (--layout, --range, "
        + "--mean/--std; docs/model-descriptor.md)%n", what);
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

  /**
   * For a model behind a server: what the network did (requests, retries by cause, failures, latency), on a
   * line of its own, apart from the attack's figures. Nothing for a local model.
   */
  static void printTransport(PrintWriter o, dev.pixelguard.model.Classifier c) {
    c.unwrap(dev.pixelguard.remote.RemoteClassifier.class)
        .ifPresent(r -> o.printf(Locale.ROOT, "network:  %s%n", r.transport().describe()));
  }
}
