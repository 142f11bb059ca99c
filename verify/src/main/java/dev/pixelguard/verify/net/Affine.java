package dev.pixelguard.verify.net;

/**
 * y = a x + b elementwise, with a and b given per element (broadcast by the reader): ONNX's {@code Sub},
 * {@code Div}, {@code Mul} and {@code Add} by a constant, {@code BatchNormalization} at inference, and the
 * model's input scaling and normalisation.
 */
final class Affine implements Layer {
  private final Shape shape;
  private final double[] a;
  private final double[] b;
  private final double maxA;
  private final double aErr;
  private final double bErr;
  private final String name;

  /** Exact scale and shift. */
  Affine(String name, Shape shape, double[] a, double[] b) {
    this(name, shape, a, b, 0, 0);
  }

  /**
   * @param aErr a bound on |a_i - exact a_i| where a was itself computed (1 / std, batch norm's scale)
   * @param bErr a bound on |b_i - exact b_i|
   */
  Affine(String name, Shape shape, double[] a, double[] b, double aErr, double bErr) {
    if (a.length != shape.size() || b.length != shape.size()) {
      throw new IllegalArgumentException(name + ": scale and shift need " + shape.size() + " values");
    }
    this.name = name;
    this.shape = shape;
    this.a = a;
    this.b = b;
    this.aErr = aErr;
    this.bErr = bErr;
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    this.maxA = m;
  }

  @Override
  public Shape out() {
    return shape;
  }

  @Override
  public double[] forward(double[][] x) {
    double[] y = new double[a.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = a[i] * x[0][i] + b[i];
    }
    return y;
  }

  @Override
  public double error(double[][] x, double[] y, double[] inError) {
    double worst = 0;
    double maxX = 0;
    for (int i = 0; i < y.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] * x[0][i]) + Math.abs(b[i]));
      maxX = Math.max(maxX, Math.abs(x[0][i]));
    }
    return (maxA + aErr) * inError[0] + Rounding.slack(worst) + aErr * maxX + bErr;
  }

  @Override
  public Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, double[] inError, Box box) {
    Zone z = zin[0];
    Zone o = new Zone(shape, z.vars, z.y0, z.y1, z.x0, z.x1);
    for (int c = 0; c < shape.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        for (int x = z.x0; x < z.x1; x++) {
          int j = z.at(c, y, x);
          double s = a[shape.index(c, y, x)];
          double mag = z.r[j];
          for (int k = 0; k <= z.vars; k++) {
            o.d[k][j] = s * z.d[k][j];
            mag += Math.abs(z.d[k][j]);
          }
          o.r[j] = Math.abs(s) * z.r[j] + Rounding.slack(Math.abs(s) * mag) + aErr * mag;
        }
      }
    }
    return o;
  }

  @Override
  public String describe() {
    return name + " (scale and shift)";
  }
}
