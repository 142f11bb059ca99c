package dev.pixelguard.audit;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A threat model searched image by image with one {@link Attack} through the one evaluation pipeline: untargeted
 * against a plain model, harm against a system that may abstain. A white-box attack against a system without
 * gradients is reported as not applicable rather than refused, so one card can hold both kinds.
 *
 * @param name the card's row name
 * @param attack the attack, with its budget
 * @param labelOnly whether the attacker sees only the top class (a decision-based attacker)
 * @param seed the root seed every image's seed derives from
 */
public record AttackThreat(String name, Attack<?> attack, boolean labelOnly, long seed) implements ThreatModel {

  public AttackThreat {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(attack, "attack");
  }

  @Override
  public String describe() {
    return Evaluation.describe(attack, seed) + (labelOnly ? "; the attacker sees only the top class" : "");
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", attack.name());
    m.putAll(Evaluation.settings(attack, seed));
    m.put("labelOnly", labelOnly);
    return m;
  }

  @Override
  public ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress,
      Journal journal) {
    Classifier seen = labelOnly ? Classifiers.labelOnly(system) : system; // not closed: closing it closes system
    if (!attack.modelType().isInstance(seen)) {
      return ThreatOutcome.notApplicable(attack.name() + " needs input gradients, which "
          + system.info().name() + (labelOnly ? " seen label-only" : "") + " does not give");
    }
    int abstain = system.info().abstainClass();
    Targets targets = abstain >= 0 ? new Targets.Harm(abstain, null) : new Targets.Untargeted(null);
    EvaluationResult r = Evaluation.of(seen, images, attack).targets(targets).seed(seed).execution(execution)
        .listener(progress == null ? null : (a, done, total, ok) -> progress.step(done, total, ok)).journal(journal)
        .run();
    return ThreatOutcome.of(r, abstain);
  }
}
