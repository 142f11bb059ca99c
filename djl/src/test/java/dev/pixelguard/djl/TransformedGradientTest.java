package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.defence.TransformedClassifier;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier.LossGradient;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.Models;
import dev.pixelguard.transform.GaussianBlur;
import dev.pixelguard.transform.Median;
import org.junit.jupiter.api.Test;

/** A real gradient classifier, the bundled Fashion-MNIST network, behind transforms. */
class TransformedGradientTest {

  @Test
  void theDefendedNetworkKeepsItsGradientsThroughBlurAndMedian() {
    Dataset samples = Datasets.samples();
    try (Classifier opened = Models.open("builtin:fashion-cnn")) {
      GradientClassifier base = assertInstanceOf(GradientClassifier.class, opened);
      int n = 4;
      float[] x = new float[n * 784];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        samples.get(i).image().writeUnit(x, i * 784);
        labels[i] = samples.get(i).label();
      }
      // Blur is linear: the wrapper's gradient is the blur's transpose of the network's gradient at the blurred
      // images, and its scores those of classify().
      GaussianBlur blur = new GaussianBlur(0.6);
      TransformedClassifier.Gradient defended = TransformedClassifier.of(base, blur, 1);
      float[] blurred = new float[x.length];
      for (int i = 0; i < n; i++) {
        blur.apply(x, i * 784, 1, 28, 28, blurred, i * 784, 0);
      }
      // The margin loss: cross-entropy saturates to 0 in float on these confident images.
      LossGradient atBlurred = base.lossGradient(ImageBatch.wrap(n, 1, 28, 28, blurred), Loss.MARGIN, labels);
      LossGradient got = defended.lossGradient(ImageBatch.wrap(n, 1, 28, 28, x.clone()), Loss.MARGIN, labels);
      float[][] classified = defended.probabilities(ImageBatch.wrap(n, 1, 28, 28, x.clone()));
      for (int i = 0; i < n; i++) {
        float[] up = new float[x.length];
        System.arraycopy(atBlurred.gradient()[i], 0, up, i * 784, 784);
        float[] back = new float[x.length];
        blur.backward(x, i * 784, 1, 28, 28, 0, up, back);
        assertArrayEquals(java.util.Arrays.copyOfRange(back, i * 784, (i + 1) * 784), got.gradient()[i], 1e-6f);
        assertEquals(atBlurred.loss()[i], got.loss()[i], 1e-5);
        assertArrayEquals(classified[i], got.scores().probabilities(i), 1e-6f);
      }
      // The transpose really is the derivative of the network after the blur: a step against the gradient
      // lowers the defended loss.
      float[] stepped = x.clone();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 784; j++) {
          stepped[i * 784 + j] -= 0.01f * Math.signum(got.gradient()[i][j]);
        }
      }
      LossGradient after = defended.lossGradient(ImageBatch.wrap(n, 1, 28, 28, stepped), Loss.MARGIN, labels);
      for (int i = 0; i < n; i++) {
        assertTrue(after.loss()[i] < got.loss()[i], "image " + i + ": " + got.loss()[i] + " -> " + after.loss()[i]);
      }
      // Median is not differentiable: the gradient is the network's at the filtered image, straight through.
      TransformedClassifier.Gradient median = TransformedClassifier.of(base, new Median(2), 1);
      float[] filtered = new float[x.length];
      for (int i = 0; i < n; i++) {
        new Median(2).apply(x, i * 784, 1, 28, 28, filtered, i * 784, 0);
      }
      LossGradient want = base.lossGradient(ImageBatch.wrap(n, 1, 28, 28, filtered), Loss.MARGIN, labels);
      LossGradient straight = median.lossGradient(ImageBatch.wrap(n, 1, 28, 28, x.clone()), Loss.MARGIN, labels);
      for (int i = 0; i < n; i++) {
        assertArrayEquals(want.gradient()[i], straight.gradient()[i], 1e-6f);
      }
      assertEquals("builtin:fashion-cnn + median(size=2)", median.info().name());
    }
  }
}
