package dev.pixelguard.attack;

import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;

/**
 * One image to attack.
 *
 * @param id the image's stable identity (e.g. {@code test_batch_subset.bin#17}), also the source of its seed
 * @param image the pixels
 * @param goal what the attack tries to reach
 * @param clean the model's scores for the unmodified image, one row
 * @param seed this image's seed (see {@link Seeds}); every random choice of the attack on it derives from it
 */
public record AttackTask(String id, Image image, Goal goal, Scores clean, long seed) {
  public AttackTask {
    if (clean.size() != 1) {
      throw new IllegalArgumentException("clean scores must have one row, have " + clean.size());
    }
  }

  /** A task whose seed is derived from {@code rootSeed} and the id. */
  public static AttackTask of(String id, Image image, Goal goal, Scores clean, long rootSeed) {
    return new AttackTask(id, image, goal, clean, Seeds.forImage(rootSeed, id));
  }
}
