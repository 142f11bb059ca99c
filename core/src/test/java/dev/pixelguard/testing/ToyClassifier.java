package dev.pixelguard.testing;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-made model for tests whose answer is a softmax of logits computed from each image's values alone; it
 * counts the images it is shown.
 */
public abstract class ToyClassifier implements Classifier {
  /** Images scored so far. */
  public final AtomicInteger images = new AtomicInteger();
  private final ModelInfo info;

  protected ToyClassifier(ModelInfo info) {
    this.info = info;
  }

  /** The logits of image {@code i} of {@code batch}, one per class. */
  protected abstract float[] logits(ImageBatch batch, int i);

  @Override
  public final ModelInfo info() {
    return info;
  }

  @Override
  public final Scores classify(ImageBatch batch) {
    images.addAndGet(batch.size());
    float[][] z = new float[batch.size()][];
    for (int i = 0; i < z.length; i++) {
      z[i] = logits(batch, i);
    }
    return Scores.fromLogits(z);
  }
}
