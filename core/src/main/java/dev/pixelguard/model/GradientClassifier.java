package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;

/**
 * A classifier that can also give the gradient of a loss with respect to its input: what white-box attacks
 * (FGSM, PGD) need. Gradients are those of inference ("evaluation") mode: batch normalisation uses its
 * running statistics, dropout is off, and computing them changes nothing about the model. Attacks that need
 * gradients take this type, so giving them a black-box model fails to compile. Wrappers that extend
 * {@link ForwardingGradientClassifier} stay gradient classifiers.
 */
public interface GradientClassifier extends Classifier {

  /**
   * A loss of each image's class, and its gradient with respect to the image.
   *
   * @param batch images [N, C, H, W], values in [0, 1]
   * @param loss which loss ({@link Loss#CROSS_ENTROPY} or {@link Loss#MARGIN})
   * @param classes one class per image (for example the true class of an untargeted attack, or the target)
   * @return the forward pass's scores, the losses [N] and the gradients [N][C*H*W] in the batch's own units
   *     (per unit of [0, 1] pixel value), planar like the batch
   */
  LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes);

  /** The softmax cross-entropy of each image's class and its input gradient; see the general form. */
  default LossGradient lossGradient(ImageBatch batch, int[] classes) {
    return lossGradient(batch, Loss.CROSS_ENTROPY, classes);
  }

  /**
   * @param scores the model's scores for the batch
   * @param loss the loss per image
   * @param gradient d loss / d input per image, planar [C*H*W]
   */
  record LossGradient(Scores scores, float[] loss, float[][] gradient) {}
}
