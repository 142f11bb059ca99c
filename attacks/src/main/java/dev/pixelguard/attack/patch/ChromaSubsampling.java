package dev.pixelguard.attack.patch;

/**
 * A linear stand-in for the part of JPEG that a small sticker feels most: 4:2:0 chroma subsampling. The RGB
 * image goes to JFIF YCbCr (ITU-R BT.601, full range), each chroma plane is replaced by its mean over each 2x2
 * block aligned to the image's origin (a block cut by the border averages the pixels it has), luma is kept,
 * and the result goes back to RGB: {@code S = M^-1 P M}. {@code P} is an orthogonal projection, so
 * {@code S^T = M^T P M^-T}, which {@link #transpose} applies to a gradient.
 *
 * <p>Used as the backward pass of the JPEG step (BPDA, Athalye, Carlini &amp; Wagner 2018) in place of the
 * identity: a gradient that asks for colour detail finer than 2x2 pixels, which JPEG throws away, is averaged
 * over each block, so the steps go to colour the codec keeps. The quantisation of the DCT coefficients is
 * still passed straight through.
 */
final class ChromaSubsampling {
  private ChromaSubsampling() {}

  // RGB -> YCbCr (JFIF), rows Y, Cb, Cr.
  static final double[][] M = {
      {0.299, 0.587, 0.114},
      {-0.168735892, -0.331264108, 0.5},
      {0.5, -0.418687589, -0.081312411}};
  // YCbCr -> RGB, columns Y, Cb, Cr.
  static final double[][] M_INV = {
      {1, 0, 1.402},
      {1, -0.344136286, -0.714136286},
      {1, 1.772, 0}};

  /** The stand-in itself on planar RGB [3, H, W]: for tests and for comparing it with the codec. */
  static float[] apply(float[] rgb, int height, int width) {
    return map(rgb, height, width, M, M_INV);
  }

  /** {@code S^T g} for a gradient {@code g} with respect to the JPEG step's output, planar [3, H, W]. */
  static float[] transpose(float[] g, int height, int width) {
    return map(g, height, width, transposeOf(M_INV), transposeOf(M));
  }

  /** {@code B P A x}: A to a luma-chroma space, P averages planes 1 and 2 over 2x2 blocks, B back. */
  private static float[] map(float[] x, int height, int width, double[][] a, double[][] b) {
    int plane = height * width;
    double[][] t = new double[3][plane];
    for (int i = 0; i < plane; i++) {
      for (int r = 0; r < 3; r++) {
        t[r][i] = a[r][0] * x[i] + a[r][1] * x[plane + i] + a[r][2] * x[2 * plane + i];
      }
    }
    for (int ch = 1; ch < 3; ch++) {
      double[] p = t[ch];
      for (int y = 0; y < height; y += 2) {
        for (int xx = 0; xx < width; xx += 2) {
          double sum = 0;
          int count = 0;
          for (int dy = 0; dy < 2 && y + dy < height; dy++) {
            for (int dx = 0; dx < 2 && xx + dx < width; dx++) {
              sum += p[(y + dy) * width + xx + dx];
              count++;
            }
          }
          double mean = sum / count;
          for (int dy = 0; dy < 2 && y + dy < height; dy++) {
            for (int dx = 0; dx < 2 && xx + dx < width; dx++) {
              p[(y + dy) * width + xx + dx] = mean;
            }
          }
        }
      }
    }
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int r = 0; r < 3; r++) {
        out[r * plane + i] = (float) (b[r][0] * t[0][i] + b[r][1] * t[1][i] + b[r][2] * t[2][i]);
      }
    }
    return out;
  }

  private static double[][] transposeOf(double[][] m) {
    double[][] t = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        t[i][j] = m[j][i];
      }
    }
    return t;
  }
}
