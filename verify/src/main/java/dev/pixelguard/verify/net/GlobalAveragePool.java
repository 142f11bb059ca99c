package dev.pixelguard.verify.net;

/** The mean of each channel (ONNX {@code GlobalAveragePool}); the output is a vector of C values. */
final class GlobalAveragePool extends Layer {
  private final Shape in;

  GlobalAveragePool(String name, Shape in) {
    super(name, Shape.vector(in.c()));
    this.in = in;
  }

  @Override
  double[] forward(double[][] x) {
    int plane = in.h() * in.w();
    double[] y = new double[in.c()];
    for (int c = 0; c < in.c(); c++) {
      double s = 0;
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        s += x[0][i];
      }
      y[c] = s / plane;
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    Zone o = Zone.full(out, z.vars);
    double inv = 1.0 / (in.h() * in.w());
    int plane = z.wh() * z.ww();
    for (int c = 0; c < in.c(); c++) {
      for (int k = 0; k <= z.vars; k++) {
        double s = 0;
        for (int i = c * plane; i < (c + 1) * plane; i++) {
          s += z.d[k][i];
        }
        o.d[k][c] = s * inv;
      }
      double s = 0;
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        s += z.r[i];
      }
      o.r[c] = s * inv;
    }
    return o;
  }
}
