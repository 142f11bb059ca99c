package dev.pixelguard.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The per-image loss behind {@link dev.pixelguard.model.GradientClassifier#lossGradient}, on DJL arrays. */
public final class CrossEntropy {
  private CrossEntropy() {}

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
   * -log p(class) per image.
   *
   * @param logProbabilities [N, K], natural log
   * @return [N]
   */
  public static NDArray of(NDManager m, NDArray logProbabilities, int[] classes) {
    int n = classes.length;
    int k = (int) logProbabilities.getShape().get(1);
    float[] oneHot = new float[n * k];
    for (int i = 0; i < n; i++) {
      oneHot[i * k + classes[i]] = 1f;
    }
    return logProbabilities.mul(m.create(oneHot, new Shape(n, k))).sum(new int[] {1}).neg();
  }
}
