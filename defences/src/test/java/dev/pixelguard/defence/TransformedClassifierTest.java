package dev.pixelguard.defence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.transform.Crop;
import dev.pixelguard.transform.GaussianBlur;
import dev.pixelguard.transform.Median;
import dev.pixelguard.transform.Rescale;
import dev.pixelguard.transform.Transforms;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.GradientClassifier.LossGradient;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The transformed classifier on fixture images with a linear softmax model whose gradient is exact. */
class TransformedClassifierTest {
  static final int LEN = 3 * 32 * 32;
  static float[] images;
  static int[] labels;

  @BeforeAll
  static void readFixture() {
    Dataset cifar = Fixtures.cifar();
    images = new float[12 * LEN];
    labels = new int[12];
    for (int i = 0; i < 12; i++) {
      cifar.get(i).image().writeUnit(images, i * LEN);
      labels[i] = cifar.get(i).label();
    }
  }

  /** Logits {@code W x}: a fixed random linear model, cross-entropy gradient {@code W^T (p - e_y)}. */
  static final class Linear implements GradientClassifier {
    final float[][] w = new float[10][LEN];

    Linear() {
      SplittableRandom r = new SplittableRandom(9);
      for (float[] row : w) {
        for (int j = 0; j < LEN; j++) {
          row[j] = (float) (r.nextGaussian() * 0.05);
        }
      }
    }

    @Override
    public ModelInfo info() {
      return new ModelInfo(3, 32, 32, 10, null, "linear");
    }

    @Override
    public Scores classify(ImageBatch batch) {
      float[][] z = new float[batch.size()][10];
      for (int i = 0; i < batch.size(); i++) {
        for (int k = 0; k < 10; k++) {
          double s = 0;
          for (int j = 0; j < LEN; j++) {
            s += w[k][j] * batch.get(i * LEN + j);
          }
          z[i][k] = (float) s;
        }
      }
      return Scores.fromLogits(z);
    }

