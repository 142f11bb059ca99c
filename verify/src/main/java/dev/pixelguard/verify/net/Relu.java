package dev.pixelguard.verify.net;

/**
 * max(x, 0). Where the pre-activation's bounds [l, u] straddle zero, the output is kept between the two
 * parallel lines lambda x and lambda (x - l) with lambda = u / (u - l), the tightest such pair
 * (Wong and Kolter 2018; DeepZ): the affine part scales by lambda, and the half-width -lambda l / 2 becomes
 * the coefficient of an error symbol of its own ({@link Domain}), or, once those run out, grows the radius.
 */
final class Relu extends Layer {
  Relu(String name, Shape out) {
    super(name, out);
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.max(x[0][i], 0);
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    double[] cin = clean[0];
    int n = out.c() * z.wh() * z.ww();
    double[] lo = new double[n];
    double[] hi = new double[n];
    int[] flat = new int[n];
    int unstable = 0;
    for (int c = 0; c < out.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        for (int x = z.x0; x < z.x1; x++) {
          int j = z.at(c, y, x);
          int i = out.index(c, y, x);
          flat[j] = i;
          lo[j] = cin[i] + z.minDelta(j, dom) - z.r[j];
          hi[j] = cin[i] + z.maxDelta(j, dom) + z.r[j];
          unstable += lo[j] < 0 && hi[j] > 0 ? 1 : 0;
        }
      }
    }
    // The unstable elements that lose most (-lambda l / 2) get error symbols of their own, as many as are left.
    int[] symbol = new int[n];
    java.util.Arrays.fill(symbol, -1);
    int give = Math.min(unstable, dom.left());
    if (give > 0) {
      Integer[] order = new Integer[unstable];
      int q = 0;
      for (int j = 0; j < n; j++) {
        if (lo[j] < 0 && hi[j] > 0) {
          order[q++] = j;
        }
      }
      java.util.Arrays.sort(order, (p1, p2) -> {
        int by = Double.compare(loss(lo[p2], hi[p2]), loss(lo[p1], hi[p1]));
        return by != 0 ? by : Integer.compare(p1, p2);
      });
      int first = dom.take(give);
      for (int g = 0; g < give; g++) {
        symbol[order[g]] = first + g;
      }
    }
    Zone o = new Zone(out, give > 0 ? dom.symbols() : z.vars, z.y0, z.y1, z.x0, z.x1);
    for (int j = 0; j < n; j++) {
      double ci = cin[flat[j]];
      double co = cleanOut[flat[j]];
      if (lo[j] >= 0) {
        o.d[0][j] = ci - co + z.d[0][j];
        for (int k = 1; k <= z.vars; k++) {
          o.d[k][j] = z.d[k][j];
        }
        o.r[j] = z.r[j];
      } else if (hi[j] <= 0) {
        o.d[0][j] = -co;
      } else {
        double lambda = hi[j] / (hi[j] - lo[j]);
        double mu = -0.5 * lambda * lo[j];
        o.d[0][j] = lambda * (ci + z.d[0][j]) + mu - co;
        for (int k = 1; k <= z.vars; k++) {
          o.d[k][j] = lambda * z.d[k][j];
        }
        if (symbol[j] >= 0) {
          o.d[symbol[j] + 1][j] = mu;
          o.r[j] = lambda * z.r[j];
        } else {
          o.r[j] = lambda * z.r[j] + mu;
        }
      }
    }
    return o;
  }

  /** What the relaxation of an element with bounds [l, u] adds: the half-width -lambda l / 2. */
  private static double loss(double l, double u) {
    return -0.5 * u / (u - l) * l;
  }
}
