package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.GateEvaluation;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate --gate} on the console: the library's {@link GateEvaluation} (the undefended reference model,
 * the gate against an attack that ignores it, the gate against the adaptive attack), its progress and its table.
 */
final class GatedEvaluation {
  private GatedEvaluation() {}

  /**
   * Runs {@code evaluation} with the adaptive attack's progress and harms on the console (the first two run
   * quietly).
   */
  static GateEvaluation.Result run(GateEvaluation evaluation, Gate gate, dev.pixelguard.data.Dataset data,
      Evaluations.Console console) {
    List<Evaluations.ConsoleProgress> shown = new ArrayList<>();
    GateEvaluation.Monitor monitor = part -> {
      boolean adaptive = part.equals("adaptive");
      Evaluations.ConsoleProgress p = Evaluations.progress(adaptive ? "gate, adaptive attack" : part, data, false,
          adaptive ? console
          : new Evaluations.Console(console.out(), console.err(), true, console.progress()), adaptive ? harmLine(gate)
              : (i, a) -> Evaluations.success(i, a, gate.info()));
      shown.add(p);
      return p;
    };
    try {
      return evaluation.monitor(monitor).run();
    } finally {
      shown.forEach(Evaluations.ConsoleProgress::close);
    }
  }

  /** "harmed #57 test_batch_subset.bin#57: ..." for an attempt that made the gate accept a wrong class. */
  static Evaluations.Line harmLine(Gate gate) {
    ModelInfo gated = gate.gatedInfo(); // also for a gate that looks at another frame
    return (i, a) -> !a.success() ? null
        : String.format(Locale.ROOT, "harmed #%d %s: %s", i, a.imageId(), Text.outcome(a, gated));
  }

  static void print(PrintWriter o, Gate gate, Attack<?> attack, long seed, GateEvaluation.Result r, Camera camera) {
    o.printf(Locale.ROOT, "gate:     %s%n", gate.describe());
    if (gate.looksAtOtherFrame()) {
      o.printf(Locale.ROOT, "frames:   %s; the attacks change the image, never that frame%n", camera.describe());
    }
    Summary u = r.undefended().summary();
    Summary b = r.oblivious().summary();
    Summary a = r.adaptive().summary();
    o.printf(Locale.ROOT, "data:     %s, %d images; the reference model gets %d right (%.1f%%); the gate accepts "
        + "%d of them%n", r.adaptive().dataset(), u.evaluated(), u.cleanCorrect(), 100 * u.cleanAccuracy(),
        a.attacked());
    o.printf(Locale.ROOT, "attack:   %s%n", Evaluation.describe(attack, seed));
    o.printf(Locale.ROOT, "%-34s %9s %8s %8s%n", "", "attacked", "harmed", "rate");
    row(o, "undefended model (wrong class)", u);
    row(o, "gate, attack that ignores it", b);
    row(o, "gate, adaptive attack", a);
    o.println("harmed: the system acts on a wrong class (undefended: any wrong class; gated: the gate accepts a wrong "
        + "class). attacked: images classified correctly (and, gated, accepted) before the attack.");
  }

  private static void row(PrintWriter o, String name, Summary s) {
    o.printf(Locale.ROOT, "%-34s %9d %8d %8s%n", name, s.attacked(), s.successes(),
        s.attacked() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * s.successRate()));
  }
}
