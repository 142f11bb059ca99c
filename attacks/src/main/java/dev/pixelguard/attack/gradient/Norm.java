package dev.pixelguard.attack.gradient;

/** The norm that bounds a perturbation, with its steepest-ascent step and projection. */
public enum Norm {
  /** Largest absolute change of any value: every pixel may move by up to epsilon. */
  LINF,
  /** Euclidean length of the whole change. */
  L2;

  /** "L-inf" or "L2". */
  public String label() {
    return this == LINF ? "L-inf" : "L2";
  }

  /** The size of {@code delta} in this norm. */
  public double of(float[] delta) {
    double s = 0;
    for (float d : delta) {
      s = this == LINF ? Math.max(s, Math.abs(d)) : s + (double) d * d;
    }
    return this == LINF ? s : Math.sqrt(s);
  }

  /**
   * The steepest step of length {@code step} along {@code g} in this norm: step * sign(g) for L-infinity,
   * step * g / ||g||_2 for L2 (zero where the gradient is zero).
   */
  float[] step(float[] g, double step) {
    float[] out = new float[g.length];
    if (this == LINF) {
      for (int i = 0; i < g.length; i++) {
        out[i] = (float) (step * Math.signum(g[i]));
      }
      return out;
    }
    double n = L2.of(g);
    if (n == 0) {
      return out;
    }
    for (int i = 0; i < g.length; i++) {
      out[i] = (float) (step * g[i] / n);
    }
    return out;
  }

  /** Scales or clips {@code delta} in place so that its size is at most {@code epsilon}. */
  void project(float[] delta, double epsilon) {
    if (this == LINF) {
      for (int i = 0; i < delta.length; i++) {
        delta[i] = (float) Math.max(-epsilon, Math.min(epsilon, delta[i]));
      }
      return;
    }
    double n = L2.of(delta);
    if (n > epsilon) {
      double f = epsilon / n;
      for (int i = 0; i < delta.length; i++) {
        delta[i] = (float) (delta[i] * f);
      }
    }
  }
}
