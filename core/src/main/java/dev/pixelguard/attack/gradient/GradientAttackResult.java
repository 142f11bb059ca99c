package dev.pixelguard.attack.gradient;

import dev.pixelguard.image.ImageBatch;

/**
 * The outcome of a gradient attack on a batch. Immutable; arrays are copied in and out.
 *
 * @param adversarial the adversarial images [N, C, H, W], values in [0, 1], each within epsilon of its original
 * @param success per image, whether the adversarial image reaches its goal
 * @param norm per image, the size of the perturbation in the attack's norm (same units as epsilon)
 * @param gradients gradient computations made (each one forward and one backward pass over the batch)
 */
public record GradientAttackResult(ImageBatch adversarial, boolean[] success, double[] norm, long gradients) {
  public GradientAttackResult {
    success = success.clone();
    norm = norm.clone();
  }

  @Override
  public boolean[] success() {
    return success.clone();
  }

  @Override
  public double[] norm() {
    return norm.clone();
  }

  /** Images that reach their goal. */
  public int successes() {
    int n = 0;
    for (boolean s : success) {
      n += s ? 1 : 0;
    }
    return n;
  }
}
