package dev.pixelguard.attack;

import dev.pixelguard.model.Scores;

/**
 * The fitness a black-box search minimises for one candidate, given the model's scores and the goal.
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

  /** The fitness of row {@code i} of {@code s}; lower is better for the attacker. */
  public double fitness(Scores s, int i, Goal goal) {
    if (goal instanceof Goal.Untargeted u) {
      int t = u.trueClass();
      return switch (this) {
        case PROBABILITY -> s.probability(i, t);
        case LOG_PROBABILITY -> s.logProbability(i, t);
        case MARGIN -> score(s, i, t) - score(s, i, s.topExcept(i, t));
      };
    }
    int t = ((Goal.Targeted) goal).target();
    return switch (this) {
      case PROBABILITY -> 1.0 - s.probability(i, t);
      case LOG_PROBABILITY -> -s.logProbability(i, t);
      case MARGIN -> score(s, i, s.topExcept(i, t)) - score(s, i, t);
    };
  }

  private static double score(Scores s, int i, int k) {
    return s.hasLogits() ? s.logit(i, k) : s.logProbability(i, k);
  }
}
