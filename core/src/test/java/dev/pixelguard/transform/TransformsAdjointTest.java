package dev.pixelguard.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pixelguard.transform.Transform;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The linear transforms' backward is their exact transpose: {@code <T x, g> == <x, T^T g>}. */
class TransformsAdjointTest {

  static float[] random(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble();
    }
    return v;
  }

  static double dot(float[] a, int ao, float[] b, int bo, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) a[ao + i] * b[bo + i];
    }
    return s;
  }

  @Test
  void backwardIsTheTransposeOfEachLinearTransform() {
    List<Transform> linear = List.of(new Crop(1), new Crop(3), new Rescale(0.5), new Rescale(0.3),
        new Rescale(0.35, 0.95), new GaussianBlur(0.6), new GaussianBlur(2.5),
        new Chain(List.of(new GaussianBlur(0.8), new Crop(2), new Rescale(0.6, 0.9))));
    int[][] shapes = {{3, 32, 32}, {1, 28, 28}, {2, 7, 5}};
    SplittableRandom r = new SplittableRandom(11);
    for (Transform t : linear) {
      for (int[] s : shapes) {
        int n = s[0] * s[1] * s[2];
        for (int trial = 0; trial < 5; trial++) {
          long seed = r.nextLong();
          int offset = 3; // not at the start of the array, as in a batch
          float[] x = random(r, n + offset);
          float[] g = random(r, n + offset);
          float[] tx = new float[n];
          t.apply(x, offset, s[0], s[1], s[2], tx, 0, seed);
          float[] tg = new float[n + offset];
          t.backward(x, offset, s[0], s[1], s[2], seed, g, tg);
          double left = dot(tx, 0, g, offset, n);
          double right = dot(x, offset, tg, offset, n);
          assertEquals(left, right, 1e-5 * Math.abs(left), t.describe() + " on " + s[0] + "x" + s[1] + "x" + s[2]);
        }
      }
    }
  }

  @Test
  void nonDifferentiableTransformsPassTheGradientStraightThrough() {
    SplittableRandom r = new SplittableRandom(3);
    float[] x = random(r, 3 * 32 * 32);
    float[] g = random(r, x.length);
    for (Transform t : List.of(new Median(2), new Jpeg(75), new BitDepth(4),
        new Chain(List.of(new Median(3), new BitDepth(5))))) {
      float[] back = new float[x.length];
      t.backward(x, 0, 3, 32, 32, 0, g, back);
      assertArrayEquals(g, back, t.describe());
    }
  }
}
