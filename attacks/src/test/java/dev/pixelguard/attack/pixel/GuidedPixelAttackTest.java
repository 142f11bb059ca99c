package dev.pixelguard.attack.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuidedPixelAttackTest {
  static Image gray(int v) {
    byte[] px = new byte[64];
    java.util.Arrays.fill(px, (byte) v);
    return new Image(1, 8, 8, px);
  }

  /** Class 1 when the mean of pixels (1,1), (6,2) and (4,6) exceeds 0.9: only all three bright together. */
  static final Classifier THREE = new Classifier() {
    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 8, 8, 2, List.of("dark", "bright"), "three");
    }

    @Override
    public Scores classify(ImageBatch b) {
      float[][] z = new float[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        float m = (b.get(i, 0, 1, 1) + b.get(i, 0, 2, 6) + b.get(i, 0, 6, 4)) / 3f;
        z[i] = new float[] {0f, 30f * (m - 0.9f)};
      }
      return Scores.fromLogits(z);
    }
  };

  /** Class 1 when pixel (5,2) is close to the colour 150 (a non-corner value): logits (0, 4 - |v - 150| / 5). */
  static final Classifier MID_GREY = new Classifier() {
    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 8, 8, 2, List.of("other", "grey"), "grey");
    }

    @Override
    public Scores classify(ImageBatch b) {
      float[][] z = new float[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        float v = b.get(i, 0, 2, 5) * 255f;
        z[i] = new float[] {0f, 2f - Math.abs(v - 150f) / 5f};
      }
      return Scores.fromLogits(z);
    }
  };

  @Test
  void theProbeFindsAnOppositeCornerFlipAndCountsQueriesPerRequest() {
    AttackResult r = GuidedPixelAttack.builder().requestSize(8).build()
        .run(PixelAttackTest.BRIGHT_PIXEL, "image", gray(10), new Goal.Untargeted(0), 3);
    assertTrue(r.success());
    assertEquals(3, r.changes().get(0).x());
    assertEquals(5, r.changes().get(0).y());
    assertEquals(255, r.changes().get(0).after()[0]);
    assertTrue(r.queries() <= 64, "found in the probe, " + r.queries());
    assertEquals(0, r.queries() % 8);
  }

  @Test
  void refinementFindsAFlipNoCornerReaches() {
    // No corner works (0 and 255 are far from 150), so the probe and the sweep fail and refinement must find it.
    AttackResult r = GuidedPixelAttack.builder().requestSize(16).refinePositions(4).budget(2_000).build()
        .run(MID_GREY, "image", gray(0), new Goal.Untargeted(0), 1);
    assertTrue(r.success(), "queries " + r.queries());
    assertEquals(5, r.changes().get(0).x());
    assertEquals(2, r.changes().get(0).y());
    int v = r.changes().get(0).after()[0];
    assertTrue(Math.abs(v - 150) < 10, "colour " + v);
    assertTrue(r.queries() > 128, "corners alone cannot do it");
  }

  @Test
  void threePixelsWhereNoSinglePixelSuffices() {
    AttackResult r = GuidedPixelAttack.builder().pixels(3).requestSize(20).budget(3_000).build()
        .run(THREE, "image", gray(0), new Goal.Untargeted(0), 2);
    assertTrue(r.success(), "queries " + r.queries());
    assertEquals(3, r.changes().size());
    assertEquals(1, THREE.classify(ImageBatch.of(List.of(r.adversarial()))).top(0));
  }

  @Test
  void labelOnlyModelsAreStillAttackedThroughThePrior() {
    CountingClassifier counted = CountingClassifier.of(Classifiers.labelOnly(PixelAttackTest.BRIGHT_PIXEL));
    AttackResult r = GuidedPixelAttack.builder().requestSize(8).build()
        .run(counted, "image", gray(10), new Goal.Untargeted(0), 3);
    assertTrue(r.success());
    assertFalse(counted.classify(ImageBatch.of(List.of(gray(0)))).hasLogits());
    // With no margin to rank by, a corner that flips is still found within one sweep of all corners.
    assertTrue(r.queries() <= 128);
  }

  @Test
  void stopsAtItsBudgetAndIsReproducible() {
    GuidedPixelAttack a = GuidedPixelAttack.builder().requestSize(10).budget(95).build();
    AttackResult x = a.run(THREE, "image", gray(0), new Goal.Untargeted(0), 4);
    assertFalse(x.success());
    assertEquals(95, x.queries());
    AttackResult y = a.run(THREE, "image", gray(0), new Goal.Untargeted(0), 4);
    assertEquals(x.changes(), y.changes());
    assertEquals(x.fitness(), y.fitness());
  }
}
