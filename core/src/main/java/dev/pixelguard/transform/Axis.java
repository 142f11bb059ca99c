package dev.pixelguard.transform;

/**
 * A linear map along one image axis, from {@code in} samples to {@code out} samples, stored as the sparse rows
 * of its matrix: output {@code o} is the sum over {@code t} of {@code weight[o][t] * input[index[o][t]]}. A
 * linear transform is one such map along the rows and one along the columns ({@link Separable}); its exact
 * gradient is the same two maps transposed, read from the same weights, so forward and backward cannot drift
 * apart.
 */
final class Axis {
  final int in;
  final int out;
  final int[][] index;
  final double[][] weight;

  private Axis(int in, int out, int[][] index, double[][] weight) {
    this.in = in;
    this.out = out;
    this.index = index;
    this.weight = weight;
  }

  /**
   * Bilinear resampling of the {@code length} samples from {@code offset} of an axis of {@code in} samples to
   * {@code out} samples, with half-pixel centres: output {@code o} reads input coordinate
   * {@code (o + 0.5) * length / out - 0.5}, clamped to the window, like PyTorch's
   * {@code interpolate(mode="bilinear", align_corners=False, antialias=False)}. With {@code length == out}
   * it is the identity on the window.
   */
  static Axis bilinear(int in, int offset, int length, int out) {
    int[][] index = new int[out][];
    double[][] weight = new double[out][];
    double scale = (double) length / out;
    for (int o = 0; o < out; o++) {
      double s = Math.max(0, (o + 0.5) * scale - 0.5);
      int i0 = Math.min((int) s, length - 1);
      int i1 = Math.min(i0 + 1, length - 1);
      double f = s - i0;
      if (i1 == i0 || f == 0) {
        index[o] = new int[] {offset + i0};
        weight[o] = new double[] {1};
      } else {
        index[o] = new int[] {offset + i0, offset + i1};
        weight[o] = new double[] {1 - f, f};
      }
    }
    return new Axis(in, out, index, weight);
  }

  /**
   * Convolution with the symmetric kernel {@code kernel[0..r]} (centre first; the taps at {@code -k} and
   * {@code +k} both weigh {@code kernel[k]}), with the border mirrored, edge sample included ({@link #reflect}).
   */
  static Axis convolve(int n, double[] kernel) {
    int r = kernel.length - 1;
    int[][] index = new int[n][2 * r + 1];
    double[][] weight = new double[n][2 * r + 1];
    for (int o = 0; o < n; o++) {
      for (int k = -r; k <= r; k++) {
        index[o][k + r] = reflect(o + k, n);
        weight[o][k + r] = kernel[Math.abs(k)];
      }
    }
    return new Axis(n, n, index, weight);
  }

  /**
   * The sample an index outside {@code [0, n)} reads: the axis mirrored about its edges with the edge sample
   * repeated ({@code d c b a | a b c d | d c b a}, scipy.ndimage's {@code mode="reflect"}), as often as needed.
   */
  static int reflect(int i, int n) {
    int period = 2 * n;
    int m = Math.floorMod(i, period);
    return m < n ? m : period - 1 - m;
  }

  /** This map after {@code first}: {@code this(first(x))}. */
  Axis after(Axis first) {
    if (first.out != in) {
      throw new IllegalArgumentException("cannot compose " + first.out + " samples into a map of " + in);
    }
    int[][] index = new int[out][];
    double[][] weight = new double[out][];
    for (int o = 0; o < out; o++) {
      double[] dense = new double[first.in];
      for (int t = 0; t < this.index[o].length; t++) {
        int mid = this.index[o][t];
        for (int u = 0; u < first.index[mid].length; u++) {
          dense[first.index[mid][u]] += this.weight[o][t] * first.weight[mid][u];
        }
      }
      int nonZero = 0;
      for (double v : dense) {
        nonZero += v != 0 ? 1 : 0;
      }
      index[o] = new int[nonZero];
      weight[o] = new double[nonZero];
      for (int i = 0, t = 0; i < dense.length; i++) {
        if (dense[i] != 0) {
          index[o][t] = i;
          weight[o][t++] = dense[i];
        }
      }
    }
    return new Axis(first.in, out, index, weight);
  }
}
