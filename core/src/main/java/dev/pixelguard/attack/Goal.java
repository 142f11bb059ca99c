package dev.pixelguard.attack;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.Scores;
import java.util.Locale;

/**
 * What an attack tries to reach for one image: a value passed to the attack, never a mode switch. A goal
 * is a {@link Criterion} (what counts as success) that also knows which way to push the model: the fitness a
 * black-box search minimises ({@link #fitness}) and the loss a gradient attack ascends ({@link #lossClass},
 * {@link #lossDirection}). {@link #and} narrows a goal with an extra criterion, e.g. a minimum confidence of
 * the wrong class, keeping its direction.
 */
public sealed interface Goal extends Criterion permits Goal.Untargeted, Goal.Targeted, Goal.Harm, Goal.Narrowed {

  /** Whether a prediction of class {@code predicted} reaches the goal, judged on the class alone. */
  boolean reachedBy(int predicted);

  /** Judged on the top class alone; a goal with an extra criterion also checks that. */
  @Override
  default boolean isMet(Scores s, int i) {
    return reachedBy(s.top(i));
  }

  /** The fitness of row {@code i} of {@code s} under {@code objective}; lower is better for the attacker. */
  double fitness(Objective objective, Scores s, int i);

  /** The class whose loss a gradient attack follows (the true class, or the target). */
  int lossClass();

  /**
   * +1 when the attacker ascends {@code loss} of {@link #lossClass}, -1 when it descends it. For example an
   * untargeted attack ascends the true class's cross-entropy and descends its logit margin.
   */
  int lossDirection(Loss loss);

  /**
   * The class a search that reports "the probability of interest" watches: the true class (whose probability
   * should fall) or the target (whose probability should rise).
   */
  default int watchedClass() {
    return lossClass();
  }

  /** The class the goal wants predicted, or -1 when it only wants the true class gone. */
  default int target() {
    return -1;
  }

  /**
   * The goal an attack that ignores a defence pursues on the undefended model: for {@link Harm}, simply a
   * wrong class ({@link Untargeted}); every other goal is its own.
   */
  default Goal undefended() {
    return this;
  }

  /** This goal, with {@code extra} required as well; the direction stays this goal's. */
  @Override
  default Goal and(Criterion extra) {
    return new Narrowed(this, extra);
  }

  /** Make the model predict anything but {@code trueClass}. */
  record Untargeted(int trueClass) implements Goal {
    public Untargeted {
      if (trueClass < 0) {
        throw new IllegalArgumentException("an untargeted goal needs a class, was " + trueClass);
      }
    }

    @Override
    public boolean reachedBy(int predicted) {
      return predicted != trueClass;
    }

    @Override
    public double fitness(Objective objective, Scores s, int i) {
      return switch (objective) {
        case PROBABILITY -> s.probability(i, trueClass);
        case LOG_PROBABILITY -> s.logProbability(i, trueClass);
        case MARGIN -> Objective.score(s, i, trueClass) - Objective.score(s, i, s.topExcept(i, trueClass));
      };
    }

    @Override
    public int lossClass() {
      return trueClass;
    }

    @Override
    public int lossDirection(Loss loss) {
      return loss == Loss.CROSS_ENTROPY ? 1 : -1;
    }

    @Override
    public String describe() {
      return "untargeted";
    }
  }

  /** Make the model predict {@code target}. */
  record Targeted(int target) implements Goal {
    public Targeted {
      if (target < 0) {
        throw new IllegalArgumentException("a targeted goal needs a class, was " + target);
      }
    }

    @Override
    public boolean reachedBy(int predicted) {
      return predicted == target;
    }

    @Override
    public double fitness(Objective objective, Scores s, int i) {
      return switch (objective) {
        case PROBABILITY -> 1.0 - s.probability(i, target);
        case LOG_PROBABILITY -> -s.logProbability(i, target);
        case MARGIN -> Objective.score(s, i, s.topExcept(i, target)) - Objective.score(s, i, target);
      };
    }

    @Override
    public int lossClass() {
      return target;
    }

    @Override
    public int lossDirection(Loss loss) {
      return loss == Loss.CROSS_ENTROPY ? -1 : 1;
    }

    @Override
    public String describe() {
      return "target " + target;
    }
  }

