package dev.pixelguard.attack.square;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.attack.QueryAttack;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;
import java.util.SplittableRandom;

/**
 * What the Square searches share: one candidate a request, kept when the goal's fitness falls (or when it is
 * the first to reach the goal), stopping at the first success or at the budget. Subclasses hold the
 * perturbation and say how a step changes it.
 */
abstract class SquareBase implements QueryAttack.Search {
  final SquareAttack attack;
  final Goal goal;
  final int channels;
  final int height;
  final int width;
  final SplittableRandom random;
  long queries;
  private double fitness = Double.POSITIVE_INFINITY;
  private long firstSuccess = -1;
  private boolean succeeded;
  private long startNanos;
  private Proposal result;

  SquareBase(SquareAttack attack, AttackTask task) {
    this.attack = attack;
    this.goal = task.goal();
    Image image = task.image();
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    this.random = new SplittableRandom(task.seed());
  }

  /** Makes the next candidate from the current perturbation (not called before the first query). */
  abstract void step();

  /** Writes the pending candidate as an image, planar, values in [0, 1]. */
  abstract void writeCandidate(float[] dst, int offset);

  /** Makes the pending candidate the current perturbation. */
  abstract void keepCandidate();

  /** The current perturbation applied to the image, planar, values in [0, 1]. */
  abstract float[] current();

  @Override
  public final Candidates ask() {
    if (isDone()) {
      throw new IllegalStateException("search is done");
    }
    if (startNanos == 0) {
      startNanos = System.nanoTime();
    }
    if (queries > 0) {
      step();
    }
    return new Candidates() {
      @Override
      public int size() {
        return 1;
      }

      @Override
      public void write(int j, float[] dst, int offset) {
        writeCandidate(dst, offset);
      }
    };
  }

  @Override
  public final void tell(Scores scores) {
    if (scores.size() != 1) {
      throw new IllegalArgumentException("expected 1 score row, got " + scores.size());
    }
    queries++;
    double f = attack.objective().fitness(scores, 0, goal);
    boolean met = goal.isMet(scores, 0);
    if (f < fitness || met && !succeeded) {
      fitness = f;
      keepCandidate();
      succeeded = met;
      if (met && firstSuccess < 0) {
        firstSuccess = queries;
      }
    }
    if (succeeded || queries >= attack.budget()) {
      result = new Proposal(current(), new Cost(queries, 0, firstSuccess, System.nanoTime() - startNanos), fitness,
          null);
    }
  }

  @Override
  public final boolean isDone() {
    return result != null;
  }

  @Override
  public final Proposal proposal() {
    if (result == null) {
      throw new IllegalStateException("search is not done");
    }
    return result;
  }
}
