package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Learns a universal sticker with the model's gradients (Brown et al. 2017; expectation over transformation,
 * Athalye et al. 2018; printability and smoothness terms of Eykholt et al. 2018).
 *
 * <p>Each step takes a minibatch of {@code batch} training images (drawn with replacement), draws
 * {@code eotSamples} fresh {@link Conditions} per image, puts the sticker on each, and asks the model for the
 * cross-entropy gradient of the goal's class ({@link GradientClassifier#lossGradient}). Each image gradient is
 * carried back to the sticker by the adjoint of the placement and camera ({@link Composite.Rendering#stickerGradient};
 * through JPEG, by default, the transpose of its chroma subsampling, {@link StickerSettings#jpegGradient()}) and
 * averaged. The loss minimised is
 * {@code mean(goal loss) + tvWeight * TV + npsWeight * NPS}, where the goal loss is the target's cross-entropy
 * (targeted) or minus the true class's (untargeted; through a gate, its harm goal). Values are clamped to [0, 1]
 * after each step. With {@link StickerSettings#average()} the result is the moving average of the iterates
 * (decay {@value #AVERAGE_DECAY}, about the last 50 steps; Polyak averaging), which smooths the noise of
 * single-draw steps.
 *
 * <p>Reproducible: the start, the minibatches and every draw come from one stream seeded by the settings' seed
 * (derived as {@code Seeds.forImage(seed, "sticker training")}), never from the evaluation's streams.
 */
public final class StickerTrainer {
  private StickerTrainer() {}

  /** The decay of the moving average of the iterates that {@link StickerSettings#average()} returns. */
  static final double AVERAGE_DECAY = 0.98;

  /**
   * @param model the model to fool, with gradients
   * @param fit the training images (labelled, the model's shape); images already of the target class are skipped
   * @param settings size, goal, conditions, budget
   * @param progress told after each step; may be null
   */
  public static TrainedSticker train(GradientClassifier model, List<LabeledImage> fit, StickerSettings settings,
      Consumer<TrainedSticker.Step> progress) {
    int channels = model.info().channels();
    int height = model.info().height();
    int width = model.info().width();
    int abstain = model.info().abstainClass();
    List<LabeledImage> pool = trainingPool(fit, settings.target(), channels, height, width);
    Printability palette = settings.paletteFor(channels);
    SplittableRandom r = new SplittableRandom(Seeds.forImage(settings.seed(), "sticker training"));
    Sticker sticker = Sticker.random(channels, settings.size(), r.nextLong());
    float[] s = sticker.values();
    int n = s.length;
    double[] m = new double[n];
    double[] v = new double[n];
    double[] avg = new double[n]; // exponential moving average of the iterates (Polyak averaging), bias-corrected
    int per = channels * height * width;
    List<TrainedSticker.Step> history = new ArrayList<>();
    long images = 0;
    for (int step = 1; step <= settings.steps(); step++) {
      int count = settings.batch() * settings.eotSamples();
      float[] data = new float[count * per];
      Composite.Rendering[] renders = new Composite.Rendering[count];
      Goal[] goals = new Goal[count];
      int[] classes = new int[count];
      float[] unit = new float[per];
      int j = 0;
      for (int b = 0; b < settings.batch(); b++) {
        LabeledImage li = pool.get(r.nextInt(pool.size()));
        li.image().writeUnit(unit, 0);
        for (int e = 0; e < settings.eotSamples(); e++) {
          Draw d = settings.conditions().sample(r, settings.size(), height, width);
          renders[j] = Composite.render(unit, 0, channels, height, width, sticker, d);
          renders[j].copyOutput(data, j * per);
          goals[j] = goal(settings.target(), li.label(), abstain);
          classes[j] = goals[j].lossClass();
          j++;
        }
      }
      GradientClassifier.LossGradient lg = model.lossGradient(ImageBatch.wrap(count, channels, height, width, data),
          Loss.CROSS_ENTROPY, classes);
      images += count;
      float[] grad = new float[n];
      double loss = 0;
      int reached = 0;
      for (int i = 0; i < count; i++) {
        int dir = goals[i].lossDirection(Loss.CROSS_ENTROPY); // +1: ascend the loss, so minimise its negative
        float[] gs = renders[i].stickerGradient(lg.gradient()[i], 0, settings.jpegGradient());
        // d(-p)/dx = p * d(CE)/dx for the probability p of the loss class, so PROBABILITY weighs by p.
        double w = settings.goalLoss() == StickerSettings.GoalLoss.PROBABILITY
            ? lg.scores().probability(i, classes[i]) : 1;
        for (int k = 0; k < n; k++) {
          grad[k] += (float) (-dir * w * gs[k] / count);
        }
        loss += -dir * lg.loss()[i] / count;
        reached += goals[i].reachedBy(lg.scores().top(i)) ? 1 : 0;
      }
      Printability.totalVariation(sticker, grad, settings.tvWeight());
      palette.nonPrintability(sticker, grad, settings.npsWeight());
      for (int k = 0; k < n; k++) {
        double g = grad[k];
        double delta;
        if (settings.optimizer() == StickerSettings.Optimizer.ADAM) {
          m[k] = 0.9 * m[k] + 0.1 * g;
          v[k] = 0.999 * v[k] + 0.001 * g * g;
          double mh = m[k] / (1 - Math.pow(0.9, step));
          double vh = v[k] / (1 - Math.pow(0.999, step));
          delta = settings.learningRate() * mh / (Math.sqrt(vh) + 1e-8);
        } else {
          delta = settings.learningRate() * Math.signum(g);
        }
        s[k] = (float) Math.max(0, Math.min(1, s[k] - delta));
      }
      sticker = new Sticker(channels, settings.size(), s);
      for (int k = 0; k < n; k++) {
        avg[k] = AVERAGE_DECAY * avg[k] + (1 - AVERAGE_DECAY) * s[k];
      }
      TrainedSticker.Step rec = new TrainedSticker.Step(step, loss, (double) reached / count,
          Printability.totalVariation(sticker, null, 0), palette.nonPrintability(sticker, null, 0));
      history.add(rec);
      if (progress != null) {
        progress.accept(rec);
      }
    }
    if (settings.average()) {
      double correction = 1 - Math.pow(AVERAGE_DECAY, settings.steps());
      float[] a = new float[n];
      for (int k = 0; k < n; k++) {
        a[k] = (float) Math.max(0, Math.min(1, avg[k] / correction));
      }
      sticker = new Sticker(channels, settings.size(), a);
    }
    return new TrainedSticker(sticker, settings, "gradient", history, images);
  }

  /** The goal of one stickered image: the target, else harm through a system that abstains, else any wrong class. */
  static Goal goal(int target, int label, int abstain) {
    if (target >= 0) {
      return new Goal.Targeted(target);
    }
    return abstain >= 0 ? new Goal.Harm(label, abstain) : new Goal.Untargeted(label);
  }

  /** The labelled images of the model's shape that can reach the goal (not already of the target class). */
  static List<LabeledImage> trainingPool(List<LabeledImage> fit, int target, int channels, int height, int width) {
    List<LabeledImage> pool = new ArrayList<>();
    for (LabeledImage li : fit) {
      if (li.image().channels() != channels || li.image().height() != height || li.image().width() != width) {
        throw new InputException("training image " + li.id() + " is " + li.image().shape() + " but the model takes "
            + dev.pixelguard.image.Image.describe(channels, height, width));
      }
      if (li.hasLabel() && li.label() != target) {
        pool.add(li);
      }
    }
    if (pool.isEmpty()) {
      throw new InputException("no training image to learn a sticker on: they need labels, and images of the target "
          + "class are skipped");
    }
    return pool;
  }
}
