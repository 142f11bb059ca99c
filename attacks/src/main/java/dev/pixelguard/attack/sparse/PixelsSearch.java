package dev.pixelguard.attack.sparse;

import dev.pixelguard.attack.AttackTask;

/**
 * One image's Sparse-RS search over k pixels anywhere (L0). The perturbed set M is the first k entries of a
 * permutation of all pixel positions, the rest are the positions not perturbed; each entry of M holds a
 * corner colour other than the pixel's original colour, so exactly k pixels differ from the image.
 */
final class PixelsSearch extends RsSearch {
  private final int k;
  private int[] order; // a permutation of the positions: M first, then the rest
  private int[] colour; // slot i: the corner at order[i]
  private int[] candidateOrder;
  private int[] candidateColour;

  PixelsSearch(SparseRs attack, AttackTask task) {
    super(attack, task);
    this.k = attack.size();
    order = new int[plane];
    for (int p = 0; p < plane; p++) {
      order[p] = p;
    }
    // k distinct random positions (a partial Fisher-Yates shuffle), each with a random corner.
    colour = new int[k];
    for (int i = 0; i < k; i++) {
      swap(order, i, i + random.nextInt(plane - i));
      colour[i] = cornerOtherThan(originalCorner(order[i]));
    }
    candidateOrder = order;
    candidateColour = colour;
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /**
   * Moves {@link Schedule#resampled} of the k pixels to positions not in M (drawn without replacement from
   * those outside M before this step), each with a new random corner. When M holds every position, those
   * pixels get new corners in place.
   */
  @Override
  protected void step() {
    int a = Schedule.resampled(Schedule.alpha(attack.alphaInit(), queries(), attack.budget()), k);
    int[] o = order.clone();
    int[] col = colour.clone();
    int free = plane - k;
    a = free == 0 ? a : Math.min(a, free);
    int[] slots = new int[k];
    for (int i = 0; i < k; i++) {
      slots[i] = i;
    }
    for (int j = 0; j < a; j++) {
      swap(slots, j, j + random.nextInt(k - j));
      int slot = slots[j];
      if (free == 0) {
        int old = col[slot];
        for (int t = 0; t < 16 && col[slot] == old; t++) {
          col[slot] = cornerOtherThan(originalCorner(o[slot]));
        }
        continue;
      }
      // Positions o[k .. k + j) are those released by this step; draw from o[k + j .. plane).
      swap(o, k + j, k + j + random.nextInt(free - j));
      swap(o, slot, k + j);
      col[slot] = cornerOtherThan(originalCorner(o[slot]));
    }
    candidateOrder = o;
    candidateColour = col;
  }

  private void write(int[] o, int[] col, float[] dst, int offset) {
    writeBase(dst, offset);
    for (int i = 0; i < k; i++) {
      writeCorner(dst, offset, o[i], col[i]);
    }
  }

  @Override
  protected void writeCandidate(float[] dst, int offset) {
    write(candidateOrder, candidateColour, dst, offset);
  }

  @Override
  protected void keepCandidate() {
    order = candidateOrder;
    colour = candidateColour;
  }

  @Override
  void writeCurrent(float[] dst, int offset) {
    write(order, colour, dst, offset);
  }
}
