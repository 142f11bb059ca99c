package dev.pixelguard.verify.net;

/**
 * y = a x + b elementwise, with a and b given per element (broadcast by the reader): ONNX's {@code Sub},
 * {@code Div}, {@code Mul} and {@code Add} by a constant, {@code BatchNormalization} at inference, and the
 * model's input scaling and normalisation.
 */
final class Affine extends Layer {
  private final double[] a;
  private final double[] b;
  private final double maxA;

  Affine(String name, Shape out, double[] a, double[] b) {
    super(name, out);
    if (a.length != out.size() || b.length != out.size()) {
      throw new IllegalArgumentException(name + ": scale and shift need " + out.size() + " values");
    }
    this.a = a;
    this.b = b;
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    this.maxA = m;
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a[i] * x[0][i] + b[i];
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    Zone o = new Zone(out, z.vars, z.y0, z.y1, z.x0, z.x1);
    for (int c = 0; c < out.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        for (int x = z.x0; x < z.x1; x++) {
          int j = z.at(c, y, x);
          double s = a[out.index(c, y, x)];
          for (int k = 0; k <= z.vars; k++) {
            o.d[k][j] = s * z.d[k][j];
          }
          o.r[j] = Math.abs(s) * z.r[j];
        }
      }
    }
    return o;
  }

  @Override
  String describe() {
    return name + " (scale and shift)";
  }
}
