package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.defence.SqueezeDetector;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Scores;
import dev.pixelguard.transform.Median;
import dev.pixelguard.transform.Transforms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The squeeze detector on ResNet-20 and a fixture image that one pixel flips. */
class SqueezeDetectorOnnxTest extends Resnet20Fixture {
  /** An image of test_batch_subset.bin that the guided one-pixel search flips (seed 1). */
  static final int VULNERABLE = 12;

  /** The L1 distance between the model's probabilities on {@code x} and on its 2x2 median, computed here. */
  private static double byHand(float[] x) {
    float[] m = new float[x.length];
    new Median(2).apply(x, 0, 3, 32, 32, m, 0, 0L);
    Scores s = model.classify(ImageBatch.wrap(2, 3, 32, 32, concat(x, m)));
    double l1 = 0;
    for (int k = 0; k < 10; k++) {
      l1 += Math.abs(s.probability(0, k) - s.probability(1, k));
    }
    return l1;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aOnePixelAdversarialScoresAboveItsCleanImageUnderMedian2() {
    Image im = cifar.get(VULNERABLE).image();
    int label = cifar.get(VULNERABLE).label();
    AttackResult r = GuidedPixelAttack.builder().build().run(model, "image", im, new Goal.Untargeted(label), 1);
    assertTrue(r.success(), "image " + VULNERABLE + " is flipped by one pixel");
    assertEquals(1, r.adversarial().differingPixels(im));
    float[] clean = new float[3 * 32 * 32];
    im.writeUnit(clean, 0);
    float[] adv = r.adversarialValues();

    SqueezeDetector d = SqueezeDetector.of(model, List.of(Transforms.parse("median:2")), 1L);
    double[] s = d.score(ImageBatch.wrap(2, 3, 32, 32, concat(clean, adv)));
    assertEquals(byHand(clean), s[0], 1e-9);
    assertEquals(byHand(adv), s[1], 1e-9);
    assertTrue(s[1] > s[0], "adversarial " + s[1] + " above clean " + s[0]);
    // the squeeze undoes the flip: on the median-filtered adversarial the model gives the true class again
    float[] m = new float[adv.length];
    new Median(2).apply(adv, 0, 3, 32, 32, m, 0, 0L);
    assertNotEquals(label, model.classify(ImageBatch.wrap(1, 3, 32, 32, adv)).top(0));
    assertEquals(label, model.classify(ImageBatch.wrap(1, 3, 32, 32, m)).top(0));
  }
}
