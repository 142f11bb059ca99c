package dev.pixelguard.verify;

import java.util.Arrays;

/**
 * The verifier's answer for one image.
 *
 * @param index the image's index in its dataset
 * @param id the image's id
 * @param label the true class
 * @param verdict robust, vulnerable, unknown or misclassified
 * @param counterexample for a vulnerable image, the pixel and colour that flip it; else null
 * @param margins per position (y * width + x), the proven lower bound on the true class's logit margin over
 *     every colour there (positive where the position is cleared), the model's margin at the counterexample
 *     at its position, and NaN where nothing was concluded
 * @param cleared positions proven safe
 * @param boxes colour boxes bounded, over all positions
 * @param seconds wall time spent on the image
 * @param note why an image is unknown, or empty
 */
public record ImageVerdict(int index, String id, int label, Verdict verdict, Counterexample counterexample,
    double[] margins, int cleared, long boxes, double seconds, String note) {
  public ImageVerdict {
    margins = margins == null ? new double[0] : margins.clone();
    note = note == null ? "" : note;
  }

  @Override
  public double[] margins() {
    return margins.clone();
  }

  /**
   * The smallest of {@link #margins}, or NaN when none is concluded. For a robust image: a certified lower bound on
   * the true class's logit margin over every position and colour, the weakest bound where branch and bound
   * stopped, not the model's own smallest margin, which can be far larger (bundled image 4: 0.00136 here, 2.25 by
   * trying every value at every position).
   */
  public double smallestMargin() {
    double m = Double.NaN;
    for (double v : margins) {
      if (!Double.isNaN(v) && (Double.isNaN(m) || v < m)) {
        m = v;
      }
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageVerdict v && index == v.index && id.equals(v.id) && label == v.label
        && verdict == v.verdict && java.util.Objects.equals(counterexample, v.counterexample)
        && Arrays.equals(margins, v.margins) && cleared == v.cleared && boxes == v.boxes && note.equals(v.note);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(index, id, verdict, counterexample, cleared, boxes);
  }
}
