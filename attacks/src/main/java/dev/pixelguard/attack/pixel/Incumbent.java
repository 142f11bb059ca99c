package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;

/**
 * The candidate a sparse search will propose, and when its first success came: a success beats any failure,
 * and among equals the lower fitness wins. Shared by the searches so all are judged alike.
 */
final class Incumbent {
  private int[] genes;
  private double fitness = Double.POSITIVE_INFINITY;
  private boolean succeeds;
  private long firstSuccess = -1;

  /**
   * Offers row {@code j} of a request.
   *
   * @param queriesAfter the search's query count once this whole request is counted
   * @return whether this candidate reaches the goal
   */
  boolean offer(int[] candidate, double f, Scores scores, int j, Goal goal, long queriesAfter) {
    boolean ok = goal.isMet(scores, j);
    if (ok && firstSuccess < 0) {
      firstSuccess = queriesAfter;
    }
    if (genes == null || (ok && !succeeds) || (ok == succeeds && f < fitness)) {
      succeeds = ok;
      fitness = f;
      genes = candidate;
    }
    return ok;
  }

  boolean succeeds() {
    return succeeds;
  }

  /** The proposal of a finished search over {@code image} ({@code base} is its planar [0,1] values). */
  Proposal proposal(Image image, float[] base, long queries, long nanos) {
    float[] v = new float[base.length];
    Genes.write(base, genes, image.channels(), image.height(), image.width(), v, 0);
    return new Proposal(v, new Cost(queries, 0, firstSuccess, nanos), fitness, null);
  }
}
