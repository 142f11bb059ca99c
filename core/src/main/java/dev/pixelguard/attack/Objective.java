package dev.pixelguard.attack;

import dev.pixelguard.model.Scores;

/**
 * The fitness a black-box search minimises for one candidate. What it means for a goal lives on the goal
 * ({@link Goal#fitness}); lower is always better for the attacker.
 */
public enum Objective {
  /**
   * Su et al.'s fitness: the true class's probability (untargeted) or one minus the target's (targeted).
   * Float probabilities saturate at exactly 1.0 for confident predictions, which leaves the search blind
   * there; kept as the paper's reference.
   */
  PROBABILITY,
  /**
   * The log-probability of the true class (untargeted) or minus that of the target (targeted), computed
   * from logits in double precision where the model gives logits, so it keeps a signal where probabilities
   * saturate.
   */
  LOG_PROBABILITY,
  /**
   * The logit margin: true logit minus the best other logit (untargeted; negative means success), or the
   * best non-target logit minus the target logit (targeted). Log-probabilities stand in for logits when
   * the model gives probabilities only (the margin is the same).
   */
  MARGIN;

  /** The fitness of row {@code i} of {@code s} for {@code goal}; lower is better for the attacker. */
  public double fitness(Scores s, int i, Goal goal) {
    return goal.fitness(this, s, i);
  }

  /** Class {@code k}'s logit, or its log-probability when the model gives no logits. */
  static double score(Scores s, int i, int k) {
    return s.hasLogits() ? s.logit(i, k) : s.logProbability(i, k);
  }
}
