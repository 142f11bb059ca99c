package dev.pixelguard.defence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receiver operating characteristic of a detector score (higher means more suspicious) on clean images
 * (negatives) and adversarial ones (positives). An image is flagged when its score is strictly above the
 * threshold, the rule of the {@link Gate}'s squeeze check (accepted while the distance is at most the
 * threshold).
 */
public final class Roc {
  private final double[] negatives;
  private final double[] positives;

  /**
   * @param negatives scores of clean images, at least one
   * @param positives scores of adversarial images, at least one
   */
  public Roc(double[] negatives, double[] positives) {
    if (negatives.length == 0 || positives.length == 0) {
      throw new IllegalArgumentException("a ROC needs clean and adversarial scores, had " + negatives.length
          + " and " + positives.length);
    }
    this.negatives = negatives.clone();
    this.positives = positives.clone();
    Arrays.sort(this.negatives);
    Arrays.sort(this.positives);
  }

  /** One point of the curve: flag scores above {@code threshold}. */
  public record Point(double threshold, double falsePositiveRate, double truePositiveRate) {}

  /** Rate of {@code sorted} values strictly above {@code t}. */
  private static double above(double[] sorted, double t) {
    int i = Arrays.binarySearch(sorted, t);
    int firstAbove;
    if (i < 0) {
      firstAbove = -i - 1;
    } else {
      firstAbove = i;
      while (firstAbove < sorted.length && sorted[firstAbove] <= t) {
        firstAbove++;
      }
    }
    return (sorted.length - firstAbove) / (double) sorted.length;
  }

  /**
   * The curve from (0, 0) to (1, 1): one point per distinct score, thresholds descending; the first point's
   * threshold is the largest score (nothing flagged), the last one's is below every score.
   */
  public List<Point> curve() {
    double[] all = new double[negatives.length + positives.length];
    System.arraycopy(negatives, 0, all, 0, negatives.length);
    System.arraycopy(positives, 0, all, negatives.length, positives.length);
    Arrays.sort(all);
    List<Point> out = new ArrayList<>();
    double max = all[all.length - 1];
    out.add(new Point(max, above(negatives, max), above(positives, max)));
    for (int i = all.length - 1; i >= 0; i--) {
      if (i < all.length - 1 && all[i] == all[i + 1]) {
        continue;
      }
      double t = i == 0 ? Math.nextDown(all[0]) : prev(all, i);
      out.add(new Point(t, above(negatives, t), above(positives, t)));
    }
    return out;
  }

  /** The largest value of {@code sorted} below {@code sorted[i]}, or just below it when there is none. */
  private static double prev(double[] sorted, int i) {
    for (int j = i - 1; j >= 0; j--) {
      if (sorted[j] < sorted[i]) {
        return sorted[j];
      }
    }
    return Math.nextDown(sorted[i]);
  }

  /**
   * The area under the curve: the probability that an adversarial image scores above a clean one, ties
   * counting half (the Mann-Whitney statistic, which equals the trapezoidal area of {@link #curve()}).
   */
  public double auc() {
    double wins = 0;
    int lo = 0;
    int hi = 0;
    for (double p : positives) {
      while (lo < negatives.length && negatives[lo] < p) {
        lo++;
      }
      hi = Math.max(hi, lo);
      while (hi < negatives.length && negatives[hi] <= p) {
        hi++;
      }
      wins += lo + 0.5 * (hi - lo);
    }
    return wins / ((double) negatives.length * positives.length);
  }

  /**
   * The threshold that flags at most a fraction {@code fpr} of the clean images: the smallest score of the
   * clean images with at most {@code floor(fpr * n)} clean scores above it.
   */
  public static double thresholdFor(double[] cleanScores, double fpr) {
    if (!(fpr >= 0 && fpr < 1)) {
      throw new IllegalArgumentException("the false-positive rate must be in [0, 1), was " + fpr);
    }
    double[] s = cleanScores.clone();
    Arrays.sort(s);
    int allowed = (int) Math.floor(fpr * s.length + 1e-9);
    return s[s.length - 1 - allowed];
  }

  /** The detection rate at the threshold {@link #thresholdFor} gives on these clean images for {@code fpr}. */
  public double detectionAt(double fpr) {
    return above(positives, thresholdFor(negatives, fpr));
  }

  /** The false-positive rate actually reached at that threshold (at most {@code fpr}). */
  public double falsePositivesAt(double fpr) {
    return above(negatives, thresholdFor(negatives, fpr));
  }
}
