package dev.pixelguard.djl.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.pixelguard.model.Loss;

/** The per-image losses behind {@link dev.pixelguard.model.GradientClassifier#lossGradient}, on DJL arrays. */
public final class Losses {
  private Losses() {}

  /**
   * Checks one class per image, each in 0..K-1.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static void check(int[] classes, int images, int k) {
    if (classes.length != images) {
      throw new IllegalArgumentException("need one class per image: " + images + " images, " + classes.length);
    }
    for (int c : classes) {
      if (c < 0 || c >= k) {
        throw new IllegalArgumentException("class " + c + " is outside 0.." + (k - 1));
      }
    }
  }

  /**
   * The loss of each image's class: -log p(class) for cross-entropy; log p(class) minus the largest other
   * log-probability for the margin, which equals the logit margin (log-softmax only shifts a row).
   *
   * @param logProbabilities [N, K], natural log
   * @return [N]
   */
  public static NDArray of(NDManager m, NDArray logProbabilities, Loss loss, int[] classes) {
    int n = classes.length;
    int k = (int) logProbabilities.getShape().get(1);
    float[] oneHot = new float[n * k];
    for (int i = 0; i < n; i++) {
      oneHot[i * k + classes[i]] = 1f;
    }
    NDArray hot = m.create(oneHot, new Shape(n, k));
    NDArray own = logProbabilities.mul(hot).sum(new int[] {1});
    if (loss == Loss.CROSS_ENTROPY) {
      return own.neg();
    }
    NDArray others = logProbabilities.sub(hot.mul(1e9f)).max(new int[] {1});
    return own.sub(others);
  }
}
