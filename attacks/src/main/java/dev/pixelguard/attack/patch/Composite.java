package dev.pixelguard.attack.patch;

import dev.pixelguard.transform.GaussianBlur;
import dev.pixelguard.transform.Jpeg;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Puts a sticker on an image and passes the result through the camera of a {@link Draw}; and, for white-box
 * training, carries the loss gradient with respect to the final image back to the sticker's pixels.
 *
 * <p><b>Placement.</b> Each image pixel near the sticker is mapped back into the sticker's grid (the inverse of
 * the {@link Placement}) and samples it bilinearly: its four neighbouring sticker pixels with weights
 * {@code w_k}, a neighbour outside the sticker counting as absent. The pixel's coverage is
 * {@code alpha = sum w_k} over the present neighbours (1 inside the sticker, between 0 and 1 along its edge, so
 * the edge is anti-aliased as a camera would see it), and the result is
 * {@code (1 - alpha) * image + sum_k w_k * sticker_k}: linear in the sticker's values.
 *
 * <p><b>Gradient (the adjoint of the chain).</b> Applied backwards to the input gradient {@code g} of the
 * final image: JPEG is not differentiable, so its backward pass is a stand-in (BPDA, Athalye, Carlini &amp;
 * Wagner 2018): the identity, or for RGB images the transpose of the codec's 4:2:0 chroma subsampling
 * ({@link ChromaSubsampling}), which is what the trainer uses by default; the noise is additive, so {@code g} passes unchanged
 * except where the clamp to [0, 1] cut the value, where it is 0; the blur is linear and gets its exact
 * transpose ({@link GaussianBlur#backward}); contrast and brightness multiply {@code g} by the contrast, 0 where
 * the clamp cut; the placement's transpose scatters each image pixel's gradient back to its four sticker
 * neighbours with the same weights {@code w_k}. So the gradient is exact wherever the chain is differentiable,
 * except for the JPEG step.
 */
public final class Composite {
  private Composite() {}

  /**
   * The sticker (or none) on an image, through the draw's camera.
   *
   * @param image planar [C, H, W] values in [0, 1] from {@code offset}; not changed
   * @param sticker the sticker, with the image's channels; null for the clean image through the same camera
   *     (the baseline)
   */
  public static Rendering render(float[] image, int offset, int channels, int height, int width, Sticker sticker,
      Draw draw) {
    return new Rendering(image, offset, channels, height, width, sticker, draw);
  }

  /** Row-major indices of the image pixels the sticker covers at all (coverage above 0) under {@code p}. */
  static int[] footprint(Placement p, int size, int height, int width) {
    Taps t = Taps.of(p, size, height, width);
    int n = 0;
    int[] out = new int[t.pixels.length];
    for (int i = 0; i < t.pixels.length; i++) {
      if (t.alpha[i] > 1e-9) {
        out[n++] = t.pixels[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** For each image pixel the sticker reaches: its index, coverage, and four sticker neighbours with weights. */
  static final class Taps {
    final int[] pixels;
    final float[] alpha;
    final int[] index; // 4 per pixel, -1 when absent
    final float[] weight; // 4 per pixel

    private Taps(int[] pixels, float[] alpha, int[] index, float[] weight) {
      this.pixels = pixels;
      this.alpha = alpha;
      this.index = index;
      this.weight = weight;
    }

    static Taps of(Placement p, int size, int height, int width) {
      double cos = p.cos();
      double sin = p.sin();
      double half = (size - 1) / 2.0;
      double reach = p.scale() * size / 2.0 * Math.sqrt(2) + 1;
      int x0 = Math.max(0, (int) Math.floor(p.centreX() - reach));
      int x1 = Math.min(width - 1, (int) Math.ceil(p.centreX() + reach));
      int y0 = Math.max(0, (int) Math.floor(p.centreY() - reach));
      int y1 = Math.min(height - 1, (int) Math.ceil(p.centreY() + reach));
      int cap = Math.max(0, (x1 - x0 + 1) * (y1 - y0 + 1));
      int[] pixels = new int[cap];
      float[] alpha = new float[cap];
      int[] index = new int[4 * cap];
      float[] weight = new float[4 * cap];
      int n = 0;
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double dx = x - p.centreX();
          double dy = y - p.centreY();
          double u = half + (cos * dx + sin * dy) / p.scale();
          double v = half + (-sin * dx + cos * dy) / p.scale();
          if (u <= -1 || v <= -1 || u >= size || v >= size) {
            continue;
          }
          int u0 = (int) Math.floor(u);
          int v0 = (int) Math.floor(v);
          double fu = u - u0;
          double fv = v - v0;
          double a = 0;
          for (int k = 0; k < 4; k++) {
            int uu = u0 + (k & 1);
            int vv = v0 + (k >> 1);
            double w = ((k & 1) == 0 ? 1 - fu : fu) * ((k >> 1) == 0 ? 1 - fv : fv);
            if (uu >= 0 && uu < size && vv >= 0 && vv < size && w > 0) {
              index[4 * n + k] = vv * size + uu;
              weight[4 * n + k] = (float) w;
              a += w;
            } else {
              index[4 * n + k] = -1;
            }
          }
          if (a <= 0) {
            continue;
          }
          pixels[n] = y * width + x;
          alpha[n] = (float) Math.min(1, a);
          n++;
        }
      }
      return new Taps(Arrays.copyOf(pixels, n), Arrays.copyOf(alpha, n), Arrays.copyOf(index, 4 * n),
          Arrays.copyOf(weight, 4 * n));
    }
  }

  /** One stickered (or clean) image through one camera, with what its gradient needs. */
  public static final class Rendering {
    private final int channels;
    private final int height;
    private final int width;
    private final int size;
    private final Taps taps;
    private final double contrast;
    private final boolean[] keptAfterContrast;
    private final GaussianBlur blur;
    private final boolean[] keptAfterNoise;
    private final boolean jpeg;
    private final float[] output;

    Rendering(float[] image, int offset, int channels, int height, int width, Sticker sticker, Draw draw) {
      int plane = height * width;
      int n = channels * plane;
      if (sticker != null && sticker.channels() != channels) {
        throw new IllegalArgumentException("the sticker has " + sticker.channels() + " channels, the image " + channels);
      }
      this.channels = channels;
      this.height = height;
      this.width = width;
      float[] v = Arrays.copyOfRange(image, offset, offset + n);
      if (sticker != null) {
        this.size = sticker.size();
        this.taps = Taps.of(draw.placement(), size, height, width);
        int area = size * size;
        for (int i = 0; i < taps.pixels.length; i++) {
          int pix = taps.pixels[i];
          for (int c = 0; c < channels; c++) {
            double s = 0;
            for (int k = 0; k < 4; k++) {
              int idx = taps.index[4 * i + k];
              if (idx >= 0) {
                s += taps.weight[4 * i + k] * sticker.value(c * area + idx);
              }
            }
            v[c * plane + pix] = (float) ((1 - taps.alpha[i]) * v[c * plane + pix] + s);
          }
        }
      } else {
        this.size = 0;
        this.taps = null;
      }
      Photometric cam = draw.camera();
      this.contrast = cam.contrast();
      this.keptAfterContrast = new boolean[n];
      for (int j = 0; j < n; j++) {
        double a = cam.contrast() * (v[j] - 0.5) + 0.5 + cam.brightness();
        keptAfterContrast[j] = a >= 0 && a <= 1;
        v[j] = (float) Math.max(0, Math.min(1, a));
      }
      if (cam.blurSigma() > 0) {
        this.blur = new GaussianBlur(cam.blurSigma());
        float[] b = new float[n];
        blur.apply(v, 0, channels, height, width, b, 0, 0);
        v = b;
      } else {
        this.blur = null;
      }
      this.keptAfterNoise = new boolean[n];
      if (cam.noiseStd() > 0) {
        SplittableRandom r = new SplittableRandom(cam.noiseSeed());
        for (int j = 0; j < n; j++) {
          double a = v[j] + cam.noiseStd() * r.nextGaussian();
          keptAfterNoise[j] = a >= 0 && a <= 1;
          v[j] = (float) Math.max(0, Math.min(1, a));
        }
      } else {
        Arrays.fill(keptAfterNoise, true);
      }
      if (cam.jpegQuality() > 0) {
        float[] j = new float[n];
        new Jpeg(cam.jpegQuality()).apply(v, 0, channels, height, width, j, 0, 0);
        v = j;
      }
      this.jpeg = cam.jpegQuality() > 0;
      this.output = v;
    }

    /** The final image, planar [C, H, W], values in [0, 1]; a copy. */
    public float[] output() {
      return output.clone();
    }

    /** Writes the final image into {@code dst} from {@code offset}. */
    public void copyOutput(float[] dst, int offset) {
      System.arraycopy(output, 0, dst, offset, output.length);
    }

    /**
     * The gradient with respect to the sticker's values (planar [C, size, size]) of a loss whose gradient with
     * respect to the final image is {@code gradOut} (planar, from {@code offset}): the chain's adjoint (see the
     * class comment; straight through the JPEG step).
     *
     * @throws IllegalStateException for a rendering without a sticker
     */
    public float[] stickerGradient(float[] gradOut, int offset) {
      return stickerGradient(gradOut, offset, StickerSettings.JpegGradient.IDENTITY);
    }

    /**
     * As {@link #stickerGradient(float[], int)}, with the JPEG step's backward pass chosen: the identity, or
     * (RGB) the transpose of its chroma subsampling ({@link ChromaSubsampling}).
     */
    public float[] stickerGradient(float[] gradOut, int offset, StickerSettings.JpegGradient jpegGradient) {
      if (taps == null) {
        throw new IllegalStateException("a clean rendering has no sticker to differentiate by");
      }
      if (jpegGradient == null) {
        throw new IllegalArgumentException("the JPEG step's backward pass is required");
      }
      int plane = height * width;
      int n = channels * plane;
      float[] g = Arrays.copyOfRange(gradOut, offset, offset + n);
      if (jpeg && channels == 3 && jpegGradient == StickerSettings.JpegGradient.CHROMA) {
        g = ChromaSubsampling.transpose(g, height, width);
      }
      for (int j = 0; j < n; j++) {
        g[j] = keptAfterNoise[j] ? g[j] : 0f;
      }
      if (blur != null) {
        float[] b = new float[n];
        blur.backward(null, 0, channels, height, width, 0, g, b);
        g = b;
      }
      for (int j = 0; j < n; j++) {
        g[j] = keptAfterContrast[j] ? (float) (g[j] * contrast) : 0f;
      }
      int area = size * size;
      double[] out = new double[channels * area];
      for (int i = 0; i < taps.pixels.length; i++) {
        int pix = taps.pixels[i];
        for (int k = 0; k < 4; k++) {
          int idx = taps.index[4 * i + k];
          if (idx < 0) {
            continue;
          }
          float w = taps.weight[4 * i + k];
          for (int c = 0; c < channels; c++) {
            out[c * area + idx] += w * g[c * plane + pix];
          }
        }
      }
      float[] f = new float[out.length];
      for (int j = 0; j < f.length; j++) {
        f[j] = (float) out[j];
      }
      return f;
    }
  }
}
