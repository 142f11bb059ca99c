package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;

/**
 * A classifier that can also give the gradient of its loss with respect to its input: what white-box
 * attacks (FGSM, PGD) need. Gradients are those of inference ("evaluation") mode: batch normalisation
 * uses its running statistics, dropout is off, and computing them changes nothing about the model.
 * Attacks that need gradients take this type, so giving them a black-box model fails to compile.
 */
public interface GradientClassifier extends Classifier {

  /**
   * The softmax cross-entropy loss of each image against its class, and its gradient with respect to the
   * image.
   *
   * @param batch images [N, C, H, W], values in [0, 1]
   * @param classes one class per image (the true class for an untargeted attack, which ascends the loss;
   *     the target for a targeted one, which descends it)
   * @return the forward pass's scores, the losses [N] (natural log units) and the gradients [N][C*H*W] in
   *     the batch's own units (per unit of [0, 1] pixel value), planar like the batch
   */
  LossGradient lossGradient(ImageBatch batch, int[] classes);

  /**
   * @param scores the model's scores for the batch
   * @param loss cross-entropy per image
   * @param gradient d loss / d input per image, planar [C*H*W]
   */
  record LossGradient(Scores scores, float[] loss, float[][] gradient) {}
}
