package dev.pixelguard.calibration;

/**
 * Temperature scaling (Guo et al. 2017): one number T &gt; 0 that divides the logits before the softmax,
 * fitted on held-out images by minimising the mean negative log-likelihood of their labels. It changes no
 * prediction (the top class of z / T is that of z) and only the confidence.
 *
 * <p>The NLL is convex in the inverse temperature b = 1/T: its derivative in b is the mean over images of
 * E_p[z] - z_label and its second derivative the mean variance of z under p = softmax(b z), which is never
 * negative. The fit is Newton's method on b, safeguarded by a bracket on which the derivative changes sign:
 * a step that leaves the bracket is replaced by bisection in log b. The bracket is T in
 * [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}]; when the optimum lies beyond it (a fit set with no
 * error, on which the NLL keeps falling as T goes to 0) the fit stops at the bound and says so.
 *
 * <p>For a model that gives probabilities only, the logits are their logs (a probability of 0 counts as
 * {@link CalibrationMetrics#MIN_PROBABILITY}): softmax(log p / T) is the same temperature scaling, since
 * logits are defined only up to a constant per image.
 */
public final class TemperatureScaling {
  /** The smallest temperature the fit returns. */
  public static final double MIN_TEMPERATURE = 1e-3;
  /** The largest temperature the fit returns. */
  public static final double MAX_TEMPERATURE = 1e3;
  /** Relative tolerance on the temperature. */
  public static final double TOLERANCE = 1e-9;

  private TemperatureScaling() {}

  /**
   * The outcome of a fit.
   *
   * @param temperature the fitted T, in [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}]
   * @param nllBefore the mean NLL at T = 1 on the fit images
   * @param nllAfter the mean NLL at the fitted T on the fit images
   * @param images number of fit images
   * @param iterations Newton or bisection steps taken
   * @param atBound whether the optimum lay beyond the bracket and T is one of its bounds
   */
  public record Fit(double temperature, double nllBefore, double nllAfter, int images, int iterations,
      boolean atBound) {}

  /**
   * Fits T on logits and labels.
   *
   * @param logits [N][K], finite
   * @param labels [N], each in [0, K)
   * @throws IllegalArgumentException if the shapes disagree, a label is out of range or N is 0
   */
  public static Fit fit(double[][] logits, int[] labels) {
    check(logits, labels);
    double lo = 1 / MAX_TEMPERATURE;
    double hi = 1 / MIN_TEMPERATURE;
    double[] dLo = derivatives(logits, labels, lo);
    double[] dHi = derivatives(logits, labels, hi);
    double nllBefore = nll(logits, labels, 1);
    if (dLo[1] >= 0) { // the NLL rises from the smallest b on: the optimum is T at or above the upper bound
      return new Fit(MAX_TEMPERATURE, nllBefore, dLo[0], labels.length, 0, true);
    }
    if (dHi[1] <= 0) { // still falling at the largest b: the optimum is T at or below the lower bound
      return new Fit(MIN_TEMPERATURE, nllBefore, dHi[0], labels.length, 0, true);
    }
    double b = 1;
    int it = 0;
    while (it < 200) {
      it++;
      double[] d = derivatives(logits, labels, b);
      if (d[1] == 0) {
        break;
      }
      if (d[1] < 0) {
        lo = b;
      } else {
        hi = b;
      }
      double next = d[2] > 0 ? b - d[1] / d[2] : Double.NaN;
      if (!(next > lo && next < hi)) {
        next = Math.sqrt(lo * hi); // bisection in log b
      }
      boolean done = Math.abs(next - b) <= TOLERANCE * b || hi - lo <= TOLERANCE * lo;
      b = next;
      if (done) {
        break;
      }
    }
    double t = 1 / b;
    return new Fit(t, nllBefore, nll(logits, labels, t), labels.length, it, false);
  }

  /** {@link #fit(double[][], int[])} for float logits. */
  public static Fit fit(float[][] logits, int[] labels) {
    return fit(CalibrationMetrics.widen(logits), labels);
  }

  /**
   * The mean NLL of the labels under softmax(logits / T), natural log.
   *
   * @param temperature T &gt; 0
   */
  public static double nll(double[][] logits, int[] labels, double temperature) {
    check(logits, labels);
    return derivatives(logits, labels, 1 / temperature)[0];
  }

  /**
   * softmax(z / T) in double precision.
   *
   * @param z one image's logits
   * @param temperature T &gt; 0
   */
  public static double[] softmax(double[] z, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double[] p = new double[z.length];
    double sum = 0;
    for (int k = 0; k < z.length; k++) {
      p[k] = Math.exp((z[k] - max) / temperature);
      sum += p[k];
    }
    for (int k = 0; k < z.length; k++) {
      p[k] /= sum;
    }
    return p;
  }

  /** softmax(z / T) of every row. */
  public static double[][] probabilities(double[][] logits, double temperature) {
    double[][] p = new double[logits.length][];
    for (int i = 0; i < p.length; i++) {
      p[i] = softmax(logits[i], temperature);
    }
    return p;
  }

  /** The mean NLL at inverse temperature b, and its first and second derivatives in b. */
  private static double[] derivatives(double[][] logits, int[] labels, double b) {
    double f = 0;
    double f1 = 0;
    double f2 = 0;
    for (int i = 0; i < logits.length; i++) {
      double[] z = logits[i];
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      double mean = 0;
      for (double v : z) {
        double e = Math.exp(b * (v - max));
        sum += e;
        mean += e * v;
      }
      mean /= sum;
      double var = 0;
      for (double v : z) {
        double dv = v - mean;
        var += Math.exp(b * (v - max)) * dv * dv;
      }
      var /= sum;
      f += Math.log(sum) - b * (z[labels[i]] - max);
      f1 += mean - z[labels[i]];
      f2 += var;
    }
    int n = logits.length;
    return new double[] {f / n, f1 / n, f2 / n};
  }

  private static void check(double[][] logits, int[] labels) {
    if (logits.length != labels.length || labels.length == 0) {
      throw new IllegalArgumentException("temperature scaling needs as many logit rows as labels (at least one), "
          + "has " + logits.length + " and " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= logits[i].length) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not one of the "
            + logits[i].length + " classes");
      }
      for (double v : logits[i]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("logit of image " + i + " is not finite: " + v);
        }
      }
    }
  }
}