  /**
   * Harm through a defence that may abstain: the defended system (a classifier whose class {@code abstain}
   * means "no answer", such as {@code Gate.asClassifier()} in pixelguard-defences) accepts the image and
   * answers a class other than {@code trueClass}. Abstaining is not harm: it is the defence working. The
   * search pushes toward the best wrong class against both the true class and abstention; a gradient attack
   * follows the true class's loss, as an untargeted one.
   */
  record Harm(int trueClass, int abstain) implements Goal {
    public Harm {
      if (trueClass < 0 || abstain < 0 || trueClass == abstain) {
        throw new IllegalArgumentException("a harm goal needs a class and a different abstain class, were "
            + trueClass + " and " + abstain);
      }
    }

    @Override
    public boolean reachedBy(int predicted) {
      return predicted != trueClass && predicted != abstain;
    }

    /** The best-scoring class that is neither the true class nor abstention. */
    private int bestHarm(Scores s, int i) {
      int best = -1;
      for (int k = 0; k < s.numClasses(); k++) {
        if (k != trueClass && k != abstain
            && (best < 0 || Objective.score(s, i, k) > Objective.score(s, i, best))) {
          best = k;
        }
      }
      return best;
    }

    @Override
    public double fitness(Objective objective, Scores s, int i) {
      int harm = bestHarm(s, i);
      return switch (objective) {
        case PROBABILITY -> 1.0 - s.probability(i, harm);
        case LOG_PROBABILITY -> -s.logProbability(i, harm);
        case MARGIN -> Math.max(Objective.score(s, i, trueClass), Objective.score(s, i, abstain))
            - Objective.score(s, i, harm);
      };
    }

    @Override
    public Goal undefended() {
      return new Untargeted(trueClass);
    }

    /** The loss a gradient attack follows: the undefended goal's, away from the true class. */
    @Override
    public int lossClass() {
      return undefended().lossClass();
    }

    @Override
    public int lossDirection(Loss loss) {
      return undefended().lossDirection(loss);
    }

    @Override
    public String describe() {
      return "harm (abstain " + abstain + ")";
    }
  }

  /** A goal with an extra criterion: reached when both are met; searched and followed as {@code base}. */
  record Narrowed(Goal base, Criterion extra) implements Goal {
    @Override
    public boolean reachedBy(int predicted) {
      return base.reachedBy(predicted);
    }

    @Override
    public boolean isMet(Scores s, int i) {
      return base.isMet(s, i) && extra.isMet(s, i);
    }

    @Override
    public double fitness(Objective objective, Scores s, int i) {
      return base.fitness(objective, s, i);
    }

    @Override
    public int lossClass() {
      return base.lossClass();
    }

    @Override
    public int lossDirection(Loss loss) {
      return base.lossDirection(loss);
    }

    @Override
    public int target() {
      return base.target();
    }

    @Override
    public Goal undefended() {
      return new Narrowed(base.undefended(), extra);
    }

    @Override
    public String describe() {
      return base.describe() + " and " + extra.describe();
    }
  }

  static Goal untargeted(int trueClass) {
    return new Untargeted(trueClass);
  }

  static Goal targeted(int target) {
    return new Targeted(target);
  }

  /**
   * The goal a {@link #describe()} string names: "untargeted", "target K" or "harm (abstain K)", optionally followed by
   * " and top confidence >= P". Results files store goals this way.
   *
   * @param trueClass the image's true class, for an untargeted goal
   * @throws InputException for any other text
   */
  static Goal parse(String text, int trueClass) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    String extra = null;
    int and = t.indexOf(" and ");
    if (and >= 0) {
      extra = t.substring(and + 5).trim();
      t = t.substring(0, and).trim();
    }
    Goal g;
    try {
      if (t.equals("untargeted")) {
        g = new Untargeted(trueClass);
      } else if (t.startsWith("harm (abstain ") && t.endsWith(")")) {
        g = new Harm(trueClass, Integer.parseInt(t.substring(14, t.length() - 1).trim()));
      } else if (t.startsWith("target ")) {
        g = new Targeted(Integer.parseInt(t.substring(7).trim()));
      } else {
        throw new InputException("unknown goal '" + text + "'");
      }
      if (extra != null) {
        g = g.and(Criterion.parse(extra));
      }
    } catch (IllegalArgumentException e) {
      throw new InputException("unknown goal '" + text + "': " + e.getMessage());
    }
    return g;
  }
}
