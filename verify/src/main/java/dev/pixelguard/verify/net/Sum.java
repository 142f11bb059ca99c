package dev.pixelguard.verify.net;

/** alpha x + beta y of two tensors of one shape (ONNX {@code Add}, or {@code Sub} with beta = -1): residual branches. */
final class Sum extends Layer {
  private final double alpha;
  private final double beta;

  Sum(String name, Shape out, double alpha, double beta) {
    super(name, out);
    this.alpha = alpha;
    this.beta = beta;
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = alpha * x[0][i] + beta * x[1][i];
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone a = zin[0];
    Zone b = zin[1];
    Zone o;
    int vars = Math.max(a.vars, b.vars); // the branches may have made error symbols of their own
    if (a.isEmpty()) { // not both: the net passes an unreached node on as Zone.none
      o = new Zone(out, vars, b.y0, b.y1, b.x0, b.x1);
    } else if (b.isEmpty()) {
      o = new Zone(out, vars, a.y0, a.y1, a.x0, a.x1);
    } else {
      o = new Zone(out, vars, Math.min(a.y0, b.y0), Math.max(a.y1, b.y1), Math.min(a.x0, b.x0),
          Math.max(a.x1, b.x1));
    }
    add(a, alpha, o);
    add(b, beta, o);
    return o;
  }

  private static void add(Zone z, double s, Zone o) {
    for (int c = 0; c < z.shape.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        int src = z.at(c, y, z.x0);
        int dst = o.at(c, y, z.x0);
        for (int x = 0; x < z.ww(); x++) {
          for (int k = 0; k <= z.vars; k++) {
            o.d[k][dst + x] += s * z.d[k][src + x];
          }
          o.r[dst + x] += Math.abs(s) * z.r[src + x];
        }
      }
    }
  }
}
