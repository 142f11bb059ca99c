package dev.pixelguard.attack.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgdTest {
  /**
   * A linear model on 1x2x2 images: logits z = W x with W = [[1, -1, 0.5, 0], [-1, 1, -0.5, 0]]. Its
   * cross-entropy gradient is W^T (softmax(z) - onehot(y)), and its margin z_y - z_other has gradient
   * W[y] - W[other]; both worked out here in closed form.
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
    public LossGradient lossGradient(ImageBatch b, Loss kind, int[] classes) {
      gradientCalls++;
      float[][] z = logits(b);
      Scores s = Scores.fromLogits(z);
      float[] loss = new float[b.size()];
      float[][] g = new float[b.size()][4];
      for (int i = 0; i < b.size(); i++) {
        int c = classes[i];
        if (kind == Loss.MARGIN) {
          loss[i] = z[i][c] - z[i][1 - c];
          for (int j = 0; j < 4; j++) {
            g[i][j] = W[c][j] - W[1 - c][j];
          }
          continue;
        }
        loss[i] = (float) -s.logProbability(i, c);
        for (int k = 0; k < 2; k++) {
          float coef = s.probability(i, k) - (k == c ? 1f : 0f);
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

  /** Runs {@code attack} on the images of {@code b}, each with its goal and its own seed (from root seed 1). */
  static List<AttackResult> run(Attack<GradientClassifier> attack, GradientClassifier m, ImageBatch b, Goal... goals) {
    return run(attack, 1, m, b, goals);
  }

  /** Runs {@code attack} on the images of {@code b}, each with its goal and its own seed from {@code seed}. */
  static List<AttackResult> run(Attack<GradientClassifier> attack, long seed, GradientClassifier m, ImageBatch b,
      Goal... goals) {
    List<AttackTask> tasks = new ArrayList<>();
    float[] v = new float[b.size() * 4];
    b.copyTo(v, 0);
    for (int i = 0; i < b.size(); i++) {
      dev.pixelguard.image.Image im = dev.pixelguard.image.Image.fromUnit(1, 2, 2, v, i * 4);
      // Inputs are 8-bit here, so the images are exactly the batch's values.
      tasks.add(AttackTask.of("img" + i, im, goals[i], m.classify(ImageBatch.of(List.of(im))), seed));
    }
    return attack.run(m, tasks, new Execution(16, 1), r -> {});
  }

  static float[] v(float... x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.round(x[i] * 255) / 255f;
    }
    return out;
  }

  @Test
  void fgsmStepsEpsilonAlongTheGradientSign() {
    // x ~ (0.6, 0.4, 0.5, 0.5): z_a - z_b = 2 (x0 - x1 + 0.5 x2) ~ 0.9, class a. The gradient of the loss of
    // class a has sign (-, +, -, 0), so FGSM moves every value but the last by 0.1.
    Linear m = new Linear();
    float[] x = v(0.6f, 0.4f, 0.5f, 0.5f);
    AttackResult r = run(new Fgsm(0.1), m, batch(x), new Goal.Untargeted(0)).get(0);
    assertArrayEquals(new float[] {x[0] - 0.1f, x[1] + 0.1f, x[2] - 0.1f, x[3]}, r.adversarialValues(), 1e-6f);
    assertEquals(0.1, r.perturbation().linf(), 1e-6);
    assertEquals(3, r.perturbation().pixels());
    assertEquals(1, r.cost().gradients());
    // z_a - z_b falls by 2 * 2.5 * 0.1 = 0.5 to about 0.4 > 0: still class a, so FGSM at 0.1 fails here...
    assertFalse(r.success());
    // ...and at 0.2 it succeeds (about -0.1), with the margin loss as well as cross-entropy.
    assertTrue(run(new Fgsm(0.2), m, batch(x), new Goal.Untargeted(0)).get(0).success());
    assertTrue(run(new Fgsm(0.2, Loss.MARGIN), m, batch(x), new Goal.Untargeted(0)).get(0).success());
  }

  @Test
  void pgdStaysInsideTheBallAndInsideTheImageRange() {
    // Margin z_a - z_b = 2 (x0 - x1 + 0.5 x2). Within L-inf epsilon it can fall by at most 2 * 2.5 * eps,
    // within L2 epsilon by at most 2 * ||(1, -1, 0.5)|| * eps = 3 eps. Image 1 has margin 0.9, image 2 about 2.8:
    // L-inf 0.2 (fall 1.0) and L2 0.35 (fall 1.05) flip the first and cannot flip the second.
    Linear m = new Linear();
    for (Loss loss : Loss.values()) {
      for (Norm norm : Norm.values()) {
        double eps = norm == Norm.LINF ? 0.2 : 0.35;
        Pgd pgd = Pgd.builder(eps).norm(norm).loss(loss).iterations(20).build();
        float[] x = v(0.6f, 0.4f, 0.5f, 0.5f, 0.98f, 0.02f, 0.9f, 0.1f);
        List<AttackResult> r = run(pgd, 3, m, batch(x), new Goal.Untargeted(0), new Goal.Untargeted(0));
        for (int i = 0; i < 2; i++) {
          float[] adv = r.get(i).adversarialValues();
          float[] d = new float[4];
          for (int j = 0; j < 4; j++) {
            assertTrue(adv[j] >= 0f && adv[j] <= 1f);
            d[j] = adv[j] - x[i * 4 + j];
          }
          assertTrue(norm.of(d) <= eps + 1e-6, norm + " size " + norm.of(d));
          assertEquals(norm == Norm.LINF ? r.get(i).perturbation().linf() : r.get(i).perturbation().l2(), norm.of(d),
              1e-6);
        }
        assertTrue(r.get(0).success(), norm + ", " + loss + ": the first image flips");
        assertFalse(r.get(1).success(), norm + ", " + loss + ": the second is out of reach");
      }
    }
  }

  @Test
  void targetedPgdDescendsTheTargetsLoss() {
    Linear m = new Linear();
    AttackResult r = run(Pgd.builder(0.2).iterations(10).build(), 1, m, batch(v(0.6f, 0.4f, 0.5f, 0.5f)),
        new Goal.Targeted(1)).get(0);
    assertTrue(r.success());
    assertEquals(1, r.adversarialClass());
    assertEquals(1, m.classify(ImageBatch.wrap(1, 1, 2, 2, r.adversarialValues())).top(0));
  }

  @Test
  void stopsTakingGradientsOnceAnImageIsFooledAndIsReproducible() {
    Linear m = new Linear();
    Pgd pgd = Pgd.builder(0.3).iterations(50).restarts(3).build();
    AttackResult a = run(pgd, 9, m, batch(v(0.6f, 0.4f, 0.5f, 0.5f)), new Goal.Untargeted(0)).get(0);
    assertTrue(a.success());
    assertTrue(a.cost().gradients() < 50, "stopped early after " + a.cost().gradients());
    AttackResult b = run(pgd, 9, m, batch(v(0.6f, 0.4f, 0.5f, 0.5f)), new Goal.Untargeted(0)).get(0);
    assertArrayEquals(a.adversarialValues(), b.adversarialValues());
  }

  @Test
  void anImagesRandomStartDependsOnItsSeedNotOnItsBatch() {
    // Alone, or behind another image in the same batch: the same seed gives the same random start and path.
    Linear m = new Linear();
    Pgd pgd = Pgd.builder(0.05).iterations(3).build();
    float[] x = v(0.6f, 0.4f, 0.5f, 0.5f);
    float[] other = v(0.1f, 0.9f, 0.3f, 0.7f);
    long seed = 12345;
    GradientAttack.Perturbed alone = pgd.perturb(m, batch(x), List.of(new Goal.Untargeted(0)), new long[] {seed});
    float[] both = new float[8];
    System.arraycopy(other, 0, both, 0, 4);
    System.arraycopy(x, 0, both, 4, 4);
    GradientAttack.Perturbed shared = pgd.perturb(m, batch(both), List.of(new Goal.Untargeted(1),
        new Goal.Untargeted(0)), new long[] {99, seed});
    assertArrayEquals(alone.values(), java.util.Arrays.copyOfRange(shared.values(), 4, 8));
    assertEquals(alone.gradients()[0], shared.gradients()[1]);
  }

  @Test
  void withoutStoppingAtSuccessTheLastIterateIsReturned() {
    // For adversarial training: every image takes all steps. From (0.6, 0.4, 0.5, 0.5) the gradient sign stays
    // (-, +, -, 0) for class a, so 10 steps of 0.05 without random start end at the L-inf corner
    // (x0 - 0.2, x1 + 0.2, x2 - 0.2, x3), well past the first adversarial point.
    Linear m = new Linear();
    Pgd pgd = Pgd.builder(0.2).iterations(10).step(0.05).randomStart(false).stopAtSuccess(false).build();
    float[] x = v(0.6f, 0.4f, 0.5f, 0.5f);
    AttackResult r = run(pgd, m, batch(x), new Goal.Untargeted(0)).get(0);
    assertArrayEquals(new float[] {x[0] - 0.2f, x[1] + 0.2f, x[2] - 0.2f, x[3]}, r.adversarialValues(), 1e-6f);
    assertEquals(10, r.cost().gradients());
    assertTrue(r.success());
    assertEquals(0.2, r.perturbation().linf(), 1e-6);
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
