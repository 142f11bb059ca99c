package dev.pixelguard.model;

import dev.pixelguard.InputException;
import java.util.List;

/**
 * A classifier's output for a batch: probabilities [N][K] and, where the model gives them, logits [N][K].
 *
 * <p>Probabilities are computed from logits in double precision and rounded to float, so they saturate at
 * exactly 1.0 for very confident predictions; searches that need a signal there should use
 * {@link #logProbability(int, int)} or {@link #logit(int, int)}, which keep it. Instances are immutable:
 * rows are never handed out, only copied.
 */
public final class Scores {
  private final float[][] probabilities;
  private final float[][] logits; // null when the model gives probabilities only

  private Scores(float[][] probabilities, float[][] logits) {
    this.probabilities = probabilities;
    this.logits = logits;
  }

  /**
   * Scores from logits; probabilities are their softmax. Takes ownership of {@code logits}.
   *
   * @throws InputException if a value is NaN or infinite
   */
  public static Scores fromLogits(float[][] logits) {
    float[][] p = new float[logits.length][];
    for (int i = 0; i < logits.length; i++) {
      requireFinite(logits[i], i, "logit");
      p[i] = softmax(logits[i]);
    }
    return new Scores(p, logits);
  }

  /**
   * Scores from probabilities. Takes ownership of {@code probabilities}.
   *
   * @throws InputException if a value is NaN, infinite or outside [0, 1], or a row does not sum to 1 (within
   *     1e-3)
   */
  public static Scores fromProbabilities(float[][] probabilities) {
    for (int i = 0; i < probabilities.length; i++) {
      requireFinite(probabilities[i], i, "probability");
      if (!isDistribution(probabilities[i], 1e-3)) {
        throw new InputException("model output row " + i + " is not a probability distribution (values in [0,1]"
            + " summing to 1); if the model outputs logits, declare output kind 'logits'");
      }
    }
    return new Scores(probabilities, null);
  }

  /**
   * Scores whose probabilities are stated apart from the logits: for a composite system (such as a gate with
   * an abstain class) whose probabilities people read, and whose logits searches follow. Each row's top class
   * must be the same in both. Takes ownership of both arrays.
   *
   * @throws IllegalArgumentException if the shapes or the top classes differ, or a row is not a distribution
   */
  public static Scores of(float[][] probabilities, float[][] logits) {
    if (probabilities.length != logits.length) {
      throw new IllegalArgumentException("probabilities and logits have " + probabilities.length + " and "
          + logits.length + " rows");
    }
    Scores s = new Scores(probabilities, logits);
    for (int i = 0; i < logits.length; i++) {
      requireFinite(logits[i], i, "logit");
      requireFinite(probabilities[i], i, "probability");
      if (!isDistribution(probabilities[i], 1e-3) || probabilities[i].length != logits[i].length) {
        throw new IllegalArgumentException("row " + i + " of the probabilities is not a distribution over the "
            + logits[i].length + " classes of the logits");
      }
      int byP = 0;
      for (int k = 1; k < probabilities[i].length; k++) {
        byP = probabilities[i][k] > probabilities[i][byP] ? k : byP;
      }
      if (probabilities[i][byP] > probabilities[i][s.top(i)]) {
        throw new IllegalArgumentException("row " + i + ": the top class by probability (" + byP + ") is not the top "
            + "class by logit (" + s.top(i) + ")");
      }
    }
    return s;
  }

  /** Whether a row looks like a probability distribution: values in [0, 1], sum within {@code tol} of 1. */
  public static boolean isDistribution(float[] row, double tol) {
    double sum = 0;
    for (float v : row) {
      if (!(v >= 0f && v <= 1f)) {
        return false;
      }
      sum += v;
    }
    return Math.abs(sum - 1.0) <= tol;
  }

