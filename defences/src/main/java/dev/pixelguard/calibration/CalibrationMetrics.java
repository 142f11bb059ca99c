package dev.pixelguard.calibration;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a classifier's probabilities match its accuracy on labelled images (Guo, Pleiss, Sun &amp;
 * Weinberger, "On Calibration of Modern Neural Networks", ICML 2017).
 *
 * <p>Confidence is the top-class probability (the lowest class index on ties); an image is correct when its
 * top class is its label. Bins are equal-width in confidence: with B bins, bin b (b = 1..B) holds the
 * confidences in ((b-1)/B, b/B], right edge included, and the first bin also takes 0.
 *
 * @param images number of images N
 * @param bins number of bins B
 * @param accuracy share of images whose top class is the label, in [0, 1]
 * @param ece expected calibration error: sum over bins of (count / N) * |accuracy - mean confidence|, in [0, 1]
 * @param mce maximum calibration error: the largest |accuracy - mean confidence| over the non-empty bins
 * @param nll mean negative log-likelihood of the label, natural log; a probability of exactly 0 counts as
 *     {@link #MIN_PROBABILITY} (so an NLL term is at most about 708) rather than infinity
 * @param brier multi-class Brier score: the mean over images of sum_k (p_k - [k = label])^2, in [0, 2]
 * @param reliability the B bins of the reliability diagram, in order of confidence
 */
public record CalibrationMetrics(int images, int bins, double accuracy, double ece, double mce, double nll,
    double brier, List<ReliabilityBin> reliability) {

  /** Guo et al.'s bin count, and the default. */
  public static final int DEFAULT_BINS = 15;

  /** The probability a 0 is replaced by in the NLL: the smallest normal double, so log stays finite. */
  public static final double MIN_PROBABILITY = dev.pixelguard.model.TemperatureScaled.MIN_PROBABILITY;

  public CalibrationMetrics {
    reliability = List.copyOf(reliability);
  }

  /**
   * Measures probabilities against labels.
   *
   * @param probabilities [N][K], each row a distribution
   * @param labels [N], each in [0, K)
   * @param bins number of equal-width confidence bins, at least 1
   * @throws IllegalArgumentException if the shapes disagree, N is 0, a label is out of range or bins &lt; 1
   */
  public static CalibrationMetrics of(double[][] probabilities, int[] labels, int bins) {
    int n = check(probabilities, labels, bins);
    double[] confidence = confidences(probabilities);
    boolean[] correct = correct(probabilities, labels);
    double nll = 0;
    double brier = 0;
    for (int i = 0; i < n; i++) {
      double[] p = probabilities[i];
      nll -= Math.log(Math.max(p[labels[i]], MIN_PROBABILITY));
      for (int k = 0; k < p.length; k++) {
        double d = p[k] - (k == labels[i] ? 1 : 0);
        brier += d * d;
      }
    }
    int right = 0;
    for (boolean c : correct) {
      right += c ? 1 : 0;
    }
    List<ReliabilityBin> diagram = reliability(confidence, correct, bins);
    double mce = 0;
    for (ReliabilityBin b : diagram) {
      if (!b.isEmpty()) {
        mce = Math.max(mce, b.gap());
      }
    }
    return new CalibrationMetrics(n, bins, (double) right / n, ece(confidence, correct, bins), mce, nll / n,
        brier / n, diagram);
  }

  /** {@link #of(double[][], int[], int)} for float probabilities, widened to double. */
  public static CalibrationMetrics of(float[][] probabilities, int[] labels, int bins) {
    return of(widen(probabilities), labels, bins);
  }

  /** Each row's top-class probability. */
  public static double[] confidences(double[][] probabilities) {
    double[] c = new double[probabilities.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = probabilities[i][top(probabilities[i])];
    }
    return c;
  }

  /** Whether each row's top class (lowest index on ties) is its label. */
  public static boolean[] correct(double[][] probabilities, int[] labels) {
    boolean[] c = new boolean[probabilities.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = top(probabilities[i]) == labels[i];
    }
    return c;
  }

  /** The bin (0-based) of a confidence: b such that c lies in (b/B, (b+1)/B], and 0 for c = 0. */
  public static int binOf(double confidence, int bins) {
    int b = (int) Math.ceil(confidence * bins) - 1;
    return Math.max(0, Math.min(bins - 1, b));
  }

  /**
   * The expected calibration error of confidences and correctness flags; see the class comment for the bins.
   *
   * @return in [0, 1]
   */
  public static double ece(double[] confidence, boolean[] correct, int bins) {
    int[] bin = new int[confidence.length];
    for (int i = 0; i < bin.length; i++) {
      bin[i] = binOf(confidence[i], bins);
    }
    double[] confSum = new double[bins];
    for (int i = 0; i < bin.length; i++) {
      confSum[bin[i]] += confidence[i];
    }
    int[] count = new int[bins];
    int[] right = new int[bins];
    for (int i = 0; i < bin.length; i++) {
      count[bin[i]]++;
      right[bin[i]] += correct[i] ? 1 : 0;
    }
    return ece(confSum, count, right, confidence.length);
  }

  /** ECE from per-bin sums: sum_b |right_b - confSum_b| / n (the count-weighted gap, written without division). */
  static double ece(double[] confSum, int[] count, int[] right, int n) {
    double e = 0;
    for (int b = 0; b < confSum.length; b++) {
      if (count[b] > 0) {
        e += Math.abs(right[b] - confSum[b]);
      }
    }
    return e / n;
  }

  /** The reliability diagram's bins. */
  public static List<ReliabilityBin> reliability(double[] confidence, boolean[] correct, int bins) {
    double[] confSum = new double[bins];
    int[] count = new int[bins];
    int[] right = new int[bins];
    for (int i = 0; i < confidence.length; i++) {
      int b = binOf(confidence[i], bins);
      confSum[b] += confidence[i];
      count[b]++;
      right[b] += correct[i] ? 1 : 0;
    }
    List<ReliabilityBin> out = new ArrayList<>(bins);
    for (int b = 0; b < bins; b++) {
      out.add(new ReliabilityBin((double) b / bins, (double) (b + 1) / bins, count[b],
          count[b] == 0 ? Double.NaN : confSum[b] / count[b], count[b] == 0 ? Double.NaN : (double) right[b] / count[b]));
    }
    return out;
  }

  static double[][] widen(float[][] p) {
    double[][] d = new double[p.length][];
    for (int i = 0; i < p.length; i++) {
      d[i] = new double[p[i].length];
      for (int k = 0; k < p[i].length; k++) {
        d[i][k] = p[i][k];
      }
    }
    return d;
  }

  static int top(double[] row) {
    int best = 0;
    for (int k = 1; k < row.length; k++) {
      if (row[k] > row[best]) {
        best = k;
      }
    }
    return best;
  }

  private static int check(double[][] probabilities, int[] labels, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, was " + bins);
    }
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException(probabilities.length + " probability rows but " + labels.length + " labels");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("calibration needs at least one image");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= probabilities[i].length) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not one of the "
            + probabilities[i].length + " classes");
      }
    }
    return labels.length;
  }
}
