package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.TransferAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate --gate}: the undefended reference model, the gate against an attack that ignores it, and the
 * gate against the adaptive attack that queries (or differentiates) the whole defended system, side by side.
 */
final class GatedEvaluation {
  private GatedEvaluation() {}

  /** The three evaluations, the adaptive one last. */
  record Outcome(EvaluationResult undefended, EvaluationResult oblivious, EvaluationResult adaptive) {
    List<EvaluationResult> all() {
      return List.of(undefended, oblivious, adaptive);
    }
  }

  /**
   * @param labelOnly whether the attacks see only the top class (of the reference model, and of the gated
   *     system: a class or "abstain")
   */
  static Outcome run(Gate gate, Dataset data, Attack<?> attack, AttackOptions options, Execution execution,
      Evaluations.Console console, boolean labelOnly) {
    Classifier reference = gate.views().get(0).classifier();
    Classifier gated = gate.asClassifier();
    if (labelOnly) {
      reference = Classifiers.labelOnly(reference);
      gated = Classifiers.labelOnly(gated);
    }
    ModelInfo info = gate.info();
    Targets harm = new Targets.Harm(gate.abstainClass(), options.criterion());
    Evaluations.Line line = (i, a) -> Evaluations.success(i, a, info);
    ModelInfo gatedInfo = gated.info();
    EvaluationResult undefended = Evaluations.run("undefended", reference, labelOnly, data, attack,
        new Targets.Untargeted(options.criterion()), execution, quiet(console), line);
    EvaluationResult oblivious = Evaluations.run("gate, attack ignores it", gated, labelOnly, data,
        transfer(attack, reference, labelOnly), harm, execution, quiet(console), line);
    EvaluationResult adaptive = Evaluations.run("gate, adaptive attack", gated, labelOnly, data, attack, harm, execution,
        console, (i, a) -> !a.success() ? null
            : String.format(Locale.ROOT, "harmed #%d %s: %s", i, a.imageId(), Text.outcome(a, gatedInfo)));
    return new Outcome(undefended, oblivious, adaptive);
  }

  private static Evaluations.Console quiet(Evaluations.Console c) {
    return new Evaluations.Console(c.out(), c.err(), true);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Attack<Classifier> transfer(Attack<?> attack, Classifier reference, boolean labelOnly) {
    Classifier surrogate = AttackOptions.modelFor(attack, reference, labelOnly);
    return new TransferAttack(attack, surrogate);
  }

  static void print(PrintWriter o, Gate gate, Attack<?> attack, Outcome r) {
    o.printf(Locale.ROOT, "gate:     %s%n", gate.describe());
    Summary u = r.undefended().summary();
    Summary b = r.oblivious().summary();
    Summary a = r.adaptive().summary();
    o.printf(Locale.ROOT, "data:     %s, %d images; the reference model gets %d right (%.1f%%); the gate accepts "
        + "%d of them%n", r.adaptive().dataset(), u.evaluated(), u.cleanCorrect(), 100 * u.cleanAccuracy(),
        a.attacked());
    String d = attack.describe();
    o.printf(Locale.ROOT, "attack:   %s%n", d.contains("seed") ? d : d + ", seed " + attack.seed());
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
