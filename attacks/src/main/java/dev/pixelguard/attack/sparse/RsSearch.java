package dev.pixelguard.attack.sparse;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.query.OneCandidateSearch;
import dev.pixelguard.image.Image;
import java.util.SplittableRandom;

/**
 * What the Sparse-RS searches share: one candidate a request, kept when the goal's fitness does not get worse
 * (or when it is the first to reach the goal), stopping at the first success or at the budget. Colours are
 * corners of the colour cube, coded as bit masks: bit {@code c} set means channel {@code c} at 255.
 */
abstract class RsSearch extends OneCandidateSearch {
  final SparseRs attack;
  final int channels;
  final int height;
  final int width;
  final int plane;
  final int corners;
  /** The original image, planar 8-bit values. */
  final int[] base;
  final SplittableRandom random;

  RsSearch(SparseRs attack, AttackTask task) {
    super(task.goal(), attack.objectiveFor(task.goal()), attack.budget());
    this.attack = attack;
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

  /** Sparse-RS keeps a candidate whose fitness ties the current one's, so the search moves across plateaus. */
  @Override
  protected final boolean accepts(double candidate, double current) {
    return candidate <= current;
  }

  /** Writes the current perturbation applied to the image, planar, values in [0, 1]. */
  abstract void writeCurrent(float[] dst, int offset);

  @Override
  protected final float[] current() {
    float[] v = new float[base.length];
    writeCurrent(v, 0);
    return v;
  }
}
