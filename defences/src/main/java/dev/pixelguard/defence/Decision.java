package dev.pixelguard.defence;

import java.util.List;

/**
 * What a {@link Gate} decides for one image: accept a class with a confidence, or abstain with every reason
 * that fired. Under a fallback policy that names a class, an abstention still acts on that class
 * ({@link #action()}), and says so.
 *
 * @param accepted whether the gate accepts the prediction
 * @param predicted the fused class, whether accepted or not
 * @param confidence the fused (calibrated) confidence of {@code predicted}
 * @param reasons why the gate abstained, one line each; empty when accepted
 * @param fallback the class acted on when abstaining, or -1 to hand over (abstain)
 */
public record Decision(boolean accepted, int predicted, double confidence, List<String> reasons, int fallback) {
  public Decision {
    reasons = List.copyOf(reasons);
    if (accepted != reasons.isEmpty()) {
      throw new IllegalArgumentException("an accepted decision has no reasons and an abstention has some");
    }
  }

  /** The class the system acts on: the prediction when accepted, else the fallback class (or -1: none). */
  public int action() {
    return accepted ? predicted : fallback;
  }

  /** Whether the gate accepted a wrong class for an image of class {@code label}: harm. */
  public boolean harms(int label) {
    return accepted && predicted != label;
  }
}
