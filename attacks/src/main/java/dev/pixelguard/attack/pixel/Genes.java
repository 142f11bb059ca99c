package dev.pixelguard.attack.pixel;

/**
 * Whole-number candidates shared by the sparse searches: per pixel (x, y, colour...) with x in [0, W),
 * y in [0, H) and each colour value in [0, 255].
 */
final class Genes {
  private Genes() {}

  /** Writes {@code base} (planar, [0,1]) with the candidate's pixels set into {@code dst} from {@code offset}. */
  static void write(float[] base, int[] genes, int channels, int height, int width, float[] dst, int offset) {
    System.arraycopy(base, 0, dst, offset, base.length);
    int per = 2 + channels;
    int plane = height * width;
    for (int p = 0; p < genes.length; p += per) {
      int pos = genes[p + 1] * width + genes[p];
      for (int c = 0; c < channels; c++) {
        dst[offset + c * plane + pos] = genes[p + 2 + c] / 255f;
      }
    }
  }

  /**
   * An evaluated candidate's fitness as a finite number. Label-only models give one-hot scores, whose margin
   * or log-probability is +infinity for every candidate that fails; searches reserve +infinity for
   * "not evaluated", so an evaluated candidate gets the largest finite value instead.
   */
  static double finite(double f) {
    if (Double.isNaN(f) || f == Double.POSITIVE_INFINITY) {
      return Double.MAX_VALUE;
    }
    return f;
  }
}
