package dev.pixelguard.verify.net;

/**
 * Bounds on a class's margins over a colour box: for each other class j, y_t - y_j is at least
 * {@code coef[j][0] + sum_k coef[j][k+1] v_k - radius[j]} for every colour v in the box, and at least
 * {@code lower[j]} (that function's minimum over the box) everywhere in it.
 *
 * @param t the class whose margins these are
 * @param lower per class, the lower bound over the box (+infinity for t itself)
 * @param coef per class, the affine part of the lower bound (null for t)
 * @param radius per class, what is subtracted from the affine part
 */
public record Margins(int t, double[] lower, double[][] coef, double[] radius) {
  /** The lowest margin bound over the box and every other class. */
  public double worst() {
    double m = Double.POSITIVE_INFINITY;
    for (double l : lower) {
      m = Math.min(m, l);
    }
    return m;
  }

  /** The class with the lowest margin bound. */
  public int worstClass() {
    int best = -1;
    for (int j = 0; j < lower.length; j++) {
      if (j != t && (best < 0 || lower[j] < lower[best])) {
        best = j;
      }
    }
    return best;
  }

  /** The box's corner where the worst class's affine lower bound is lowest: the colour most likely to flip. */
  public double[] weakestCorner(Box box) {
    double[] a = coef[worstClass()];
    double[] v = new double[box.channels()];
    for (int k = 0; k < v.length; k++) {
      v[k] = a[k + 1] >= 0 ? box.lo()[k] : box.hi()[k];
    }
    return v;
  }

  /**
   * One class's bound: the affine part in the colours, and a radius that also takes the error symbols (each in
   * [-1, 1], so at worst minus the absolute value of its coefficient).
   */
  record Bound(double[] coef, double radius, double lower) {
    /**
     * @param a a[0] the constant, a[k + 1] the coefficient of symbol k, for the first {@code vars} symbols
     * @param r the radius so far
     */
    static Bound of(double[] a, double r, int vars, Domain dom) {
      double[] coef = java.util.Arrays.copyOf(a, dom.colours + 1);
      double radius = r;
      for (int k = dom.colours; k < vars; k++) {
        radius += Math.abs(a[k + 1]);
      }
      double lower = coef[0];
      for (int k = 0; k < dom.colours; k++) {
        double c = coef[k + 1];
        lower += c >= 0 ? c * dom.lo[k] : c * dom.hi[k];
      }
      return new Bound(coef, radius, lower - radius);
    }
  }
}