  /** Several score sets, one after the other; rows are shared, never modified. */
  public static Scores concat(List<Scores> parts) {
    int n = 0;
    boolean withLogits = true;
    for (Scores s : parts) {
      n += s.size();
      withLogits &= s.logits != null;
    }
    float[][] p = new float[n][];
    float[][] z = withLogits ? new float[n][] : null;
    int at = 0;
    for (Scores s : parts) {
      System.arraycopy(s.probabilities, 0, p, at, s.size());
      if (z != null) {
        System.arraycopy(s.logits, 0, z, at, s.size());
      }
      at += s.size();
    }
    return new Scores(p, z);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive); shares rows, which are never modified. */
  public Scores slice(int from, int to) {
    float[][] p = java.util.Arrays.copyOfRange(probabilities, from, to);
    float[][] z = logits == null ? null : java.util.Arrays.copyOfRange(logits, from, to);
    return new Scores(p, z);
  }

  private static void requireFinite(float[] row, int i, String what) {
    for (int k = 0; k < row.length; k++) {
      if (!Float.isFinite(row[k])) {
        throw new InputException("model output is not finite: " + what + " " + k + " of image " + i + " is "
            + row[k]);
      }
    }
  }

  static float[] softmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] e = new double[z.length];
    for (int k = 0; k < z.length; k++) {
      e[k] = Math.exp(z[k] - max);
      sum += e[k];
    }
    float[] p = new float[z.length];
    for (int k = 0; k < z.length; k++) {
      p[k] = (float) (e[k] / sum);
    }
    return p;
  }

  /** Number of images N. */
  public int size() {
    return probabilities.length;
  }

  /** Number of classes K. */
  public int numClasses() {
    return probabilities.length == 0 ? 0 : probabilities[0].length;
  }

  public boolean hasLogits() {
    return logits != null;
  }

  /** Probability of class {@code k} for image {@code i}, in [0, 1]. */
  public float probability(int i, int k) {
    return probabilities[i][k];
  }

  /** A copy of image {@code i}'s probabilities. */
  public float[] probabilities(int i) {
    return probabilities[i].clone();
  }

  /**
   * Logit of class {@code k} for image {@code i}.
   *
   * @throws IllegalStateException if the model gives probabilities only
   */
  public float logit(int i, int k) {
    if (logits == null) {
      throw new IllegalStateException("this model gives probabilities only");
    }
    return logits[i][k];
  }

  /**
   * Natural log of the probability of class {@code k}, in double precision. From logits this is
   * {@code z_k - logsumexp(z)}, which stays informative where the float probability is exactly 1.0.
   */
  public double logProbability(int i, int k) {
    if (logits == null) {
      return Math.log(probabilities[i][k]);
    }
    float[] z = logits[i];
    int top = 0;
    for (int j = 1; j < z.length; j++) {
      if (z[j] > z[top]) {
        top = j;
      }
    }
    // logsumexp(z) = z_top + log1p(sum of exp(z_j - z_top) over j != top): log1p keeps the tiny terms that
    // make a near-certain prediction distinguishable from a certain one.
    double others = 0;
    for (int j = 0; j < z.length; j++) {
      if (j != top) {
        others += Math.exp((double) z[j] - z[top]);
      }
    }
    return (double) z[k] - z[top] - Math.log1p(others);
  }

  /** The top class of image {@code i} (by logit where available, else by probability; lowest index on ties). */
  public int top(int i) {
    float[] row = logits != null ? logits[i] : probabilities[i];
    int best = 0;
    for (int k = 1; k < row.length; k++) {
      if (row[k] > row[best]) {
        best = k;
      }
    }
    return best;
  }

  /** Probability of the top class of image {@code i}. */
  public float confidence(int i) {
    return probabilities[i][top(i)];
  }

  /** The highest-scoring class other than {@code excluded}. */
  public int topExcept(int i, int excluded) {
    float[] row = logits != null ? logits[i] : probabilities[i];
    int best = -1;
    for (int k = 0; k < row.length; k++) {
      if (k != excluded && (best < 0 || row[k] > row[best])) {
        best = k;
      }
    }
    return best;
  }
}
