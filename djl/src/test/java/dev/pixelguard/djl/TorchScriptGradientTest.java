package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Evaluation-mode input gradients of the TorchScript ResNet-20 fixture (it has batch normalisation). */
class TorchScriptGradientTest {
  static final ModelSpec CIFAR = ModelSpec.DEFAULT.withInputShape(new int[] {3, 32, 32});
  static final int PER = 3 * 32 * 32;

  static double loss(TorchScriptClassifier m, float[] x, int cls) {
    return -m.classify(ImageBatch.wrap(1, 3, 32, 32, x.clone())).logProbability(0, cls);
  }

  @Test
  void gradientsMatchCentralFiniteDifferences() {
    Dataset cifar = Fixtures.cifar();
    // h trades kinks (more with larger h: 1.6% error at 1e-3) against float32 noise (more with smaller h).
    double h = 2.5e-4;
    try (TorchScriptClassifier model = TorchScriptClassifier.load(Fixtures.resnetTorchScript(), CIFAR)) {
      SplittableRandom random = new SplittableRandom(11);
      double num = 0;
      double den = 0;
      int kept = 0;
      int coords = 150;
      int[] images = {0, 7, 21, 100, 300, 500};
      for (int idx : images) {
        LabeledImage li = cifar.get(idx);
        float[] x = new float[PER];
        li.image().writeUnit(x, 0);
        // The runner-up class: its loss is not saturated, so the slopes are well above float32 noise.
        Scores clean = model.classify(ImageBatch.wrap(1, 3, 32, 32, x.clone()));
        int cls = clean.topExcept(0, clean.top(0));
        GradientClassifier.LossGradient lg = model.lossGradient(ImageBatch.wrap(1, 3, 32, 32, x.clone()), new int[] {cls});
        assertEquals(-clean.logProbability(0, cls), lg.loss()[0], 1e-4, "the gradient pass computes the same loss");
        // One batch: the image, then x + h e_j and x - h e_j for each sampled coordinate j.
        int[] js = new int[coords];
        float[] xs = new float[(2 * coords + 1) * PER];
        System.arraycopy(x, 0, xs, 0, PER);
        for (int t = 0; t < coords; t++) {
          js[t] = random.nextInt(PER);
          for (int q = 0; q < 2; q++) {
            int row = 1 + 2 * t + q;
            System.arraycopy(x, 0, xs, row * PER, PER);
            xs[row * PER + js[t]] += (float) (q == 0 ? h : -h);
          }
        }
        Scores fd = model.classify(ImageBatch.wrap(2 * coords + 1, 3, 32, 32, xs));
        double base = -fd.logProbability(0, cls);
        for (int t = 0; t < coords; t++) {
          int j = js[t];
          double up = (double) xs[(1 + 2 * t) * PER + j] - x[j];
          double down = x[j] - (double) xs[(2 + 2 * t) * PER + j];
          double right = (-fd.logProbability(1 + 2 * t, cls) - base) / up;
          double left = (base + fd.logProbability(2 + 2 * t, cls)) / down;
          // ResNet-20 is piecewise linear with some 10^5 ReLUs: moving one pixel by h crosses a few of their
          // kinks on average, each bending the slope by a little. Where the one-sided slopes disagree by more
          // than 1% the central difference is no reference for the derivative at x; such coordinates are
          // left out.
          if (Math.abs(right - left) > 1e-2 * Math.max(1e-2, Math.abs(right) + Math.abs(left))) {
            continue;
          }
          kept++;
          double central = (right + left) / 2;
          double g = lg.gradient()[0][j];
          num += (g - central) * (g - central);
          den += central * central;
        }
      }
      double rel = Math.sqrt(num / den);
      System.out.printf("finite differences, h %.2g: %d of %d coordinates kept, relative error %.4f%n", h, kept,
          coords * images.length, rel);
      assertTrue(kept >= coords * images.length / 5, "too few coordinates kept: " + kept);
      assertTrue(rel < 1e-2, "relative error " + rel);
    }
  }

  @Test
  void gradientPassesUseRunningStatisticsAndChangeNothing() {
    Dataset cifar = Fixtures.cifar().limit(16);
    try (TorchScriptClassifier model = TorchScriptClassifier.load(Fixtures.resnetTorchScript(), CIFAR)) {
      ImageBatch batch = ImageBatch.of(cifar.images().stream().map(LabeledImage::image).toList());
      Scores before = model.classify(batch);
      int[] labels = new int[batch.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = cifar.get(i).label();
      }
      GradientClassifier.LossGradient lg = null;
      for (int r = 0; r < 3; r++) {
        lg = model.lossGradient(batch, labels);
      }
      Scores after = model.classify(batch);
      for (int i = 0; i < batch.size(); i++) {
        // Batch statistics of 16 images would give visibly different scores in the gradient pass, and
        // updated running averages would change later predictions.
        assertArrayEquals(before.probabilities(i), lg.scores().probabilities(i), 1e-5f);
        assertArrayEquals(before.probabilities(i), after.probabilities(i));
      }
    }
  }

  @Test
  void pgdEightOver255TenStepsLeavesUnderFivePercentOfTheFirst200Images() {
    Dataset cifar = Fixtures.cifar().limit(200);
    try (TorchScriptClassifier model = TorchScriptClassifier.load(Fixtures.resnetTorchScript(), CIFAR)) {
      EvaluationResult r = Evaluation.of(model, cifar, Pgd.builder(8 / 255.0).iterations(10).build()).seed(1)
          .execution(new Execution(200, 1)).run();
      for (AttackResult a : r.attempts()) {
        assertTrue(a.perturbation().linf() <= 8 / 255.0 + 1e-6, "within epsilon: " + a.perturbation().linf());
      }
      assertTrue(r.summary().accuracyUnderAttack() < 0.05, "accuracy under PGD below 5%: "
          + r.summary().accuracyUnderAttack());
    }
  }
}
