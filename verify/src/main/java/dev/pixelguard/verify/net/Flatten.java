package dev.pixelguard.verify.net;

/** The tensor as a vector, row-major (ONNX {@code Flatten} with axis 1, or a {@code Reshape} to [N, -1]). */
final class Flatten extends Layer {
  private final Shape in;

  Flatten(String name, Shape in) {
    super(name, Shape.vector(in.size()));
    this.in = in;
  }

  @Override
  double[] forward(double[][] x) {
    return x[0].clone();
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    Zone o = Zone.full(out, z.vars);
    for (int c = 0; c < in.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        for (int x = z.x0; x < z.x1; x++) {
          int j = z.at(c, y, x);
          int i = in.index(c, y, x);
          for (int k = 0; k <= z.vars; k++) {
            o.d[k][i] = z.d[k][j];
          }
          o.r[i] = z.r[j];
        }
      }
    }
    return o;
  }
}
