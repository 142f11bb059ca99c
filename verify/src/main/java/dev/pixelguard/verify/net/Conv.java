package dev.pixelguard.verify.net;

/**
 * A 2-D convolution (ONNX {@code Conv}, NCHW, with groups, strides, dilations and explicit pads), with bias.
 * Also serves average pooling ({@link #averagePool}), a depthwise convolution with equal weights.
 */
final class Conv extends Layer {
  private final Shape in;
  private final int groups;
  private final int cinG;
  private final int coutG;
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final int pt;
  private final int pl;
  private final int dh;
  private final int dw;
  private final double[] w;
  private final double[] wabs;
  private final double[] b;

  /**
   * @param w weights [cout][cin / groups][kh][kw], row-major
   * @param b bias [cout], or null for none
   */
  Conv(String name, Shape in, int cout, int groups, int kh, int kw, int sh, int sw, int[] pads, int dh, int dw,
      double[] w, double[] b) {
    super(name, new Shape(cout, (in.h() + pads[0] + pads[2] - dh * (kh - 1) - 1) / sh + 1,
        (in.w() + pads[1] + pads[3] - dw * (kw - 1) - 1) / sw + 1));
    if (in.c() % groups != 0 || cout % groups != 0) {
      throw new IllegalArgumentException("channels " + in.c() + " -> " + cout + " do not divide into " + groups + " groups");
    }
    this.in = in;
    this.groups = groups;
    this.cinG = in.c() / groups;
    this.coutG = cout / groups;
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.pt = pads[0];
    this.pl = pads[1];
    this.dh = dh;
    this.dw = dw;
    if (w.length != cout * cinG * kh * kw) {
      throw new IllegalArgumentException(name + ": weights hold " + w.length + " values, expected " + cout * cinG * kh * kw);
    }
    this.w = w;
    this.b = b == null ? new double[cout] : b;
    this.wabs = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      wabs[i] = Math.abs(w[i]);
    }
  }

  /** Average pooling with count_include_pad semantics: each output the mean of its k x k cells, pads as zero. */
  static Conv averagePool(String name, Shape in, int kh, int kw, int sh, int sw, int[] pads) {
    double[] w = new double[in.c() * kh * kw];
    java.util.Arrays.fill(w, 1.0 / (kh * kw));
    return new Conv(name, in, in.c(), in.c(), kh, kw, sh, sw, pads, 1, 1, w, null);
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    int plane = out.h() * out.w();
    for (int oc = 0; oc < out.c(); oc++) {
      java.util.Arrays.fill(y, oc * plane, (oc + 1) * plane, b[oc]);
    }
    accumulate(x[0], 0, in.h(), 0, in.w(), y, 0, out.h(), 0, out.w(), w);
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    int[] rows = reach(z.y0, z.y1, pt, dh * (kh - 1) + 1, sh, out.h());
    int[] cols = reach(z.x0, z.x1, pl, dw * (kw - 1) + 1, sw, out.w());
    Zone o = new Zone(out, z.vars, rows[0], rows[1], cols[0], cols[1]);
    if (o.isEmpty()) {
      return o;
    }
    for (int k = 0; k <= z.vars; k++) {
      accumulate(z.d[k], z.y0, z.y1, z.x0, z.x1, o.d[k], o.y0, o.y1, o.x0, o.x1, w);
    }
    accumulate(z.r, z.y0, z.y1, z.x0, z.x1, o.r, o.y0, o.y1, o.x0, o.x1, wabs);
    return o;
  }

  /**
   * dst += conv(src) over dst's rows [dy0, dy1) and columns [dx0, dx1), reading only src's rows [sy0, sy1) and
   * columns [sx0, sx1) (elsewhere src counts as zero); both arrays hold all channels over their windows.
   */
  private void accumulate(double[] src, int sy0, int sy1, int sx0, int sx1, double[] dst, int dy0, int dy1, int dx0,
      int dx1, double[] weights) {
    int sH = sy1 - sy0;
    int sW = sx1 - sx0;
    int dH = dy1 - dy0;
    int dW = dx1 - dx0;
    for (int oc = 0; oc < out.c(); oc++) {
      int g = oc / coutG;
      for (int icg = 0; icg < cinG; icg++) {
        int ic = g * cinG + icg;
        for (int ky = 0; ky < kh; ky++) {
          int offY = ky * dh - pt;
          int oyA = Math.max(dy0, ceilDiv(sy0 - offY, sh));
          int oyB = Math.min(dy1 - 1, Math.floorDiv(sy1 - 1 - offY, sh));
          if (oyA > oyB) {
            continue;
          }
          for (int kx = 0; kx < kw; kx++) {
            double wv = weights[((oc * cinG + icg) * kh + ky) * kw + kx];
            if (wv == 0) {
              continue;
            }
            int offX = kx * dw - pl;
            int oxA = Math.max(dx0, ceilDiv(sx0 - offX, sw));
            int oxB = Math.min(dx1 - 1, Math.floorDiv(sx1 - 1 - offX, sw));
            if (oxA > oxB) {
              continue;
            }
            for (int oy = oyA; oy <= oyB; oy++) {
              int iy = oy * sh + offY;
              int srcRow = (ic * sH + iy - sy0) * sW - sx0 + offX;
              int dstRow = (oc * dH + oy - dy0) * dW - dx0;
              if (sw == 1) {
                for (int ox = oxA; ox <= oxB; ox++) {
                  dst[dstRow + ox] += wv * src[srcRow + ox];
                }
              } else {
                for (int ox = oxA; ox <= oxB; ox++) {
                  dst[dstRow + ox] += wv * src[srcRow + ox * sw];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * The output indices [from, to) whose window reaches input indices [lo, hi), for windows spanning {@code span}
   * inputs with the given stride and leading pad, clipped to [0, size): along rows or columns, for convolution and
   * pooling alike.
   */
  static int[] reach(int lo, int hi, int pad, int span, int stride, int size) {
    return new int[] {Math.max(0, ceilDiv(lo + pad - (span - 1), stride)),
        Math.min(size, Math.floorDiv(hi - 1 + pad, stride) + 1)};
  }

  static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }

  @Override
  String describe() {
    return name + " " + in.c() + "->" + out.c() + " " + kh + "x" + kw + (sh > 1 ? " stride " + sh : "")
        + (groups > 1 ? " groups " + groups : "");
  }
}
