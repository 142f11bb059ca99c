package dev.pixelguard.attack;

import dev.pixelguard.model.Scores;

/**
 * The model's answer for one image.
 *
 * @param top the top class
 * @param probabilities all class probabilities, [K]
 */
public record Prediction(int top, float[] probabilities) {
  public Prediction {
    probabilities = probabilities.clone();
  }

  /** Row {@code i} of {@code s}. */
  public static Prediction of(Scores s, int i) {
    return new Prediction(s.top(i), s.probabilities(i));
  }

  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** The probability of class {@code k}. */
  public float probability(int k) {
    return probabilities[k];
  }

  /** The probability of the top class. */
  public float confidence() {
    return probabilities[top];
  }
}
