package dev.pixelguard.attack.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgdTest {
  /**
   * A linear model on 1x2x2 images: logits z = W x with W = [[1, -1, 0.5, 0], [-1, 1, -0.5, 0]]. Its
   * cross-entropy gradient is W^T (softmax(z) - onehot(y)), worked out here in closed form.
   */
  static final class Linear implements GradientClassifier {
    static final float[][] W = {{1f, -1f, 0.5f, 0f}, {-1f, 1f, -0.5f, 0f}};
    int gradientCalls;

    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 2, 2, 2, List.of("a", "b"), "linear");
    }

    float[][] logits(ImageBatch b) {
      float[][] z = new float[b.size()][2];
      for (int i = 0; i < b.size(); i++) {
        for (int k = 0; k < 2; k++) {
          for (int j = 0; j < 4; j++) {
            z[i][k] += W[k][j] * b.get(i * 4 + j);
          }
        }
      }
      return z;
    }

    @Override
    public Scores classify(ImageBatch b) {
      return Scores.fromLogits(logits(b));
    }

    @Override
    public LossGradient lossGradient(ImageBatch b, int[] classes) {
      gradientCalls++;
      Scores s = Scores.fromLogits(logits(b));
      float[] loss = new float[b.size()];
      float[][] g = new float[b.size()][4];
      for (int i = 0; i < b.size(); i++) {
        loss[i] = (float) -s.logProbability(i, classes[i]);
        for (int k = 0; k < 2; k++) {
          float coef = s.probability(i, k) - (k == classes[i] ? 1f : 0f);
          for (int j = 0; j < 4; j++) {
            g[i][j] += W[k][j] * coef;
          }
        }
      }
      return new LossGradient(s, loss, g);
    }
  }

  static ImageBatch batch(float... v) {
    return ImageBatch.wrap(v.length / 4, 1, 2, 2, v.clone());
  }

  @Test
  void fgsmStepsEpsilonAlongTheGradientSign() {
    // x = (0.6, 0.4, 0.5, 0.5): z_a - z_b = 2 (0.6 - 0.4 + 0.25) = 0.9, class a. The gradient of the loss of
    // class a has sign (-, +, -, 0), so FGSM moves to (0.5, 0.5, 0.4, 0.5).
    Linear m = new Linear();
    GradientAttackResult r = Pgd.fgsm(0.1).run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Untargeted(0)));
    float[] adv = new float[4];
    r.adversarial().copyTo(adv, 0);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0.4f, 0.5f}, adv, 1e-6f);
    assertEquals(0.1, r.norm()[0], 1e-6);
    // z_a - z_b = 2 (0.5 - 0.5 + 0.2) = 0.4 > 0: still class a, so FGSM at 0.1 fails here...
    assertFalse(r.success()[0]);
    // ...and at 0.2 it succeeds: z_a - z_b = 2 (0.4 - 0.6 + 0.15) = -0.1.
    assertTrue(Pgd.fgsm(0.2).run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Untargeted(0))).success()[0]);
  }

  @Test
  void pgdStaysInsideTheBallAndInsideTheImageRange() {
    // Margin z_a - z_b = 2 (x0 - x1 + 0.5 x2). Within L-inf epsilon it can fall by at most 2 * 2.5 * eps,
    // within L2 epsilon by at most 2 * ||(1, -1, 0.5)|| * eps = 3 eps. Image 1 has margin 0.9, image 2 has 2.82:
    // L-inf 0.2 (fall 1.0) and L2 0.35 (fall 1.05) flip the first and cannot flip the second.
    Linear m = new Linear();
    for (Norm norm : Norm.values()) {
      double eps = norm == Norm.LINF ? 0.2 : 0.35;
      Pgd pgd = Pgd.builder(eps).norm(norm).iterations(20).seed(3).build();
      ImageBatch x = batch(0.6f, 0.4f, 0.5f, 0.5f, 0.98f, 0.02f, 0.9f, 0.1f);
      GradientAttackResult r = pgd.run(m, x, List.of(new Goal.Untargeted(0), new Goal.Untargeted(0)));
      float[] adv = new float[8];
      r.adversarial().copyTo(adv, 0);
      for (int i = 0; i < 2; i++) {
        float[] d = new float[4];
        for (int j = 0; j < 4; j++) {
          assertTrue(adv[i * 4 + j] >= 0f && adv[i * 4 + j] <= 1f);
          d[j] = adv[i * 4 + j] - x.get(i * 4 + j);
        }
        assertTrue(norm.of(d) <= eps + 1e-6, norm + " size " + norm.of(d));
      }
      assertTrue(r.success()[0], norm + ": the first image flips");
      assertFalse(r.success()[1], norm + ": the second is out of reach");
    }
  }

  @Test
  void targetedPgdDescendsTheTargetsLoss() {
    Linear m = new Linear();
    GradientAttackResult r = Pgd.builder(0.2).iterations(10).seed(1).build()
        .run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Targeted(1)));
    assertTrue(r.success()[0]);
    assertEquals(1, m.classify(r.adversarial()).top(0));
  }

  @Test
  void stopsCallingTheModelOnceEveryImageIsFooledAndIsReproducible() {
    Linear m = new Linear();
    Pgd pgd = Pgd.builder(0.3).iterations(50).restarts(3).seed(9).build();
    GradientAttackResult a = pgd.run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Untargeted(0)));
    assertTrue(a.success()[0]);
    assertTrue(a.gradients() < 50, "stopped early after " + a.gradients());
    GradientAttackResult b = pgd.run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Untargeted(0)));
    float[] fa = new float[4];
    float[] fb = new float[4];
    a.adversarial().copyTo(fa, 0);
    b.adversarial().copyTo(fb, 0);
    assertArrayEquals(fa, fb);
  }

  @Test
  void withoutStoppingAtSuccessTheLastIterateIsReturned() {
    // For adversarial training: every image takes all steps. From (0.6, 0.4, 0.5, 0.5) the gradient sign stays
    // (-, +, -, 0) for class a, so 10 steps of 0.05 without random start end at the L-inf corner
    // (0.4, 0.6, 0.3, 0.5), well past the first adversarial point.
    Linear m = new Linear();
    Pgd pgd = Pgd.builder(0.2).iterations(10).step(0.05).randomStart(false).stopAtSuccess(false).build();
    GradientAttackResult r = pgd.run(m, batch(0.6f, 0.4f, 0.5f, 0.5f), List.of(new Goal.Untargeted(0)));
    float[] adv = new float[4];
    r.adversarial().copyTo(adv, 0);
    assertArrayEquals(new float[] {0.4f, 0.6f, 0.3f, 0.5f}, adv, 1e-6f);
    assertEquals(10, r.gradients());
    assertTrue(r.success()[0]);
    assertEquals(0.2, r.norm()[0], 1e-6);
  }

  @Test
  void normsOfKnownVectors() {
    assertEquals(0.5, Norm.LINF.of(new float[] {0.1f, -0.5f, 0.2f}), 1e-7);
    assertEquals(5.0, Norm.L2.of(new float[] {3f, 4f}), 1e-7);
    float[] d = {3f, 4f};
    Norm.L2.project(d, 1.0);
    assertArrayEquals(new float[] {0.6f, 0.8f}, d, 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> Pgd.builder(0));
  }
}
