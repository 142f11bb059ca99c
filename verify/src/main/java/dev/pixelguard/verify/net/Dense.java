package dev.pixelguard.verify.net;

/**
 * A dense layer y = W x + b (ONNX {@code Gemm} or {@code MatMul}); x is the input tensor read row-major, so a
 * preceding {@code Flatten} needs no layer of its own and the input's window is kept.
 */
final class Dense extends Layer {
  private final Shape in;
  private final int n;
  private final double[] w;
  private final double[] b;

  /**
   * @param w weights [out][in], row-major
   * @param b bias [out], or null
   */
  Dense(String name, Shape in, int outputs, double[] w, double[] b) {
    super(name, Shape.vector(outputs));
    this.in = in;
    this.n = in.size();
    if (w.length != outputs * n) {
      throw new IllegalArgumentException(name + ": weights hold " + w.length + " values, expected " + outputs * n);
    }
    this.w = w;
    this.b = b == null ? new double[outputs] : b;
  }

  int outputs() {
    return out.c();
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.c()];
    double[] v = x[0];
    for (int o = 0; o < y.length; o++) {
      double s = b[o];
      int base = o * n;
      for (int i = 0; i < n; i++) {
        s += w[base + i] * v[i];
      }
      y[o] = s;
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    Zone o = Zone.full(out, z.vars);
    double[] acc = new double[z.vars + 2];
    for (int j = 0; j < out.c(); j++) {
      row(z, w, j * n, null, acc);
      for (int k = 0; k <= z.vars; k++) {
        o.d[k][j] = acc[k];
      }
      o.r[j] = acc[z.vars + 1];
    }
    return o;
  }

  /**
   * The affine part and radius of (row . x) over the zone's window: acc[0..vars] the deltas' dot products with
   * weights w[base..] (minus w2[base2..] when given: a difference of rows), acc[vars + 1] the |row| . r sum.
   */
  private void row(Zone z, double[] wa, int base, double[] wb, double[] acc) {
    java.util.Arrays.fill(acc, 0);
    int vars = z.vars;
    int wy = z.wh();
    int wx = z.ww();
    for (int c = 0; c < in.c(); c++) {
      for (int y = 0; y < wy; y++) {
        int src = in.index(c, z.y0 + y, z.x0);
        int j = (c * wy + y) * wx;
        for (int x = 0; x < wx; x++) {
          double wv = wb == null ? wa[base + src + x] : wa[src + x] - wb[src + x];
          for (int k = 0; k <= vars; k++) {
            acc[k] += wv * z.d[k][j + x];
          }
          acc[vars + 1] += Math.abs(wv) * z.r[j + x];
        }
      }
    }
  }

  /**
   * Lower bounds on the margins y_t - y_j for every class j (y_t itself gets +infinity) when this is the last
   * layer, computed from the difference of rows so that what the classes share cancels.
   *
   * @param z the input's zone
   * @param clean the input's clean values
   * @param t the class whose margin is bounded
   */
  Margins margins(Zone z, double[] clean, Domain dom, int t) {
    int classes = out.c();
    double[] lower = new double[classes];
    double[][] coef = new double[classes][];
    double[] radius = new double[classes];
    double[] acc = new double[z.vars + 2];
    double[] wt = java.util.Arrays.copyOfRange(w, t * n, (t + 1) * n);
    for (int j = 0; j < classes; j++) {
      if (j == t) {
        lower[j] = Double.POSITIVE_INFINITY;
        continue;
      }
      double[] wj = java.util.Arrays.copyOfRange(w, j * n, (j + 1) * n);
      double base = b[t] - b[j];
      for (int i = 0; i < n; i++) {
        base += (wt[i] - wj[i]) * clean[i];
      }
      row(z, wt, 0, wj, acc);
      acc[0] += base;
      Margins.Bound m = Margins.Bound.of(acc, acc[z.vars + 1], z.vars, dom);
      coef[j] = m.coef();
      radius[j] = m.radius();
      lower[j] = m.lower();
    }
    return new Margins(t, lower, coef, radius);
  }

  @Override
  String describe() {
    return name + " " + n + "->" + out.c();
  }
}
