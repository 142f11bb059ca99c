package dev.pixelguard.attack.sparse;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.attack.QueryAttack;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;
import java.util.SplittableRandom;

/**
 * What the Sparse-RS searches share: one candidate a request, kept when the goal's fitness does not get worse
 * (or when it is the first to reach the goal), stopping at the first success or at the budget. Colours are
 * corners of the colour cube, coded as bit masks: bit {@code c} set means channel {@code c} at 255.
 */
abstract class RsSearch implements QueryAttack.Search {
  final SparseRs attack;
  final Goal goal;
  final Objective objective;
  final int channels;
  final int height;
  final int width;
  final int plane;
  final int corners;
  /** The original image, planar 8-bit values. */
  final int[] base;
  final SplittableRandom random;
  long queries;
  private double fitness = Double.POSITIVE_INFINITY;
  private long firstSuccess = -1;
  private boolean succeeded;
  private long startNanos;
  private Proposal result;

  RsSearch(SparseRs attack, AttackTask task) {
    this.attack = attack;
    this.goal = task.goal();
    this.objective = attack.objectiveFor(goal);
    Image image = task.image();
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    this.plane = height * width;
    this.corners = 1 << channels;
    this.base = new int[channels * plane];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          base[(c * height + y) * width + x] = image.get(c, y, x);
        }
      }
    }
    this.random = new SplittableRandom(task.seed());
  }

  /** The corner at pixel {@code p} equal to its original colour, or -1 when the original is no corner. */
  int originalCorner(int p) {
    int mask = 0;
    for (int c = 0; c < channels; c++) {
      int v = base[c * plane + p];
      if (v == 255) {
        mask |= 1 << c;
      } else if (v != 0) {
        return -1;
      }
    }
    return mask;
  }

  /** A random corner other than {@code avoid} (-1 avoids none). */
  int cornerOtherThan(int avoid) {
    if (avoid < 0) {
      return random.nextInt(corners);
    }
    int n = random.nextInt(corners - 1);
    return n >= avoid ? n + 1 : n;
  }

  /** Writes the original image into {@code dst} from {@code offset}, in [0, 1]. */
  void writeBase(float[] dst, int offset) {
    for (int i = 0; i < base.length; i++) {
      dst[offset + i] = base[i] / 255f;
    }
  }

  /** Sets pixel {@code p} of the image at {@code offset} in {@code dst} to corner {@code corner}. */
  void writeCorner(float[] dst, int offset, int p, int corner) {
    for (int c = 0; c < channels; c++) {
      dst[offset + c * plane + p] = (corner >> c & 1) == 1 ? 1f : 0f;
    }
  }

  /** Makes the next candidate from the current perturbation (not called before the first query). */
  abstract void step();

  /** Writes the pending candidate as an image, planar, values in [0, 1]. */
  abstract void writeCandidate(float[] dst, int offset);

  /** Makes the pending candidate the current perturbation. */
  abstract void keepCandidate();

  /** Writes the current perturbation applied to the image, planar, values in [0, 1]. */
  abstract void writeCurrent(float[] dst, int offset);

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
    double f = goal.fitness(objective, scores, 0);
    boolean met = goal.isMet(scores, 0);
    if (!succeeded && (f <= fitness || met)) {
      fitness = f;
      keepCandidate();
      succeeded = met;
      if (met) {
        firstSuccess = queries;
      }
    }
    if (succeeded || queries >= attack.budget()) {
      float[] v = new float[base.length];
      writeCurrent(v, 0);
      result = new Proposal(v, new Cost(queries, 0, firstSuccess, System.nanoTime() - startNanos), fitness, null);
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
