package dev.pixelguard.certify;

import dev.pixelguard.InputException;
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
 *       mean of its 4 neighbours inside the image, hidden neighbours included, solved by Gauss-Seidel sweeps
 *       in position order from the {@code mean} fill until no value moves by more than 1e-6 (or after 500
 *       sweeps). An isolated hidden pixel gets the mean of its 4 neighbours; a hole becomes the smoothest surface
 *       that meets its border (Bertalmio et al. 2000 and Chan and Shen 2002 for the variational view).
 * </ul>
 */
public final class Fills {
  private Fills() {}

  /** The default fill: {@link #harmonic()}. */
  public static Fill standard() {
    return harmonic();
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
      return Stencil.parse(text);
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
    return new Fill() {
      @Override
      public String spec() {
        return "harmonic";
      }

      @Override
      public void fill(Visible visible, float[] out) {
        harmonic(visible, out, 1e-6f, 500);
      }
    };
  }

  /**
   * Biharmonic inpainting: each hidden value solves the 13-point biharmonic stencil (weights 8/20 for the 4
   * neighbours, -2/20 for the diagonals, -1/20 two steps along an axis; coordinates past the border mirrored),
   * hidden neighbours included, by Gauss-Seidel sweeps from the harmonic fill until no value moves by more than
   * 1e-6 (or after 500 sweeps); clamped to [0, 1]. Smoother than harmonic across a hole (Damelin and Hoang,
   * "On surface completion and image inpainting by biharmonic functions", 2018).
   */
  public static Fill biharmonic() {
    return new Fill() {
      @Override
      public String spec() {
        return "biharmonic";
      }

      @Override
      public void fill(Visible visible, float[] out) {
        harmonic(visible, out, 1e-6f, 500);
        Stencil.solve(visible, out, new double[] {0.4, -0.1, -0.05, 0, 0}, 1e-6f, 500);
      }
    };
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

  static void harmonic(Visible v, float[] out, float tolerance, int maxSweeps) {
    neighbourMean(v, out);
    int n = v.hiddenCount();
    int w = v.width();
    int h = v.height();
    int[] index = new int[w * h];
    Arrays.fill(index, -1);
    for (int i = 0; i < n; i++) {
      index[v.hiddenPosition(i)] = i;
    }
    int[] dx = {-1, 1, 0, 0};
    int[] dy = {0, 0, -1, 1};
    for (int sweep = 0; sweep < maxSweeps; sweep++) {
      float moved = 0;
      for (int i = 0; i < n; i++) {
        int p = v.hiddenPosition(i);
        int x = p % w;
        int y = p / w;
        for (int c = 0; c < v.channels(); c++) {
          double sum = 0;
          int count = 0;
          for (int d = 0; d < 4; d++) {
            int nx = x + dx[d];
            int ny = y + dy[d];
            if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
              continue;
            }
            int j = index[ny * w + nx];
            sum += j >= 0 ? out[c * n + j] : v.value(c, nx, ny);
            count++;
          }
          if (count == 0) {
            continue; // a 1x1 image: nothing to average
          }
          float next = (float) (sum / count);
          moved = Math.max(moved, Math.abs(next - out[c * n + i]));
          out[c * n + i] = next;
        }
      }
      if (moved <= tolerance) {
        return;
      }
    }
  }
}
