package dev.pixelguard.calibration;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ECE a perfectly calibrated model would score: what an ECE must be compared with on a finite set.
 *
 * <p>Even a model whose confidences are exactly its probabilities of being right shows a positive ECE on N
 * images, because each bin's accuracy is an average of few coin flips. This simulates that model: it keeps
 * the measured confidences and, in each of {@code draws} draws, marks each image correct with probability
 * equal to its confidence, then computes the ECE with the same bins. An ECE inside this distribution (below
 * its 95th percentile) cannot be told apart from perfect calibration on these images.
 *
 * @param mean the mean simulated ECE, in [0, 1]
 * @param p95 its 95th percentile (nearest rank: the ceil(0.95 * draws)-th smallest)
 * @param draws how many perfectly calibrated label sets were drawn
 * @param seed the seed of the draws
 */
public record EceFloor(double mean, double p95, int draws, long seed) {

  /** Draws used by default. */
  public static final int DEFAULT_DRAWS = 2000;

  /**
   * Simulates the floor. The same confidences, bins, draws and seed give the same numbers.
   *
   * @param confidence top-class confidences [N], each in [0, 1]
   * @param bins equal-width bins, as in {@link CalibrationMetrics}
   * @param draws number of simulated label sets, at least 1
   * @param seed seed of the draws
   */
  public static EceFloor simulate(double[] confidence, int bins, int draws, long seed) {
    if (draws < 1 || bins < 1 || confidence.length == 0) {
      throw new IllegalArgumentException("the floor needs at least one draw, one bin and one image");
    }
    int n = confidence.length;
    int[] bin = new int[n];
    double[] confSum = new double[bins];
    int[] count = new int[bins];
    for (int i = 0; i < n; i++) {
      bin[i] = CalibrationMetrics.binOf(confidence[i], bins);
      confSum[bin[i]] += confidence[i];
      count[bin[i]]++;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] eces = new double[draws];
    int[] right = new int[bins];
    for (int d = 0; d < draws; d++) {
      Arrays.fill(right, 0);
      for (int i = 0; i < n; i++) {
        if (random.nextDouble() < confidence[i]) {
          right[bin[i]]++;
        }
      }
      eces[d] = CalibrationMetrics.ece(confSum, count, right, n);
    }
    return new EceFloor(Arrays.stream(eces).average().orElseThrow(), percentile(eces, 0.95), draws, seed);
  }

  /** Whether an ECE lies inside the floor's 95% band (at or below the 95th percentile). */
  public boolean contains(double ece) {
    return ece <= p95;
  }

  /** The nearest-rank q-quantile of the values: the ceil(q * n)-th smallest (the smallest for q = 0). */
  static double percentile(double[] values, double q) {
    double[] s = values.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(q * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
