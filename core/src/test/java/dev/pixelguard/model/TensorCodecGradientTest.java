package dev.pixelguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.image.ImageBatch;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the chain rule in {@link TensorCodec#batchGradient}: the gradient of a function of the encoded tensor,
 * mapped back through layout, value range and mean/std, must equal the finite-difference gradient of that
 * function of {@code encode(image)} with respect to each [0, 1] NCHW image value.
 */
class TensorCodecGradientTest {
  // Non-square, so a swapped H/W or an NCHW/NHWC mix-up lands on different positions.
  private static final int N = 2;
  private static final int C = 3;
  private static final int H = 4;
  private static final int W = 5;
  private static final int PER = C * H * W;

  private static final float[] MEAN_UNIT = {0.49f, 0.48f, 0.45f};
  private static final float[] STD_UNIT = {0.25f, 0.24f, 0.26f};

  private static final double H_FD = 1e-3;

  static Stream<Arguments> specs() {
    List<Arguments> out = new ArrayList<>();
    for (InputLayout layout : InputLayout.values()) {
      for (ValueRange range : ValueRange.values()) {
        for (boolean normalise : new boolean[] {false, true}) {
          out.add(Arguments.of(layout, range, normalise));
        }
      }
    }
    return out.stream();
  }

  private static ModelSpec spec(InputLayout layout, ValueRange range, boolean normalise) {
    ModelSpec s = ModelSpec.DEFAULT.withLayout(layout).withRange(range);
    if (!normalise) {
      return s;
    }
    // mean and std are in the units of the range, so scale the [0,1] values to it.
    float[] mean = new float[C];
    float[] std = new float[C];
    for (int c = 0; c < C; c++) {
      mean[c] = MEAN_UNIT[c] * range.scale();
      std[c] = STD_UNIT[c] * range.scale();
    }
    return s.withNormalization(mean, std);
  }

  private static float[] read(FloatBuffer b) {
    FloatBuffer d = b.duplicate();
    d.rewind();
    float[] a = new float[d.remaining()];
    d.get(a);
    return a;
  }

  /** f(t) = sum_j w_j t_j^2 / 2 + v_j t_j, over the tensor in the model's own layout; in double. */
  private static double f(float[] t, double[] w, double[] v) {
    double s = 0;
    for (int j = 0; j < t.length; j++) {
      s += w[j] * t[j] * t[j] / 2 + v[j] * t[j];
    }
    return s;
  }

  @ParameterizedTest(name = "{0} {1} normalised={2}")
  @MethodSource("specs")
  void batchGradientMatchesFiniteDifferencesOfTheEncoding(InputLayout layout, ValueRange range, boolean normalise) {
    ModelSpec spec = spec(layout, range, normalise);
    TensorCodec codec = new TensorCodec(spec, new ModelInfo(C, H, W, 10, List.of(), "m"), null);
    Random rnd = new Random(20240611L + layout.ordinal() * 4 + range.ordinal() * 2 + (normalise ? 1 : 0));

    float[] x = new float[N * PER];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.1f + 0.8f * rnd.nextFloat(); // away from 0 and 1 so x +- h stays in [0, 1]
    }
    // One weight per tensor position (in the model's layout), so a wrong permutation picks wrong weights.
    double[] w = new double[x.length];
    double[] v = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      w[j] = 0.5 + rnd.nextDouble();
      v[j] = 2 * rnd.nextDouble() - 1;
    }

    // Exact gradient of f with respect to the tensor: df/dt_j = w_j t_j + v_j.
    float[] t = read(codec.encode(ImageBatch.wrap(N, C, H, W, x.clone())));
    float[] tensorGrad = new float[t.length];
    for (int j = 0; j < t.length; j++) {
      tensorGrad[j] = (float) (w[j] * t[j] + v[j]);
    }
    float[][] g = codec.batchGradient(tensorGrad, N);
    assertEquals(N, g.length);

    // Central differences of f(encode(x)) in each [0,1] NCHW image value. f is quadratic in t and t is affine
    // in x, so the central difference has no truncation error; what is left is float32 rounding of each encoded
    // value t (half an ulp, ~6e-8 relative) against the change in t over the step, 2h * scale / std. That is a
    // few 1e-5 relative (e.g. t ~ 2 and dt ~ 8e-3 with mean/std; t ~ 230 and dt ~ 0.5 in raw bytes); measured
    // worst case ~2e-5 of the largest |gradient|. Relative 1e-3 of the largest |gradient| (pooled over the
    // batch, since single entries w_j t_j + v_j can be near zero) leaves a ~50x margin, while each factor a bug
    // could drop (255, 1/std ~ 4, the layout permutation) puts the error at O(1) of the largest gradient.
    double maxFd = 0;
    double maxErr = 0;
    String worst = "";
    for (int b = 0; b < N; b++) {
      for (int k = 0; k < PER; k++) {
        int idx = b * PER + k;
        float[] xp = x.clone();
        float[] xm = x.clone();
        xp[idx] = (float) (x[idx] + H_FD);
        xm[idx] = (float) (x[idx] - H_FD);
        double fp = f(read(codec.encode(ImageBatch.wrap(N, C, H, W, xp))), w, v);
        double fm = f(read(codec.encode(ImageBatch.wrap(N, C, H, W, xm))), w, v);
        double fd = (fp - fm) / ((double) xp[idx] - (double) xm[idx]); // the step actually taken in float
        maxFd = Math.max(maxFd, Math.abs(fd));
        double err = Math.abs(g[b][k] - fd);
        if (err > maxErr) {
          maxErr = err;
          worst = "image " + b + " value " + k + ": batchGradient " + g[b][k] + ", finite difference " + fd;
        }
      }
    }
    assertTrue(maxFd > 0);
    assertTrue(maxErr <= 1e-3 * maxFd, spec + ": max |error| " + maxErr + " > 1e-3 * max |gradient| " + maxFd
        + "; worst at " + worst);
  }

  @Test
  void handWorkedByteRangeNhwcValue() {
    // byte range, std chosen so 255 / s is exact: channel factors d t / d x = 255/51 = 5, 255/63.75 = 4, 255/85 = 3.
    ModelSpec spec = ModelSpec.DEFAULT.withLayout(InputLayout.NHWC).withRange(ValueRange.BYTE)
        .withNormalization(new float[] {125f, 122f, 115f}, new float[] {51f, 63.75f, 85f});
    TensorCodec codec = new TensorCodec(spec, new ModelInfo(C, H, W, 10, List.of(), "m"), null);

    // Image 1, channel 1, row 2, column 3. NHWC tensor index ((b*H + y)*W + x)*C + c = ((1*4+2)*5+3)*3+1 = 100;
    // planar per-image index (c*H + y)*W + x = (1*4+2)*5+3 = 33.
    float[] x = new float[N * PER];
    x[PER + 33] = 0.5f;
    float[] t = read(codec.encode(ImageBatch.wrap(N, C, H, W, x)));
    assertEquals((0.5f * 255f - 122f) / 63.75f, t[100]); // (127.5 - 122) / 63.75

    float[] tensorGrad = new float[N * PER];
    tensorGrad[100] = 1f;
    float[][] g = codec.batchGradient(tensorGrad, N);
    for (int b = 0; b < N; b++) {
      for (int k = 0; k < PER; k++) {
        assertEquals(b == 1 && k == 33 ? 4f : 0f, g[b][k], "image " + b + " value " + k);
      }
    }

    // All-ones tensor gradient (f = sum t): every value gets its channel's 255 / std exactly.
    java.util.Arrays.fill(tensorGrad, 1f);
    g = codec.batchGradient(tensorGrad, N);
    float[] expected = {5f, 4f, 3f};
    for (int b = 0; b < N; b++) {
      for (int k = 0; k < PER; k++) {
        assertEquals(expected[k / (H * W)], g[b][k], "image " + b + " value " + k);
      }
    }
  }
}
