package dev.pixelguard.model;

/**
 * A per-image loss of one class whose input gradient a {@link GradientClassifier} gives. Which class, and
 * whether an attack ascends or descends it, comes from the attack's goal.
 */
public enum Loss {
  /** Softmax cross-entropy, -log p(class), natural log units. */
  CROSS_ENTROPY,
  /**
   * The logit margin, logit(class) minus the largest other logit (Carlini &amp; Wagner's f6 without the
   * confidence term): it does not saturate when the softmax does, so it keeps a gradient on confident images.
   */
  MARGIN;

  /** "cross-entropy loss" or "margin loss". */
  public String label() {
    return this == CROSS_ENTROPY ? "cross-entropy loss" : "margin loss";
  }
}
