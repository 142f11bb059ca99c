package dev.pixelguard.calibration;

/**
 * One bin of a reliability diagram: the images whose top-class confidence lies in (lower, upper].
 *
 * @param lower the bin's lower edge, excluded (the first bin also takes a confidence of exactly 0)
 * @param upper the bin's upper edge, included
 * @param count images in the bin
 * @param meanConfidence their mean top-class confidence, in [0, 1]; NaN when the bin is empty
 * @param accuracy the share of them whose top class is the true class, in [0, 1]; NaN when the bin is empty
 */
public record ReliabilityBin(double lower, double upper, int count, double meanConfidence, double accuracy) {

  /** |accuracy - mean confidence|, the bin's calibration gap; NaN when the bin is empty. */
  public double gap() {
    return Math.abs(accuracy - meanConfidence);
  }

  public boolean isEmpty() {
    return count == 0;
  }
}
