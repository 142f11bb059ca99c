package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;

/**
 * A gradient classifier that forwards everything, gradients included, to another; a wrapper built on it
 * stays a {@link GradientClassifier}, so white-box attacks still accept it.
 */
class ForwardingGradientClassifier extends ForwardingClassifier implements GradientClassifier {

  public ForwardingGradientClassifier(GradientClassifier delegate) {
    super(delegate);
  }

  @Override
  protected GradientClassifier delegate() {
    return (GradientClassifier) super.delegate();
  }

  @Override
  public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
    return delegate().lossGradient(batch, loss, classes);
  }
}
