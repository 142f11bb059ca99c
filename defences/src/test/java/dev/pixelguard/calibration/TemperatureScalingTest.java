package dev.pixelguard.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Temperature scaling on synthetic logits whose best temperature is known. */
class TemperatureScalingTest {
  /** Logits N(0, 3^2) per class, and labels drawn from softmax(z / t0): the NLL's optimum tends to t0. */
  static double[][] logits(int n, int k, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] z = new double[n][k];
    for (double[] row : z) {
      for (int j = 0; j < k; j++) {
        row[j] = 3 * gaussian(r);
      }
    }
    return z;
  }

  static int[] labels(double[][] z, double t0, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] y = new int[z.length];
    for (int i = 0; i < z.length; i++) {
      double[] p = TemperatureScaling.softmax(z[i], t0);
      double u = r.nextDouble();
      int k = 0;
      for (double acc = p[0]; u > acc && k < p.length - 1; acc += p[++k]) {
        // walk the cumulative distribution
      }
      y[i] = k;
    }
    return y;
  }

  static double gaussian(SplittableRandom r) {
    return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
  }

  @Test
  void recoversTheTemperatureTheLabelsWereDrawnWith() {
    for (double t0 : new double[] {0.5, 2.5}) {
      double[][] z = logits(40_000, 5, 11);
      TemperatureScaling.Fit fit = TemperatureScaling.fit(z, labels(z, t0, 12));
      assertEquals(t0, fit.temperature(), 0.04 * t0, "fitted " + fit);
      assertFalse(fit.atBound());
      assertTrue(fit.nllAfter() < fit.nllBefore());
    }
  }

  @Test
  void theNllIsFlatAtTheFittedTemperatureAndNowhereLower() {
    double[][] z = logits(2000, 10, 21);
    int[] y = labels(z, 1.7, 22);
    TemperatureScaling.Fit fit = TemperatureScaling.fit(z, y);
    double t = fit.temperature();
    double h = 1e-5 * t;
    double slope = (TemperatureScaling.nll(z, y, t + h) - TemperatureScaling.nll(z, y, t - h)) / (2 * h);
    assertEquals(0, slope, 1e-6, "dNLL/dT at the optimum");
    assertEquals(TemperatureScaling.nll(z, y, t), fit.nllAfter(), 1e-12);
    for (double g = 0.5; g <= 5; g += 0.05) {
      assertTrue(TemperatureScaling.nll(z, y, g) >= fit.nllAfter() - 1e-12, "NLL at T=" + g + " is lower");
    }
    assertEquals(TemperatureScaling.nll(z, y, 1), fit.nllBefore(), 1e-12);
  }

  @Test
  void logProbabilitiesFitTheSameTemperatureAsLogits() {
    double[][] z = logits(1000, 4, 31);
    int[] y = labels(z, 2.0, 32);
    double[][] logP = new double[z.length][];
    for (int i = 0; i < z.length; i++) {
      double[] p = TemperatureScaling.softmax(z[i], 1);
      logP[i] = new double[p.length];
      for (int k = 0; k < p.length; k++) {
        logP[i][k] = Math.log(p[k]);
      }
    }
    assertEquals(TemperatureScaling.fit(z, y).temperature(), TemperatureScaling.fit(logP, y).temperature(), 1e-9);
  }

  @Test
  void aFitSetWithoutErrorsStopsAtTheLowerBound() {
    // Every label is the top class: the NLL keeps falling as T goes to 0.
    double[][] z = {{2, 0, 0}, {0, 3, 1}, {0, 0, 1}};
    TemperatureScaling.Fit fit = TemperatureScaling.fit(z, new int[] {0, 1, 2});
    assertTrue(fit.atBound());
    assertEquals(TemperatureScaling.MIN_TEMPERATURE, fit.temperature());
  }

  @Test
  void labelsAgainstTheLogitsPushTowardsTheUpperBound() {
    // Every label is the bottom class: the best the model can do is flatten to uniform, T to infinity.
    double[][] z = {{2, 0}, {0, 3}};
    TemperatureScaling.Fit fit = TemperatureScaling.fit(z, new int[] {1, 0});
    assertTrue(fit.atBound());
    assertEquals(TemperatureScaling.MAX_TEMPERATURE, fit.temperature());
  }
}
