package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.model.Scores;

/**
 * The candidate a sparse search will report, and when its first success came: a success beats any failure,
 * and among equals the lower fitness wins. Shared by the searches so all are judged alike.
 */
final class Incumbent {
  private int[] genes;
  private double fitness = Double.POSITIVE_INFINITY;
  private boolean succeeds;
  private float[] probabilities;
  private int top = -1;
  private long firstSuccess = -1;

  /**
   * Offers row {@code j} of a request.
   *
   * @param queriesAfter the search's query count once this whole request is counted
   * @return whether this candidate reaches the goal
   */
  boolean offer(int[] candidate, double f, Scores scores, int j, Goal goal, long queriesAfter) {
    int predicted = scores.top(j);
    boolean ok = goal.reachedBy(predicted);
    if (ok && firstSuccess < 0) {
      firstSuccess = queriesAfter;
    }
    if (genes == null || (ok && !succeeds) || (ok == succeeds && f < fitness)) {
      succeeds = ok;
      fitness = f;
      genes = candidate;
      probabilities = scores.probabilities(j);
      top = predicted;
    }
    return ok;
  }

  boolean succeeds() {
    return succeeds;
  }

  /** The result for a finished search. */
  PixelAttackResult result(SparseAttack.Task task, long queries, long nanos, long seed) {
    return Genes.result(task, succeeds, genes, top, probabilities, queries, firstSuccess, fitness, nanos, seed);
  }
}
