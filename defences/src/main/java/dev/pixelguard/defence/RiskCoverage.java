package dev.pixelguard.defence;

import java.util.ArrayList;
import java.util.List;

/**
 * Selective classification figures (Geifman and El-Yaniv 2017): a system that may abstain is judged by its
 * coverage (the fraction of images it accepts) and its selective risk (the error rate among them), and by how
 * the two trade off as the confidence threshold moves: the risk-coverage curve and the area under it.
 */
public final class RiskCoverage {
  private RiskCoverage() {}

  /**
   * Coverage and selective risk at one threshold.
   *
   * @param threshold accept when the confidence is at least this (and the other checks pass)
   * @param accepted images accepted
   * @param errors accepted images whose class is wrong
   * @param total images judged
   */
  public record Point(double threshold, int accepted, int errors, int total) {
    public double coverage() {
      return total == 0 ? 0 : accepted / (double) total;
    }

    /** Error among accepted images; 0 when none is accepted. */
    public double risk() {
      return accepted == 0 ? 0 : errors / (double) accepted;
    }
  }

  /**
   * The curve as the confidence threshold sweeps every confidence: one point per distinct confidence of an
   * eligible image, coverage descending.
   *
   * @param confidence each image's fused confidence
   * @param correct whether each image's predicted class is right
   * @param eligible whether each image passes the gate's other checks (all true for confidence alone)
   */
  public static List<Point> curve(double[] confidence, boolean[] correct, boolean[] eligible) {
    int n = confidence.length;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (eligible[i]) {
        order.add(i);
      }
    }
    order.sort((a, b) -> Double.compare(confidence[b], confidence[a]));
    List<Point> out = new ArrayList<>();
    int accepted = 0;
    int errors = 0;
    for (int j = 0; j < order.size(); j++) {
      int i = order.get(j);
      accepted++;
      errors += correct[i] ? 0 : 1;
      boolean lastOfTie = j == order.size() - 1 || confidence[order.get(j + 1)] != confidence[i];
      if (lastOfTie) {
        out.add(new Point(confidence[i], accepted, errors, n));
      }
    }
    java.util.Collections.reverse(out);
    return out;
  }

  /**
   * The area under the risk-coverage curve: the mean, over the accepted-image counts 1..m of the curve taken
   * image by image (in order of confidence, ties together), of the selective risk there. Lower is better; a
   * perfect ranking puts every error last.
   */
  public static double area(double[] confidence, boolean[] correct, boolean[] eligible) {
    List<Point> c = curve(confidence, correct, eligible);
    if (c.isEmpty()) {
      return 0;
    }
    double sum = 0;
    int prevAccepted = 0;
    int prevErrors = 0;
    for (int j = c.size() - 1; j >= 0; j--) { // ascending coverage
      Point p = c.get(j);
      int added = p.accepted() - prevAccepted;
      double addedErrors = p.errors() - prevErrors;
      for (int m = 1; m <= added; m++) { // ties enter in expectation
        sum += (prevErrors + addedErrors * m / added) / (prevAccepted + m);
      }
      prevAccepted = p.accepted();
      prevErrors = p.errors();
    }
    return sum / prevAccepted;
  }

  /**
   * The highest threshold whose coverage is at least {@code coverage}: the point of the curve to fit a gate
   * to. Returns the lowest threshold (all eligible images) when even that covers less.
   */
  public static Point atCoverage(double[] confidence, boolean[] correct, boolean[] eligible, double coverage) {
    List<Point> c = curve(confidence, correct, eligible);
    if (c.isEmpty()) {
      return new Point(1, 0, 0, confidence.length);
    }
    for (int j = c.size() - 1; j >= 0; j--) {
      if (c.get(j).coverage() >= coverage - 1e-12) {
        return c.get(j);
      }
    }
    return c.get(0);
  }
}