    @Override
    public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
      assertEquals(Loss.CROSS_ENTROPY, loss);
      Scores s = classify(batch);
      float[] l = new float[batch.size()];
      float[][] g = new float[batch.size()][LEN];
      for (int i = 0; i < batch.size(); i++) {
        l[i] = (float) -s.logProbability(i, classes[i]);
        for (int k = 0; k < 10; k++) {
          double d = s.probability(i, k) - (k == classes[i] ? 1 : 0);
          for (int j = 0; j < LEN; j++) {
            g[i][j] += (float) (d * w[k][j]);
          }
        }
      }
      return new LossGradient(s, l, g);
    }
  }

  static ImageBatch batch(int... indices) {
    float[] data = new float[indices.length * LEN];
    for (int n = 0; n < indices.length; n++) {
      System.arraycopy(images, indices[n] * LEN, data, n * LEN, LEN);
    }
    return ImageBatch.wrap(indices.length, 3, 32, 32, data);
  }

  @Test
  void keepsGradientClassifiersAndNamesTheTransform() {
    Classifier plain = new Linear();
    TransformedClassifier t = TransformedClassifier.of((Classifier) new Linear(), new Median(2), 1);
    assertInstanceOf(GradientClassifier.class, t);
    assertEquals("linear + median(size=2)", t.info().name());
    Classifier blackBox = TransformedClassifier.of(new Classifier() {
      @Override
      public ModelInfo info() {
        return plain.info();
      }

      @Override
      public Scores classify(ImageBatch batch) {
        return plain.classify(batch);
      }
    }, Transforms.parse("median:2,jpeg:75"), 1);
    assertFalse(blackBox instanceof GradientClassifier);
    assertEquals("linear + median(size=2), jpeg(quality=75)", blackBox.info().name());
  }

  @Test
  void classifiesTheTransformedImages() {
    Linear base = new Linear();
    TransformedClassifier t = TransformedClassifier.of(base, new GaussianBlur(0.6), 1);
    float[] blurred = new float[LEN];
    new GaussianBlur(0.6).apply(images, 5 * LEN, 3, 32, 32, blurred, 0, 0);
    Scores want = base.classify(ImageBatch.wrap(1, 3, 32, 32, blurred));
    assertArrayEquals(want.probabilities(0), t.classify(batch(4, 5)).probabilities(1));
  }

  @Test
  void anImageGetsTheSameDrawInAnyBatchAndThreadButNotUnderAnotherRootSeed() throws Exception {
    TransformedClassifier t = TransformedClassifier.of(new Linear(), new Crop(4), 42);
    Scores alone = t.classify(batch(7));
    Scores inBatch = t.classify(batch(0, 1, 2, 7, 3));
    Scores twice = t.classify(batch(7, 7));
    assertArrayEquals(alone.probabilities(0), inBatch.probabilities(3));
    assertArrayEquals(alone.probabilities(0), twice.probabilities(1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Scores>> runs = new java.util.ArrayList<>();
      for (int r = 0; r < 8; r++) {
        int other = r;
        runs.add(pool.submit(() -> t.classify(batch(other, 7))));
      }
      for (Future<Scores> f : runs) {
        assertArrayEquals(alone.probabilities(0), f.get().probabilities(1));
      }
    } finally {
      pool.shutdownNow();
    }
    int differ = 0;
    Scores a = t.classify(batch(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    Scores b = TransformedClassifier.of(new Linear(), new Crop(4), 43).classify(batch(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    for (int i = 0; i < 10; i++) {
      differ += java.util.Arrays.equals(a.probabilities(i), b.probabilities(i)) ? 0 : 1;
    }
    assertTrue(differ >= 6, "another root seed draws other crops: " + differ + " of 10 images differ");
  }

  /** The mean over the draws of the cross-entropy the base gives on the transformed batch. */
  static double eotLoss(TransformedClassifier.Gradient t, Linear base, float[] x, int label) {
    ImageBatch b = ImageBatch.wrap(1, 3, 32, 32, x.clone());
    double sum = 0;
    for (int s = 0; s < t.samples(); s++) {
      sum += -base.classify(t.transformed(b, s)).logProbability(0, label);
    }
    return sum / t.samples();
  }

  @Test
  void gradientIsTheEotMeanAndMatchesFiniteDifferences() {
    Linear base = new Linear();
    for (var t : List.of(TransformedClassifier.of(base, new GaussianBlur(0.8), 3, 5),
        TransformedClassifier.of(base, new Crop(3), 3, 5),
        TransformedClassifier.of(base, new Rescale(0.5, 0.9), 3, 4))) {
      assertEquals(t.transform().isRandom() ? t.samples() : 1, t.samples());
      for (int i : new int[] {0, 6}) {
        float[] x = new float[LEN];
        System.arraycopy(images, i * LEN, x, 0, LEN);
        int label = labels[i];
        LossGradient g = t.lossGradient(ImageBatch.wrap(1, 3, 32, 32, x.clone()), Loss.CROSS_ENTROPY, new int[] {label});
        assertArrayEquals(t.classify(ImageBatch.wrap(1, 3, 32, 32, x.clone())).probabilities(0), g.scores().probabilities(0),
            "the scores are classify's");
        assertEquals(eotLoss(t, base, x, label), g.loss()[0], 1e-4, "the loss is the mean over the draws");
        // The transforms are linear and the model is linear before the softmax, so central differences are
        // exact up to float rounding. The perturbation moves no draw: the draws follow the image's values, so
        // fix them by differencing through transformed() of the unperturbed image's seeds instead.
        SplittableRandom r = new SplittableRandom(i);
        for (int trial = 0; trial < 10; trial++) {
          int j = r.nextInt(LEN);
          double h = 1e-2;
          double fd = (lossAtFixedDraws(t, base, x, j, h, label) - lossAtFixedDraws(t, base, x, j, -h, label)) / (2 * h);
          assertEquals(fd, g.gradient()[0][j], 2e-3 * Math.max(1e-2, Math.abs(fd)) + 1e-5,
              t.transform().describe() + " coordinate " + j);
        }
      }
    }
  }

  /**
   * The EOT loss at {@code x + h e_j} with the draws of {@code x}: each draw's transform applied to the
   * perturbed image with the unperturbed image's seeds.
   */
  static double lossAtFixedDraws(TransformedClassifier.Gradient t, Linear base, float[] x, int j, double h, int label) {
    float[] moved = x.clone();
    moved[j] += (float) h;
    long image = TransformedClassifier.imageSeed(t.rootSeed(), x, 0, 3, 32, 32);
    double sum = 0;
    for (int s = 0; s < t.samples(); s++) {
      float[] out = new float[LEN];
      t.transform().apply(moved, 0, 3, 32, 32, out, 0, TransformedClassifier.drawSeed(image, s));
      sum += -base.classify(ImageBatch.wrap(1, 3, 32, 32, out)).logProbability(0, label);
    }
    return sum / t.samples();
  }

  @Test
  void deterministicTransformsTakeOneDrawAndPassStraightThroughWhenNotDifferentiable() {
    Linear base = new Linear();
    TransformedClassifier.Gradient t = TransformedClassifier.of(base, new Median(2), 1, 16);
    assertEquals(1, t.samples());
    float[] x = new float[LEN];
    System.arraycopy(images, 0, x, 0, LEN);
    float[] filtered = new float[LEN];
    new Median(2).apply(x, 0, 3, 32, 32, filtered, 0, 0);
    LossGradient want = base.lossGradient(ImageBatch.wrap(1, 3, 32, 32, filtered), Loss.CROSS_ENTROPY, new int[] {3});
    LossGradient got = t.lossGradient(ImageBatch.wrap(1, 3, 32, 32, x), Loss.CROSS_ENTROPY, new int[] {3});
    assertArrayEquals(want.gradient()[0], got.gradient()[0]);
    assertEquals(want.loss()[0], got.loss()[0]);
  }
}
