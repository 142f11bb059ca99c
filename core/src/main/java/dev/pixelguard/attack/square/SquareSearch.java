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
 * One image's Square search: one candidate a request (the striped start, then one window a step). The current
 * image is held as signs of +-eps per value, so a window's redraw and its rejection cost no copy of the image.
 */
final class SquareSearch implements QueryAttack.Search {
  private final SquareAttack attack;
  private final Goal goal;
  private final int channels;
  private final int height;
  private final int width;
  private final int[] base; // planar 8-bit values
  private final int e;
  private final SplittableRandom random;
  private final byte[] sign; // the current image: base + sign * e, clipped
  private byte[] candidate;
  private double fitness = Double.POSITIVE_INFINITY;
  private long queries;
  private long firstSuccess = -1;
  private boolean succeeded;
  private long startNanos;
  private Proposal result;

  SquareSearch(SquareAttack attack, AttackTask task) {
    this.attack = attack;
    this.goal = task.goal();
    Image image = task.image();
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    float[] unit = new float[channels * height * width];
    image.writeUnit(unit, 0);
    this.base = new int[unit.length];
    for (int i = 0; i < unit.length; i++) {
      base[i] = Math.round(unit[i] * 255);
    }
    this.e = attack.eps8();
    this.random = new SplittableRandom(task.seed());
    this.sign = new byte[unit.length];
    // The paper's start: vertical stripes, one random sign per channel and column.
    for (int c = 0; c < channels; c++) {
      for (int x = 0; x < width; x++) {
        byte s = random.nextBoolean() ? (byte) 1 : (byte) -1;
        for (int y = 0; y < height; y++) {
          sign[(c * height + y) * width + x] = s;
        }
      }
    }
    this.candidate = sign.clone();
  }

  private int value(byte[] s, int i) {
    return Math.max(0, Math.min(255, base[i] + s[i] * e));
  }

  @Override
  public Candidates ask() {
    if (isDone()) {
      throw new IllegalStateException("search is done");
    }
    if (startNanos == 0) {
      startNanos = System.nanoTime();
    }
    if (queries > 0) {
      candidate = sign.clone();
      redrawWindow();
    }
    byte[] s = candidate;
    return new Candidates() {
      @Override
      public int size() {
        return 1;
      }

      @Override
      public void write(int j, float[] dst, int offset) {
        for (int i = 0; i < s.length; i++) {
          dst[offset + i] = value(s, i) / 255f;
        }
      }
    };
  }

  /** Redraws one square window's signs, per channel, until the window's clipped values change. */
  private void redrawWindow() {
    double p = attack.share(queries - 1);
    int side = (int) Math.round(Math.sqrt(p * height * width));
    side = Math.max(1, Math.min(side, Math.min(height, width) - 1));
    int top = random.nextInt(height - side + 1);
    int left = random.nextInt(width - side + 1);
    for (int attempt = 0; attempt < 100; attempt++) {
      boolean changed = false;
      for (int c = 0; c < channels; c++) {
        byte s = random.nextBoolean() ? (byte) 1 : (byte) -1;
        for (int y = top; y < top + side; y++) {
          for (int x = left; x < left + side; x++) {
            int i = (c * height + y) * width + x;
            candidate[i] = s;
            changed |= value(candidate, i) != value(sign, i);
          }
        }
      }
      if (changed) {
        return;
      }
    }
  }

  @Override
  public void tell(Scores scores) {
    if (scores.size() != 1) {
      throw new IllegalArgumentException("expected 1 score row, got " + scores.size());
    }
    queries++;
    double f = attack.objective().fitness(scores, 0, goal);
    boolean met = goal.isMet(scores, 0);
    if (f < fitness || met && !succeeded) {
      fitness = f;
      System.arraycopy(candidate, 0, sign, 0, sign.length);
      succeeded = met;
      if (met && firstSuccess < 0) {
        firstSuccess = queries;
      }
    }
    if (succeeded || queries >= attack.budget()) {
      float[] v = new float[sign.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = value(sign, i) / 255f;
      }
      result = new Proposal(v, new Cost(queries, 0, firstSuccess, System.nanoTime() - startNanos), fitness, null);
    }
  }

  @Override
  public boolean isDone() {
    return result != null;
  }

  @Override
  public Proposal proposal() {
    if (result == null) {
      throw new IllegalStateException("search is not done");
    }
    return result;
  }
}
