package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import java.util.Locale;

/**
 * A fill that predicts each hidden value from the 5 x 5 square around it by a linear stencil with the symmetries
 * of the square (the same weight for offsets that a rotation or mirror maps onto each other), applied once over
 * the {@link Fills#harmonic} fill: visible neighbours give their values, hidden ones their harmonic values,
 * coordinates past the border are mirrored; clamped to [0, 1]. Five weights, for the offsets (1, 0), (1, 1),
 * (2, 0), (2, 1) and (2, 2) and their images under the symmetries.
 *
 * <p>{@link #fit} finds the weights that predict a pixel from its neighbours best (least squares) on a set of
 * images: fit them on images the figures are not reported on ({@link dev.pixelguard.data.Split#fit()}). On
 * CIFAR-10 images 466-931 they predict an isolated pixel with an error of about 7.5 of 255 (root mean square),
 * against 12.5 for the mean of the 4 neighbours.
 *
 * @param weights the five weights
 */
record Stencil(double[] weights) implements Fill {
  /** The offsets (dx, dy) of each orbit, by orbit. */
  private static final int[][][] ORBITS = orbits();

  Stencil {
    if (weights.length != 5) {
      throw new IllegalArgumentException("a stencil has 5 weights, was " + weights.length);
    }
    weights = weights.clone();
  }

  @Override
  public String spec() {
    StringBuilder b = new StringBuilder("stencil:");
    for (int i = 0; i < 5; i++) {
      b.append(i == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.4f", weights[i]));
    }
    return b.toString();
  }

  @Override
  public void fill(Visible visible, float[] out) {
    Fills.harmonic(visible, out, 1e-6f, 500);
    int n = visible.hiddenCount();
    float[] next = new float[out.length];
    int[] index = index(visible);
    for (int c = 0; c < visible.channels(); c++) {
      for (int i = 0; i < n; i++) {
        next[c * n + i] = predict(visible, out, index, c, visible.hiddenPosition(i), weights);
      }
    }
    System.arraycopy(next, 0, out, 0, out.length);
  }

  /**
   * Gauss-Seidel sweeps of the stencil over the hidden values in {@code out} (their current estimates), until
   * none moves by more than {@code tolerance} or after {@code maxSweeps}; clamped to [0, 1].
   */
  static void solve(Visible visible, float[] out, double[] weights, float tolerance, int maxSweeps) {
    int n = visible.hiddenCount();
    int[] index = index(visible);
    for (int sweep = 0; sweep < maxSweeps; sweep++) {
      float moved = 0;
      for (int c = 0; c < visible.channels(); c++) {
        for (int i = 0; i < n; i++) {
          float v = predict(visible, out, index, c, visible.hiddenPosition(i), weights);
          moved = Math.max(moved, Math.abs(v - out[c * n + i]));
          out[c * n + i] = v;
        }
      }
      if (moved <= tolerance) {
        break;
      }
    }
  }

  /** Per position, the index of the hidden position there, or -1. */
  private static int[] index(Visible v) {
    int[] index = new int[v.width() * v.height()];
    java.util.Arrays.fill(index, -1);
    for (int i = 0; i < v.hiddenCount(); i++) {
      index[v.hiddenPosition(i)] = i;
    }
    return index;
  }

  /** The stencil's prediction at position p, channel c, clamped to [0, 1]. */
  private static float predict(Visible v, float[] est, int[] index, int c, int p, double[] weights) {
    int w = v.width();
    int x = p % w;
    int y = p / w;
    int n = v.hiddenCount();
    double sum = 0;
    for (int o = 0; o < ORBITS.length; o++) {
      if (weights[o] == 0) {
        continue;
      }
      double s = 0;
      for (int[] d : ORBITS[o]) {
        int nx = mirror(x + d[0], w);
        int ny = mirror(y + d[1], v.height());
        int j = index[ny * w + nx];
        s += j >= 0 ? est[c * n + j] : v.value(c, nx, ny);
      }
      sum += weights[o] * s;
    }
    return (float) Math.max(0, Math.min(1, sum));
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
      java.util.Set<java.util.List<Integer>> set = new java.util.LinkedHashSet<>();
      int a = reps[o][0];
      int b = reps[o][1];
      for (int[] d : new int[][] {{a, b}, {b, a}}) {
        for (int sx : new int[] {1, -1}) {
          for (int sy : new int[] {1, -1}) {
            set.add(java.util.List.of(sx * d[0], sy * d[1]));
          }
        }
      }
      out[o] = set.stream().map(l -> new int[] {l.get(0), l.get(1)}).toArray(int[][]::new);
    }
    return out;
  }

  /**
   * The least-squares stencil (weights rounded to 4 decimals, as {@link #spec()} writes them) over every pixel at least 2 from the border, every channel, of {@code images}.
   *
   * @throws InputException when the images are smaller than 5 x 5 or there are none
   */
  static Stencil fit(Dataset images) {
    double[][] ata = new double[5][5];
    double[] atb = new double[5];
    long samples = 0;
    for (LabeledImage li : images.images()) {
      var im = li.image();
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
    double[] w = solveSymmetric(ata, atb);
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.round(w[i] * 1e4) / 1e4; // as its spec writes it, so that the spec gives back this very fill
    }
    return new Stencil(w);
  }

  /** Solves the 5 x 5 normal equations by Gaussian elimination with partial pivoting. */
  private static double[] solveSymmetric(double[][] a, double[] b) {
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
  static Stencil parse(String text) {
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
    return new Stencil(w);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stencil s && java.util.Arrays.equals(weights, s.weights);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return spec();
  }
}
