package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ForwardingClassifier;
import dev.pixelguard.model.ForwardingGradientClassifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;

/**
 * A classifier whose logits are divided by a temperature T: temperature scaling (Guo et al. 2017) applied to
 * a model. Its probabilities are softmax(z / T) and its logits z / T; its top class is the wrapped model's.
 * For a model that gives probabilities only, z is log p (a 0 counts as
 * {@link CalibrationMetrics#MIN_PROBABILITY}), so the wrapper gives logits where the model did not.
 *
 * <p>{@link #of(Classifier, double)} keeps a {@link GradientClassifier} one, with the gradients of the scaled
 * model, exactly:
 *
 * <ul>
 *   <li>{@link Loss#MARGIN}: the margin of z / T is the margin of z divided by T, and so is its gradient; one
 *       call to the wrapped model.
 *   <li>{@link Loss#CROSS_ENTROPY}: with J the Jacobian of the logits and g_k = J^T (p - e_k) the wrapped
 *       model's cross-entropy gradient for class k, the scaled model's gradient for class c is
 *       J^T (p_T - e_c) / T = (g_c - sum_k p_T,k g_k) / T (the J^T p terms cancel because p_T sums to 1). This
 *       takes one gradient call per class on the whole batch (K calls instead of 1); the margin loss is
 *       the cheap choice for attacks, and it leads to the same decisions, since T changes no top class.
 * </ul>
 *
 * Closing the wrapper closes the wrapped classifier.
 */
public final class TemperatureScaled {
  /**
   * The smallest probability a log is taken of, {@link Double#MIN_NORMAL}: a model's probability of exactly 0 counts
   * as this, so a log-probability is at most about 708 below 0 rather than minus infinity.
   */
  public static final double MIN_PROBABILITY = Double.MIN_NORMAL;

  private TemperatureScaled() {}

  /**
   * The classifier with its logits divided by {@code temperature}; a {@link GradientClassifier} stays one.
   *
   * @throws dev.pixelguard.InputException if the temperature is not positive and finite
   */
  public static Classifier of(Classifier inner, double temperature) {
    if (inner instanceof GradientClassifier g) {
      return of(g, temperature);
    }
    ModelSpec.checkTemperature(temperature, "temperature");
    return new Black(inner, temperature);
  }

  /** The gradient classifier with its logits divided by {@code temperature}, gradients included. */
  public static GradientClassifier of(GradientClassifier inner, double temperature) {
    ModelSpec.checkTemperature(temperature, "temperature");
    return new White(inner, temperature);
  }

  /** The temperature of a classifier made here, or 1 for any other. */
  public static double temperatureOf(Classifier c) {
    if (c instanceof Black b) {
      return b.temperature;
    }
    if (c instanceof White w) {
      return w.temperature;
    }
    return 1;
  }

  /** The scores of the scaled model: logits z / T (z = log p for a model without logits), probabilities re-derived. */
  public static Scores scale(Scores s, double temperature) {
    float[][] z = new float[s.size()][s.numClasses()];
    for (int i = 0; i < z.length; i++) {
      for (int k = 0; k < z[i].length; k++) {
        z[i][k] = (float) (rawLogit(s, i, k) / temperature);
      }
    }
    return Scores.fromLogits(z);
  }

  /** The logit of the wrapped model, or its log-probability, guarded against log 0, where it gives none. */
  static double rawLogit(Scores s, int i, int k) {
    return s.hasLogits() ? s.logit(i, k) : Math.log(Math.max(s.probability(i, k), MIN_PROBABILITY));
  }

  private static final class Black extends ForwardingClassifier {
    private final double temperature;

    Black(Classifier inner, double temperature) {
      super(inner);
      this.temperature = temperature;
    }

    @Override
    public Scores classify(ImageBatch batch) {
      return scale(super.classify(batch), temperature);
    }

    @Override
    public String toString() {
      return "TemperatureScaled[T=" + temperature + ", " + delegate() + "]";
    }
  }

  private static final class White extends ForwardingGradientClassifier {
    private final double temperature;
    /** The scores, as the black-box form scales them. */
    private final Black scores;

    White(GradientClassifier inner, double temperature) {
      super(inner);
      this.temperature = temperature;
      this.scores = new Black(inner, temperature);
    }

    @Override
    public Scores classify(ImageBatch batch) {
      return scores.classify(batch);
    }

    @Override
    public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
      return loss == Loss.MARGIN ? margin(batch, classes) : crossEntropy(batch, classes);
    }

    private LossGradient margin(ImageBatch batch, int[] classes) {
      LossGradient base = super.lossGradient(batch, Loss.MARGIN, classes);
      float[] loss = new float[classes.length];
      float[][] grad = new float[classes.length][];
      for (int i = 0; i < classes.length; i++) {
        loss[i] = (float) (base.loss()[i] / temperature);
        grad[i] = new float[base.gradient()[i].length];
        for (int j = 0; j < grad[i].length; j++) {
          grad[i][j] = (float) (base.gradient()[i][j] / temperature);
        }
      }
      return new LossGradient(scale(base.scores(), temperature), loss, grad);
    }

    private LossGradient crossEntropy(ImageBatch batch, int[] classes) {
      int n = classes.length;
      Scores scaled = null;
      double[][] sum = null; // sum_k p_T,k g_k
      float[][] own = new float[n][]; // g_c, the wrapped model's gradient for each image's own class
      int[] each = new int[n];
      for (int k = 0; ; k++) {
        java.util.Arrays.fill(each, k);
        LossGradient g = super.lossGradient(batch, Loss.CROSS_ENTROPY, each);
        if (scaled == null) {
          scaled = scale(g.scores(), temperature);
          sum = new double[n][g.gradient()[0].length];
        }
        for (int i = 0; i < n; i++) {
          float[] gi = g.gradient()[i];
          if (classes[i] == k) {
            own[i] = gi;
          }
          double w = Math.exp(scaled.logProbability(i, k)); // p_T,k in double
          if (w > 0) {
            for (int j = 0; j < gi.length; j++) {
              sum[i][j] += w * gi[j];
            }
          }
        }
        if (k + 1 >= scaled.numClasses()) {
          break;
        }
      }
      float[] loss = new float[n];
      float[][] grad = new float[n][];
      for (int i = 0; i < n; i++) {
        loss[i] = (float) -scaled.logProbability(i, classes[i]);
        grad[i] = new float[own[i].length];
        for (int j = 0; j < grad[i].length; j++) {
          grad[i][j] = (float) ((own[i][j] - sum[i][j]) / temperature);
        }
      }
      return new LossGradient(scaled, loss, grad);
    }

    @Override
    public String toString() {
      return "TemperatureScaled[T=" + temperature + ", " + delegate() + "]";
    }
  }
}
