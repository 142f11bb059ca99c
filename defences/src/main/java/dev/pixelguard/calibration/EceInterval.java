package dev.pixelguard.calibration;

import java.util.SplittableRandom;

/**
 * A bootstrap confidence interval of an ECE: how much the figure would move on another sample of the same
 * size. Each resample draws N images with replacement from the N measured (confidence, correct) pairs and
 * recomputes the ECE with the same bins; the interval runs from the 2.5th to the 97.5th percentile (nearest
 * rank) of the resampled ECEs. The ECE is biased upwards on small sets, and so is this interval: read it
 * beside the {@link EceFloor}.
 *
 * @param low the 2.5th percentile
 * @param high the 97.5th percentile
 * @param resamples number of bootstrap resamples
 * @param seed the seed of the resampling
 */
public record EceInterval(double low, double high, int resamples, long seed) {

  /** Resamples used by default. */
  public static final int DEFAULT_RESAMPLES = 1000;

  /**
   * Bootstraps the ECE. The same inputs and seed give the same interval.
   *
   * @param confidence top-class confidences [N], each in [0, 1]
   * @param correct whether each image's top class is its label [N]
   * @param bins equal-width bins, as in {@link CalibrationMetrics}
   * @param resamples at least 1
   * @param seed seed of the resampling
   */
  public static EceInterval bootstrap(double[] confidence, boolean[] correct, int bins, int resamples, long seed) {
    if (resamples < 1 || bins < 1 || confidence.length == 0 || confidence.length != correct.length) {
      throw new IllegalArgumentException("the bootstrap needs at least one resample, one bin, and as many "
          + "confidences as correctness flags (at least one)");
    }
    int n = confidence.length;
    int[] bin = new int[n];
    for (int i = 0; i < n; i++) {
      bin[i] = CalibrationMetrics.binOf(confidence[i], bins);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] eces = new double[resamples];
    for (int r = 0; r < resamples; r++) {
      double[] confSum = new double[bins];
      int[] count = new int[bins];
      int[] right = new int[bins];
      for (int j = 0; j < n; j++) {
        int i = random.nextInt(n);
        confSum[bin[i]] += confidence[i];
        count[bin[i]]++;
        right[bin[i]] += correct[i] ? 1 : 0;
      }
      eces[r] = CalibrationMetrics.ece(confSum, count, right, n);
    }
    return new EceInterval(EceFloor.percentile(eces, 0.025), EceFloor.percentile(eces, 0.975), resamples, seed);
  }
}
