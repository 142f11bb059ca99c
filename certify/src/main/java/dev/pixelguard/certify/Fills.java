package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import java.util.Arrays;
import java.util.Locale;

/**
 * The built-in fills. Each reads visible pixels only (see {@link Visible}); each is deterministic.
 *
 * <ul>
 *   <li>{@code grey} (or {@code grey:V}): every hidden value V, 0.5 by default (PatchCleanser's choice).
 *   <li>{@code mean}: the mean of the visible pixels among the 8 neighbours; where none is visible, of the
 *       nearest ring of the square neighbourhood that has one.
 *   <li>{@code harmonic}: the discrete harmonic inpainting from the visible boundary: each hidden value is the
 *       mean of its 4 neighbours inside the image, hidden neighbours included, solved exactly ({@link
 *       LinearFill}). An isolated hidden pixel gets the mean of its 4 neighbours; a hole becomes the smoothest
 *       membrane that meets its border (Chan and Shen, "Mathematical models for local nontexture inpaintings",
 *       2002).
 *   <li>{@code biharmonic}: the discrete biharmonic inpainting, solved exactly ({@link OrbitFill}); the
 *       {@link #standard()} fill: on CIFAR-10 it keeps the most predictions correct (docs/certification.md).
 *   <li>{@code stencil:A/B/C/D/E}: a symmetric 5 x 5 stencil with the given weights, solved exactly; {@link
 *       #fitStencil} fits the weights on images.
 * </ul>
 */
public final class Fills {
  private Fills() {}

  /** The default fill: {@link #biharmonic()}. */
  public static Fill standard() {
    return biharmonic();
  }

  /**
   * @throws InputException in one line for an unknown name or a grey level outside [0, 1]
   */
  public static Fill parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "grey":
      case "gray":
        return constant(0.5f);
      case "mean":
        return neighbourMean();
      case "harmonic":
        return harmonic();
      case "biharmonic":
        return biharmonic();
      default:
        break;
    }
    if (t.startsWith("stencil:")) {
      return OrbitFill.parse(text);
    }
    if (t.startsWith("grey:") || t.startsWith("gray:")) {
      try {
        float v = Float.parseFloat(t.substring(5));
        if (v >= 0f && v <= 1f) {
          return constant(v);
        }
      } catch (NumberFormatException e) {
        // the one message below
      }
      throw new InputException("invalid fill '" + text + "': the grey level must be a number in [0, 1]");
    }
    throw new InputException("unknown fill '" + text + "'; give grey, grey:V, mean, harmonic, biharmonic or"
        + " stencil:A/B/C/D/E");
  }

  /** Every hidden value {@code v}, in [0, 1]. */
  public static Fill constant(float v) {
    if (!(v >= 0f && v <= 1f)) {
      throw new IllegalArgumentException("a grey level must be in [0, 1], was " + v);
    }
    return new Fill() {
      @Override
      public String spec() {
        return v == 0.5f ? "grey" : "grey:" + v;
      }

      @Override
      public void fill(Visible visible, float[] out) {
        Arrays.fill(out, 0, visible.channels() * visible.hiddenCount(), v);
      }
    };
  }

  /** The mean of the visible 8 neighbours, widening the square until one is visible. */
  public static Fill neighbourMean() {
    return new Fill() {
      @Override
      public String spec() {
        return "mean";
      }

      @Override
      public void fill(Visible visible, float[] out) {
        neighbourMean(visible, out);
      }
    };
  }

  /** Harmonic inpainting (see the class comment). */
  public static Fill harmonic() {
    return new LinearFill() {
      @Override
      public String spec() {
        return "harmonic";
      }

      @Override
      Row row(int x, int y, int width, int height) {
        int[] dx = {-1, 1, 0, 0};
        int[] dy = {0, 0, -1, 1};
        int count = 0;
        int[] p = new int[4];
        for (int d = 0; d < 4; d++) {
          int nx = x + dx[d];
          int ny = y + dy[d];
          if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
            p[count++] = ny * width + nx;
          }
        }
        double[] w = new double[count];
        java.util.Arrays.fill(w, 1.0 / count);
        return new Row(java.util.Arrays.copyOf(p, count), w);
      }
    };
  }

  /** Biharmonic inpainting (see {@link OrbitFill}). */
  public static Fill biharmonic() {
    return OrbitFill.biharmonic();
  }

  /**
   * The least-squares orbit stencil of {@code images} ({@link OrbitFill#fit}): fit it on the images a defence is
   * fitted on, never those its figures are reported on.
   */
  public static Fill fitStencil(Dataset images) {
    return OrbitFill.fit(images);
  }

  static void neighbourMean(Visible v, float[] out) {
    int n = v.hiddenCount();
    int w = v.width();
    int maxRadius = Math.max(v.width(), v.height());
    double[] sum = new double[v.channels()];
    for (int i = 0; i < n; i++) {
      int p = v.hiddenPosition(i);
      int x = p % w;
      int y = p / w;
      int count = 0;
      for (int r = 1; r <= maxRadius && count == 0; r++) {
        Arrays.fill(sum, 0);
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            boolean ring = Math.abs(dx) == r || Math.abs(dy) == r;
            if (ring && v.isVisible(x + dx, y + dy)) {
              count++;
              for (int c = 0; c < sum.length; c++) {
                sum[c] += v.value(c, x + dx, y + dy);
              }
            }
          }
        }
      }
      for (int c = 0; c < sum.length; c++) {
        out[c * n + i] = count == 0 ? 0.5f : (float) (sum[c] / count);
      }
    }
  }
}
