package dev.pixelguard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.List;

/** Checks that a classifier scores an image in a batch as it scores the image alone (a backend's split calls). */
public final class BatchChecks {
  private BatchChecks() {}

  /**
   * Scores {@code images} as one batch and each in a call of its own; asserts that every image gets the same top
   * class both ways, and returns the largest difference of any logit between the two.
   */
  public static double largestLogitDifferenceFromAlone(Classifier model, List<Image> images) {
    Scores all = model.classify(ImageBatch.of(images));
    assertEquals(images.size(), all.size());
    double maxDiff = 0;
    for (int i = 0; i < images.size(); i++) {
      Scores one = model.classify(ImageBatch.of(List.of(images.get(i))));
      assertEquals(one.top(0), all.top(i), "image " + i);
      for (int k = 0; k < model.info().numClasses(); k++) {
        maxDiff = Math.max(maxDiff, Math.abs(one.logit(0, k) - all.logit(i, k)));
      }
    }
    return maxDiff;
  }
}
