package dev.pixelguard.transform;

/**
 * A linear image transform that maps each channel by one {@link Axis} along the rows and one along the
 * columns, keeping the shape: {@code out = Rows * image * Cols^T} per channel. {@link #transpose} is its exact
 * adjoint, {@code <apply(x), g> == <x, transpose(g)>}, which is the exact input gradient.
 */
final class Separable {
  private final Axis rows;
  private final Axis cols;

  Separable(Axis rows, Axis cols) {
    this.rows = rows;
    this.cols = cols;
  }

  /** Applies the map to one planar image of {@code channels} channels; {@code dst} gets the same shape. */
  void apply(float[] src, int srcOffset, int channels, float[] dst, int dstOffset) {
    int h = rows.in;
    int w = cols.in;
    double[] tmp = new double[h * cols.out];
    for (int c = 0; c < channels; c++) {
      int plane = srcOffset + c * h * w;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < cols.out; x++) {
          double s = 0;
          for (int t = 0; t < cols.index[x].length; t++) {
            s += cols.weight[x][t] * src[plane + y * w + cols.index[x][t]];
          }
          tmp[y * cols.out + x] = s;
        }
      }
      int outPlane = dstOffset + c * rows.out * cols.out;
      for (int y = 0; y < rows.out; y++) {
        for (int x = 0; x < cols.out; x++) {
          double s = 0;
          for (int t = 0; t < rows.index[y].length; t++) {
            s += rows.weight[y][t] * tmp[rows.index[y][t] * cols.out + x];
          }
          dst[outPlane + y * cols.out + x] = (float) s;
        }
      }
    }
  }

  /**
   * The adjoint: given d loss / d output, planar, from {@code offset}, writes d loss / d input to
   * {@code gradIn} from {@code offset}.
   */
  void transpose(float[] gradOut, int offset, int channels, float[] gradIn) {
    int h = rows.in;
    int w = cols.in;
    for (int c = 0; c < channels; c++) {
      double[] tmp = new double[h * cols.out];
      int outPlane = offset + c * rows.out * cols.out;
      for (int y = 0; y < rows.out; y++) {
        for (int x = 0; x < cols.out; x++) {
          double g = gradOut[outPlane + y * cols.out + x];
          for (int t = 0; t < rows.index[y].length; t++) {
            tmp[rows.index[y][t] * cols.out + x] += rows.weight[y][t] * g;
          }
        }
      }
      double[] in = new double[h * w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < cols.out; x++) {
          double g = tmp[y * cols.out + x];
          for (int t = 0; t < cols.index[x].length; t++) {
            in[y * w + cols.index[x][t]] += cols.weight[x][t] * g;
          }
        }
      }
      int inPlane = offset + c * h * w;
      for (int i = 0; i < h * w; i++) {
        gradIn[inPlane + i] = (float) in[i];
      }
    }
  }
}
