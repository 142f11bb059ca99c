package dev.pixelguard.verify.net;

import java.util.Arrays;

/**
 * A box of colours for one pixel: per channel an interval of values in [0, 1] (the 8-bit value / 255). The
 * whole colour cube is {@code [0, 1]^C}; branch and bound splits it.
 */
public record Box(double[] lo, double[] hi) {
  public Box {
    if (lo.length != hi.length || lo.length == 0) {
      throw new IllegalArgumentException("lo and hi need one value per channel");
    }
    for (int k = 0; k < lo.length; k++) {
      if (!(lo[k] >= 0 && hi[k] <= 1 && lo[k] <= hi[k])) {
        throw new IllegalArgumentException("box must lie in [0, 1] per channel, was " + Arrays.toString(lo) + " to "
            + Arrays.toString(hi));
      }
    }
    lo = lo.clone();
    hi = hi.clone();
  }

  /** The whole colour cube for {@code channels} channels. */
  public static Box cube(int channels) {
    double[] hi = new double[channels];
    Arrays.fill(hi, 1);
    return new Box(new double[channels], hi);
  }

  /** The single colour {@code v}. */
  public static Box point(double[] v) {
    return new Box(v, v);
  }

  public int channels() {
    return lo.length;
  }

  public double width(int k) {
    return hi[k] - lo[k];
  }

  public double widest() {
    double w = 0;
    for (int k = 0; k < lo.length; k++) {
      w = Math.max(w, width(k));
    }
    return w;
  }

  /** The two halves along channel k, split at its midpoint. */
  public Box[] split(int k) {
    double mid = 0.5 * (lo[k] + hi[k]);
    double[] h1 = hi.clone();
    h1[k] = mid;
    double[] l2 = lo.clone();
    l2[k] = mid;
    return new Box[] {new Box(lo, h1), new Box(l2, hi)};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Box b && Arrays.equals(lo, b.lo) && Arrays.equals(hi, b.hi);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
  }

  @Override
  public String toString() {
    return Arrays.toString(lo) + ".." + Arrays.toString(hi);
  }
}
