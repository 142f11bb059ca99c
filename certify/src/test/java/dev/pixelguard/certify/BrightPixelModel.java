package dev.pixelguard.certify;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;

/**
 * A toy model with a known answer: class 1 ("bright") when any value of the image exceeds 0.9, else class 0
 * ("dark"). Logits (0, 20 (max - 0.9)), so a lead is 20 times the distance of the brightest value from 0.9. One
 * bright pixel flips it, which is what double masking undoes.
 */
final class BrightPixelModel implements Classifier {
  private final ModelInfo info;

  BrightPixelModel(int channels, int height, int width) {
    this.info = new ModelInfo(channels, height, width, 2, List.of("dark", "bright"), "bright-pixel toy");
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    float[][] z = new float[batch.size()][];
    int len = batch.imageLength();
    for (int i = 0; i < z.length; i++) {
      float max = 0;
      for (int j = 0; j < len; j++) {
        max = Math.max(max, batch.get(i * len + j));
      }
      z[i] = new float[] {0f, 20f * (max - 0.9f)};
    }
    return Scores.fromLogits(z);
  }
}
