package dev.pixelguard.verify.net;

/**
 * The symbols a {@link Zone} is affine in, with their ranges: first the pixel's C colour variables, each in its
 * {@link Box} interval, then error symbols in [-1, 1], one for each unstable ReLU given its own (in the manner
 * of DeepZ, Singh et al., NeurIPS 2018). An error symbol keeps the relaxation's loss as a shared direction, so
 * that what later layers do to it can cancel, where a radius per element can only grow by the absolute values
 * of the weights. At most a given number of error symbols are made per bound pass (each costs a row in every
 * later layer); a relaxation that does not get one goes into the radius. One per bound pass: not shared
 * between threads.
 */
final class Domain {
  final int colours;
  final double[] lo;
  final double[] hi;
  private int used;

  Domain(Box box, int errors) {
    this.colours = box.channels();
    this.lo = new double[colours + errors];
    this.hi = new double[colours + errors];
    for (int k = 0; k < colours; k++) {
      lo[k] = box.lo()[k];
      hi[k] = box.hi()[k];
    }
    for (int k = colours; k < lo.length; k++) {
      lo[k] = -1;
      hi[k] = 1;
    }
    this.used = colours;
  }

  /** The number of symbols made so far (colours and errors): a new zone's width in symbols. */
  int symbols() {
    return used;
  }

  /** How many more error symbols may be made. */
  int left() {
    return lo.length - used;
  }

  /** Makes {@code n} new error symbols (at most {@link #left()}); returns the index of the first. */
  int take(int n) {
    if (n > left()) {
      throw new IllegalStateException("only " + left() + " error symbols left, " + n + " asked");
    }
    int first = used;
    used += n;
    return first;
  }

  /** The lowest value of {@code sum_k a[k + 1] s_k} over the first {@code vars} symbols. */
  double min(double[][] d, int i, int vars) {
    double s = 0;
    for (int k = 0; k < vars; k++) {
      double c = d[k + 1][i];
      s += c >= 0 ? c * lo[k] : c * hi[k];
    }
    return s;
  }

  /** The highest value of {@code sum_k a[k + 1] s_k} over the first {@code vars} symbols. */
  double max(double[][] d, int i, int vars) {
    double s = 0;
    for (int k = 0; k < vars; k++) {
      double c = d[k + 1][i];
      s += c >= 0 ? c * hi[k] : c * lo[k];
    }
    return s;
  }
}
