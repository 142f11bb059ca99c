package dev.pixelguard.calibration;

import dev.pixelguard.model.TemperatureScaled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scaled model's scores and gradients against closed forms on a linear toy model. */
class TemperatureScaledTest {
  /** Logits z = W x on 1x2x2 images, three classes; its gradients in closed form. */
  static final class Linear implements GradientClassifier {
    static final double[][] W = {{1, -1, 0.5, 0}, {-1, 1, -0.5, 0.3}, {0.2, 0.4, 1.5, -2}};
    int gradientCalls;

    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 2, 2, 3, List.of("a", "b", "c"), "linear3");
    }

    static double[] logits(ImageBatch b, int i) {
      double[] z = new double[3];
      for (int k = 0; k < 3; k++) {
        for (int j = 0; j < 4; j++) {
          z[k] += W[k][j] * b.get(i * 4 + j);
        }
      }
      return z;
    }

    @Override
    public Scores classify(ImageBatch b) {
      float[][] z = new float[b.size()][];
      for (int i = 0; i < z.length; i++) {
        double[] d = logits(b, i);
        z[i] = new float[] {(float) d[0], (float) d[1], (float) d[2]};
      }
      return Scores.fromLogits(z);
    }

    @Override
    public LossGradient lossGradient(ImageBatch b, Loss kind, int[] classes) {
      gradientCalls++;
      Scores s = classify(b);
      float[] loss = new float[b.size()];
      float[][] g = new float[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        double[] z = logits(b, i);
        int c = classes[i];
        if (kind == Loss.MARGIN) {
          int o = s.topExcept(i, c);
          loss[i] = (float) (z[c] - z[o]);
          g[i] = new float[4];
          for (int j = 0; j < 4; j++) {
            g[i][j] = (float) (W[c][j] - W[o][j]);
          }
        } else {
          loss[i] = (float) -s.logProbability(i, c);
          g[i] = crossEntropyGradient(z, c, 1);
        }
      }
      return new LossGradient(s, loss, g);
    }

    /** W^T (softmax(z / t) - e_c) / t. */
    static float[] crossEntropyGradient(double[] z, int c, double t) {
      double[] p = TemperatureScaling.softmax(z, t);
      float[] g = new float[4];
      for (int j = 0; j < 4; j++) {
        double v = 0;
        for (int k = 0; k < 3; k++) {
          v += W[k][j] * (p[k] - (k == c ? 1 : 0));
        }
        g[j] = (float) (v / t);
      }
      return g;
    }
  }

  static final ImageBatch BATCH = ImageBatch.wrap(2, 1, 2, 2, new float[] {0.9f, 0.1f, 0.4f, 0.2f, 0.3f, 0.6f, 0.8f, 0.1f});

  @Test
  void scoresAreTheSoftmaxOfTheScaledLogits() {
    Classifier c = TemperatureScaled.of((Classifier) new Linear(), 2.5);
    Scores s = c.classify(BATCH);
    Scores base = new Linear().classify(BATCH);
    for (int i = 0; i < 2; i++) {
      double[] p = TemperatureScaling.softmax(Linear.logits(BATCH, i), 2.5);
      for (int k = 0; k < 3; k++) {
        assertEquals(p[k], s.probability(i, k), 1e-6);
        assertEquals(base.logit(i, k) / 2.5, s.logit(i, k), 1e-6);
      }
      assertEquals(base.top(i), s.top(i), "a temperature changes no top class");
    }
    assertEquals(2.5, TemperatureScaled.temperatureOf(c));
    assertEquals(1.0, TemperatureScaled.temperatureOf(new Linear()));
  }

  @Test
  void aGradientClassifierStaysOne() {
    assertInstanceOf(GradientClassifier.class, TemperatureScaled.of((Classifier) new Linear(), 2));
    Classifier black = new Classifier() {
      @Override
      public ModelInfo info() {
        return new Linear().info();
      }

      @Override
      public Scores classify(ImageBatch batch) {
        return new Linear().classify(batch);
      }
    };
    assertTrue(!(TemperatureScaled.of(black, 2) instanceof GradientClassifier));
  }

  @Test
  void theMarginAndItsGradientScaleByOneOverT() {
    GradientClassifier base = new Linear();
    GradientClassifier scaled = TemperatureScaled.of(new Linear(), 4);
    int[] cls = {0, 2};
    GradientClassifier.LossGradient a = base.lossGradient(BATCH, Loss.MARGIN, cls);
    GradientClassifier.LossGradient b = scaled.lossGradient(BATCH, Loss.MARGIN, cls);
    for (int i = 0; i < 2; i++) {
      assertEquals(a.loss()[i] / 4, b.loss()[i], 1e-6);
      for (int j = 0; j < 4; j++) {
        assertEquals(a.gradient()[i][j] / 4, b.gradient()[i][j], 1e-6);
      }
    }
  }

  @Test
  void theCrossEntropyGradientIsThatOfTheScaledModel() {
    Linear base = new Linear();
    double t = 2.5;
    GradientClassifier scaled = TemperatureScaled.of(base, t);
    int[] cls = {1, 2};
    GradientClassifier.LossGradient lg = scaled.lossGradient(BATCH, Loss.CROSS_ENTROPY, cls);
    assertEquals(3, base.gradientCalls, "one gradient call per class");
    for (int i = 0; i < 2; i++) {
      double[] z = Linear.logits(BATCH, i);
      assertArrayEquals(Linear.crossEntropyGradient(z, cls[i], t), lg.gradient()[i], 1e-6f);
      assertEquals(-Math.log(TemperatureScaling.softmax(z, t)[cls[i]]), lg.loss()[i], 1e-5);
    }
    assertEquals(scaled.classify(BATCH).probability(0, 1), lg.scores().probability(0, 1), 1e-7);
  }

  @Test
  void refusesABadTemperature() {
    for (double t : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      InputException e = assertThrows(InputException.class, () -> TemperatureScaled.of(new Linear(), t));
      assertEquals("temperature must be a positive, finite number, was " + t, e.getMessage());
    }
  }
}
