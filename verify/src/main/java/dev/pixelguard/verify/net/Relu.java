package dev.pixelguard.verify.net;

/**
 * max(x, 0). Where the pre-activation's bounds [l, u] straddle zero, the output is kept between the two
 * parallel lines lambda x and lambda (x - l) with lambda = u / (u - l) (rounded up), the tightest such pair
 * (Wong and Kolter 2018; DeepZ): the affine part scales by lambda, the radius grows by -lambda l / 2.
 */
final class Relu implements Layer {
  private final Shape shape;
  private final String name;

  Relu(String name, Shape shape) {
    this.name = name;
    this.shape = shape;
  }

  @Override
  public Shape out() {
    return shape;
  }

  @Override
  public double[] forward(double[][] x) {
    double[] y = new double[shape.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.max(x[0][i], 0);
    }
    return y;
  }


  @Override
  public Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Box box) {
    Zone z = zin[0];
    Zone o = new Zone(shape, z.vars, z.y0, z.y1, z.x0, z.x1);
    double[] cin = clean[0];
    for (int c = 0; c < shape.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        for (int x = z.x0; x < z.x1; x++) {
          int j = z.at(c, y, x);
          int i = shape.index(c, y, x);
          double ci = cin[i];
          double co = cleanOut[i];
          double lo = ci + z.minDelta(j, box) - z.r[j];
          double hi = ci + z.maxDelta(j, box) + z.r[j];
          if (lo >= 0) {
            o.d[0][j] = ci - co + z.d[0][j];
            for (int k = 1; k <= z.vars; k++) {
              o.d[k][j] = z.d[k][j];
            }
            o.r[j] = z.r[j];
          } else if (hi <= 0) {
            o.d[0][j] = -co;
            o.r[j] = 0;
          } else {
            double lambda = hi / (hi - lo);
            o.d[0][j] = lambda * (ci + z.d[0][j]) - 0.5 * lambda * lo - co;
            for (int k = 1; k <= z.vars; k++) {
              o.d[k][j] = lambda * z.d[k][j];
            }
            o.r[j] = lambda * z.r[j] - 0.5 * lambda * lo;
          }
        }
      }
    }
    return o;
  }

  @Override
  public String describe() {
    return name;
  }
}
