package dev.pixelguard.attack.query;

import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.Proposal;

import dev.pixelguard.model.Scores;

/**
 * A random search that asks for one candidate a request: the first request is the starting perturbation, each
 * later one a {@link #step} from the current perturbation. A candidate is kept when {@link #accepts} its fitness
 * against the best so far, or when it is the first to reach the goal; the search stops at the first success or
 * at the budget, proposing the current perturbation. Subclasses hold the perturbation, say how a step changes
 * it and which fitness counts as no worse.
 */
public abstract class OneCandidateSearch extends ProposingSearch {
  private final Goal goal;
  private final Objective objective;
  private final long budget;
  private long queries;
  private double fitness = Double.POSITIVE_INFINITY;
  private long firstSuccess = -1;
  private boolean succeeded;

  /**
   * @param goal the goal the search pursues
   * @param objective the fitness it minimises, as {@code goal} reads it
   * @param budget the most queries, the starting perturbation included
   */
  protected OneCandidateSearch(Goal goal, Objective objective, long budget) {
    this.goal = goal;
    this.objective = objective;
    this.budget = budget;
  }

  /** Candidates scored so far. */
  protected final long queries() {
    return queries;
  }

  /** Whether a candidate of fitness {@code candidate} replaces the current one, of fitness {@code current}. */
  protected abstract boolean accepts(double candidate, double current);

  /** Makes the next candidate from the current perturbation (not called before the first query). */
  protected abstract void step();

  /** Writes the pending candidate as an image, planar, values in [0, 1]. */
  protected abstract void writeCandidate(float[] dst, int offset);

  /** Makes the pending candidate the current perturbation. */
  protected abstract void keepCandidate();

  /** The current perturbation applied to the image, planar, values in [0, 1]. */
  protected abstract float[] current();

  @Override
  public final Candidates ask() {
    begin();
    if (queries > 0) {
      step();
    }
    return Candidates.one(this::writeCandidate);
  }

  @Override
  public final void tell(Scores scores) {
    if (scores.size() != 1) {
      throw new IllegalArgumentException("expected 1 score row, got " + scores.size());
    }
    queries++;
    double f = goal.fitness(objective, scores, 0);
    boolean met = goal.isMet(scores, 0);
    if (!succeeded && (accepts(f, fitness) || met)) {
      fitness = f;
      keepCandidate();
      succeeded = met;
      if (met) {
        firstSuccess = queries;
      }
    }
    if (succeeded || queries >= budget) {
      propose(new Proposal(current(), new Cost(queries, 0, firstSuccess, elapsedNanos()), fitness,
          null));
    }
  }
}
