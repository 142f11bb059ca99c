package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** Running an evaluation with a progress bar, and printing its summary: shared by evaluate, scan and compare. */
final class Evaluations {
  private Evaluations() {}

  /**
   * Where a command prints: results to {@code out}, warnings and progress to {@code err}; per-image lines unless
   * quiet, and progress (a bar on a terminal, a line every few seconds in a log) when {@code progress}.
   */
  record Console(PrintWriter out, PrintWriter err, boolean quiet, boolean progress) {
    /** Progress unless quiet. */
    Console(PrintWriter out, PrintWriter err, boolean quiet) {
      this(out, err, quiet, !quiet);
    }
  }

  /** What to print for one attempt, given the image's index in the dataset; nothing when null is returned. */
  interface Line {
    String of(int index, AttackResult result);
  }

  /**
   * Runs {@code evaluation} over {@code data} with {@link #progress} on the console.
   *
   * @param label the progress bar's name
   * @param matrix whether every image is attacked toward every other class (the bar counts reached targets)
   */
  static EvaluationResult run(String label, Evaluation evaluation, Dataset data, boolean matrix, Console console,
      Line line) {
    try (ConsoleProgress p = progress(label, data, matrix, console, line)) {
      return evaluation.listener(p).run();
    }
  }

  /**
   * Progress of one evaluation of {@code data} on the console: a bar on a terminal; unless quiet, {@code line}
   * for every attempt, as each finishes when the output is a log (so a CI job killed mid-run has logged what it
   * found), or in dataset order after the bar on a terminal; and a warning when the clean predictions look like
   * a model fed the wrong input conventions. Close it when the evaluation ends, finished or not.
   */
  static ConsoleProgress progress(String label, Dataset data, boolean matrix, Console console, Line line) {
    return new ConsoleProgress(label, data, matrix, console, line);
  }

  /** An evaluation's listener on the console; see {@link #progress}. */
  static final class ConsoleProgress implements Evaluation.Listener, AutoCloseable {
    private final Console console;
    private final Line line;
    private final String verb;
    private final Progress bar;
    private final boolean stream;
    private final Map<String, Integer> index = new HashMap<>();
    private final int images;
    /** Attempts to make, attempts done, and queries of the attempts finished here (read by the log's thread). */
    private volatile int total;
    private volatile int attempts;
    private volatile long finished;

    private ConsoleProgress(String label, Dataset data, boolean matrix, Console console, Line line) {
      this.images = data.size();
      this.total = data.size();
      this.console = console;
      this.line = line;
      this.verb = matrix ? "reached" : "fooled";
      this.bar = Progress.start(label, matrix ? "(image, target) pairs" : "images", data.size(), console.progress(),
          console.err());
      this.stream = !console.quiet() && !bar.shown();
      for (int i = 0; stream && i < data.size(); i++) { // the ids of a lazy dataset cost its images: only if printed
        index.put(data.get(i).id(), i);
      }
    }

    @Override
    public void started(Attack<?> attack, LongSupplier queries) {
      long t0 = System.nanoTime();
      DoubleSupplier rate = () -> queries.getAsLong() / Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
      // a query attack's budget bounds what is left: every attempt not finished spends at most the budget
      Object budget = attack.settings().get("budget");
      bar.live(() -> Text.count(Math.round(rate.getAsDouble())) + " queries/s", !(budget instanceof Number b) ? null
          : () -> {
            long spent = Math.max(0, queries.getAsLong() - images - finished - attempts); // by attempts in flight
            return Math.max(0, (total - attempts) * b.doubleValue() - spent) / Math.max(1e-9, rate.getAsDouble());
          });
    }

    @Override
    public void attempted(AttackResult a, int done, int total, int ok) {
      finished += a.cost().queries() + 1; // and its final check
      attempts = done;
      this.total = total;
      bar.total(total);
      bar.step(verb + " " + ok + "/" + done);
      printLine(a);
    }

    @Override
    public void resumed(AttackResult a, int done, int total, int ok) {
      attempts = done;
      this.total = total;
      bar.total(total);
      bar.skip(verb + " " + ok + "/" + done);
      printLine(a);
    }

    private void printLine(AttackResult a) {
      if (stream) {
        print(console.out(), line.of(index.get(a.imageId()), a));
      }
    }

    @Override
    public void finished(EvaluationResult r) {
      bar.close();
      if (!console.quiet() && !stream) {
        for (ImageOutcome io : r.images()) {
          io.attempts().forEach(a -> print(console.out(), line.of(io.index(), a)));
        }
      }
      warnIfCollapsed(r, console.err());
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** {@code line} for every attempt of {@code r}, in dataset order, unless quiet: after a run made elsewhere. */
  static void printLines(Console console, EvaluationResult r, Line line) {
    if (!console.quiet()) {
      for (ImageOutcome io : r.images()) {
        io.attempts().forEach(a -> print(console.out(), line.of(io.index(), a)));
      }
    }
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
