package dev.pixelguard.model;

/** What a model's output row holds. */
public enum OutputKind {
  /** Unnormalised scores; pixelguard applies softmax (in double precision). */
  LOGITS,
  /** Probabilities that sum to 1. */
  PROBABILITIES,
  /**
   * Decided from the model: by the output's name where it says ("logits", "prob", "softmax"), otherwise from
   * the first batch (rows that are all in [0, 1] and sum to 1 are probabilities).
   */
  AUTO
}
