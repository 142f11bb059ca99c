package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import java.util.List;

/**
 * The outcome of a pixel attack on one image. Immutable; arrays are copied in and out.
 *
 * @param imageId where the image came from
 * @param goal what the attack tried to reach
 * @param success whether the adversarial image reaches the goal
 * @param original the attacked image
 * @param adversarial the original with {@link #changes} applied: on success the adversarial example; on
 *     failure the best candidate found (which does not reach the goal)
 * @param changes the changed pixels, at most k, with colours before and after (positions whose colour did
 *     not change are left out)
 * @param cleanClass the model's top class for the original
 * @param cleanProbabilities the model's probabilities for the original, [K]
 * @param adversarialClass the model's top class for {@link #adversarial}
 * @param adversarialProbabilities the model's probabilities for {@link #adversarial}, [K]
 * @param queries candidate images this attack sent to the model (the clean prediction is not included)
 * @param firstSuccessQuery queries spent when the first success was seen (whole generations are sent at
 *     once, so this is a multiple of the batch of candidates), or -1
 * @param fitness the objective's value for {@link #adversarial}
 * @param nanos wall time from the attack's first request to its end, in nanoseconds (when several images
 *     are attacked together, their times overlap)
 * @param seed the seed of this image's search
 */
public record PixelAttackResult(
    String imageId,
    Goal goal,
    boolean success,
    Image original,
    Image adversarial,
    List<PixelChange> changes,
    int cleanClass,
    float[] cleanProbabilities,
    int adversarialClass,
    float[] adversarialProbabilities,
    long queries,
    long firstSuccessQuery,
    double fitness,
    long nanos,
    long seed) {

  public PixelAttackResult {
    changes = List.copyOf(changes);
    cleanProbabilities = cleanProbabilities.clone();
    adversarialProbabilities = adversarialProbabilities.clone();
  }

  @Override
  public float[] cleanProbabilities() {
    return cleanProbabilities.clone();
  }

  @Override
  public float[] adversarialProbabilities() {
    return adversarialProbabilities.clone();
  }

  /** Probability of {@link #cleanClass} for the original. */
  public float cleanConfidence() {
    return cleanProbabilities[cleanClass];
  }

  /** Probability of {@link #adversarialClass} for the adversarial image. */
  public float adversarialConfidence() {
    return adversarialProbabilities[adversarialClass];
  }

  /** Probability of class {@code k} before and after: {before, after}. */
  public float[] probabilityOf(int k) {
    return new float[] {cleanProbabilities[k], adversarialProbabilities[k]};
  }

  /** Wall time in seconds. */
  public double seconds() {
    return nanos / 1e9;
  }
}
