package dev.pixelguard.calibration;

/**
 * Calibration metrics with what an ECE needs beside it to be read: the perfect-calibration floor for the
 * same confidences and a bootstrap interval.
 *
 * @param metrics ECE, MCE, NLL, Brier score, accuracy and the reliability bins
 * @param floor the ECEs a perfectly calibrated model with these confidences would score on as many images
 * @param interval the bootstrap 95% interval of {@code metrics.ece()}
 */
public record CalibrationSummary(CalibrationMetrics metrics, EceFloor floor, EceInterval interval) {

  /** The seed of the floor's draws and the bootstrap when none is given. */
  public static final long DEFAULT_SEED = 1;

  /**
   * Measures probabilities against labels, with the default draws and resamples.
   *
   * @param probabilities [N][K], rows summing to 1
   * @param labels [N]
   * @param bins equal-width confidence bins
   * @param seed seeds the floor's draws; the bootstrap takes {@code seed + 1}
   */
  public static CalibrationSummary measure(double[][] probabilities, int[] labels, int bins, long seed) {
    return measure(probabilities, labels, bins, EceFloor.DEFAULT_DRAWS, EceInterval.DEFAULT_RESAMPLES, seed);
  }

  /** As {@link #measure(double[][], int[], int, long)}, with the number of draws and resamples given. */
  public static CalibrationSummary measure(double[][] probabilities, int[] labels, int bins, int draws, int resamples,
      long seed) {
    CalibrationMetrics m = CalibrationMetrics.of(probabilities, labels, bins);
    double[] confidence = CalibrationMetrics.confidences(probabilities);
    boolean[] correct = CalibrationMetrics.correct(probabilities, labels);
    return new CalibrationSummary(m, EceFloor.simulate(confidence, bins, draws, seed),
        EceInterval.bootstrap(confidence, correct, bins, resamples, seed + 1));
  }

  /** Whether the ECE lies inside the floor's 95% band: indistinguishable from perfect calibration here. */
  public boolean indistinguishableFromPerfect() {
    return floor.contains(metrics.ece());
  }
}
