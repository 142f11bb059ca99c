package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A {@link LinearFill} whose stencil spans the 5 x 5 square around a pixel with the symmetries of the square: one
 * weight per orbit of offsets under rotations and mirrors, for (1, 0), (1, 1), (2, 0), (2, 1) and (2, 2) (4, 4, 4,
 * 8 and 4 offsets). Coordinates past the border are mirrored without repeating the edge (-1 is 1).
 *
 * <ul>
 *   <li>{@code biharmonic}: weights 8/20, -2/20, -1/20, 0, 0: the 13-point discrete biharmonic operator, so the
 *       fill is the biharmonic inpainting of the hidden pixels from the visible ones (Damelin and Hoang, "On
 *       surface completion and image inpainting by biharmonic functions", 2018), smoother across a hole than the
 *       harmonic one and exact on linear ramps. An isolated hidden pixel gets (8 (4 neighbours) - 2 (diagonals)
 *       - (two steps along an axis)) / 20.
 *   <li>{@code stencil:A/B/C/D/E}: any five weights, such as those {@link #fit} finds: the least-squares
 *       prediction of a pixel from its neighbours on a set of images (fit them on images the figures are not
 *       reported on, {@link dev.pixelguard.data.Split#fit()}).
 * </ul>
 */
final class OrbitFill extends LinearFill {
  private static final int[][][] ORBITS = orbits();
  static final double[] BIHARMONIC = {0.4, -0.1, -0.05, 0, 0};

  private final String name;
  private final double[] weights;

  private OrbitFill(String name, double[] weights) {
    if (weights.length != 5) {
      throw new IllegalArgumentException("an orbit stencil has 5 weights, was " + weights.length);
    }
    this.name = name;
    this.weights = weights.clone();
  }

  static OrbitFill biharmonic() {
    return new OrbitFill("biharmonic", BIHARMONIC);
  }

  /** The stencil with these five weights. */
  static OrbitFill stencil(double[] weights) {
    return new OrbitFill(null, weights);
  }

  double[] weights() {
    return weights.clone();
  }

  @Override
  public String spec() {
    if (name != null) {
      return name;
    }
    StringBuilder b = new StringBuilder("stencil:");
    for (int i = 0; i < 5; i++) {
      b.append(i == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.4f", weights[i]));
    }
    return b.toString();
  }

  @Override
  Row row(int x, int y, int width, int height) {
    int count = 0;
    for (int o = 0; o < 5; o++) {
      count += weights[o] == 0 ? 0 : ORBITS[o].length;
    }
    int[] positions = new int[count];
    double[] w = new double[count];
    int k = 0;
    for (int o = 0; o < 5; o++) {
      if (weights[o] == 0) {
        continue;
      }
      for (int[] d : ORBITS[o]) {
        positions[k] = mirror(y + d[1], height) * width + mirror(x + d[0], width);
        w[k++] = weights[o];
      }
    }
    return new Row(positions, w);
  }

  /** A coordinate mirrored into [0, n) without repeating the edge (-1 to 1, n to n - 2). */
  static int mirror(int i, int n) {
    if (n == 1) {
      return 0;
    }
    while (i < 0 || i >= n) {
      i = i < 0 ? -i : 2 * (n - 1) - i;
    }
    return i;
  }

  private static int[][][] orbits() {
    int[][] reps = {{1, 0}, {1, 1}, {2, 0}, {2, 1}, {2, 2}};
    int[][][] out = new int[reps.length][][];
    for (int o = 0; o < reps.length; o++) {
      Set<List<Integer>> set = new LinkedHashSet<>();
      int a = reps[o][0];
      int b = reps[o][1];
      for (int[] d : new int[][] {{a, b}, {b, a}}) {
        for (int sx : new int[] {1, -1}) {
          for (int sy : new int[] {1, -1}) {
            set.add(List.of(sx * d[0], sy * d[1]));
          }
        }
      }
      out[o] = set.stream().map(l -> new int[] {l.get(0), l.get(1)}).toArray(int[][]::new);
    }
    return out;
  }

  /**
   * The least-squares stencil over every pixel at least 2 from the border, every channel, of {@code images};
   * weights rounded to 4 decimals, as {@link #spec()} writes them, so that the spec gives back this very fill.
   *
   * @throws InputException when no image is at least 5 x 5
   */
  static OrbitFill fit(Dataset images) {
    double[][] ata = new double[5][5];
    double[] atb = new double[5];
    long samples = 0;
    for (LabeledImage li : images.images()) {
      Image im = li.image();
      for (int c = 0; c < im.channels(); c++) {
        for (int y = 2; y < im.height() - 2; y++) {
          for (int x = 2; x < im.width() - 2; x++) {
            double[] f = new double[5];
            for (int o = 0; o < 5; o++) {
              for (int[] d : ORBITS[o]) {
                f[o] += im.get(c, y + d[1], x + d[0]) / 255.0;
              }
            }
            double t = im.get(c, y, x) / 255.0;
            for (int a = 0; a < 5; a++) {
              atb[a] += f[a] * t;
              for (int b = 0; b < 5; b++) {
                ata[a][b] += f[a] * f[b];
              }
            }
            samples++;
          }
        }
      }
    }
    if (samples == 0) {
      throw new InputException("a stencil is fitted on images of at least 5 x 5 pixels; " + images.name() + " has none");
    }
    double[] w = gauss(ata, atb);
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.round(w[i] * 1e4) / 1e4;
    }
    return stencil(w);
  }

  /** Solves a small linear system by Gaussian elimination with partial pivoting. */
  private static double[] gauss(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][n + 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n] = b[i];
    }
    for (int i = 0; i < n; i++) {
      int p = i;
      for (int j = i + 1; j < n; j++) {
        p = Math.abs(m[j][i]) > Math.abs(m[p][i]) ? j : p;
      }
      double[] t = m[i];
      m[i] = m[p];
      m[p] = t;
      for (int j = i + 1; j < n; j++) {
        double f = m[j][i] / m[i][i];
        for (int k = i; k <= n; k++) {
          m[j][k] -= f * m[i][k];
        }
      }
    }
    double[] x = new double[n];
    for (int i = n - 1; i >= 0; i--) {
      double s = m[i][n];
      for (int k = i + 1; k < n; k++) {
        s -= m[i][k] * x[k];
      }
      x[i] = s / m[i][i];
    }
    return x;
  }

  /** Reads {@code stencil:A/B/C/D/E}. */
  static OrbitFill parse(String text) {
    String[] parts = text.trim().substring("stencil:".length()).split("/", -1);
    if (parts.length != 5) {
      throw new InputException("invalid fill '" + text + "'; write stencil:A/B/C/D/E, five weights");
    }
    double[] w = new double[5];
    for (int i = 0; i < 5; i++) {
      try {
        w[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InputException("invalid fill '" + text + "': '" + parts[i] + "' is not a number");
      }
      if (!Double.isFinite(w[i])) {
        throw new InputException("invalid fill '" + text + "': weights must be finite");
      }
    }
    return stencil(w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrbitFill f && Arrays.equals(weights, f.weights) && java.util.Objects.equals(name, f.name);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return spec();
  }
}
