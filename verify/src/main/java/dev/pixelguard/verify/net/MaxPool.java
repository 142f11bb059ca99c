package dev.pixelguard.verify.net;

/**
 * 2-D max pooling (ONNX {@code MaxPool}, pads never win). Where one cell's lower bound beats every other
 * cell's upper bound the output is that cell, exactly. Otherwise the output lies between the leading cell
 * (largest lower bound) and the largest of all cells: it is kept either as that cell's affine part with a
 * radius wide enough for every other cell, or as the interval from the largest lower bound to the largest
 * upper bound, whichever is narrower.
 */
final class MaxPool extends Layer {
  private final Shape in;
  private final int kh;
  private final int kw;
  private final int sh;
  private final int sw;
  private final int pt;
  private final int pl;

  MaxPool(String name, Shape in, int kh, int kw, int sh, int sw, int[] pads) {
    super(name, new Shape(in.c(), (in.h() + pads[0] + pads[2] - kh) / sh + 1,
        (in.w() + pads[1] + pads[3] - kw) / sw + 1));
    this.in = in;
    this.kh = kh;
    this.kw = kw;
    this.sh = sh;
    this.sw = sw;
    this.pt = pads[0];
    this.pl = pads[1];
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    for (int c = 0; c < out.c(); c++) {
      for (int oy = 0; oy < out.h(); oy++) {
        for (int ox = 0; ox < out.w(); ox++) {
          double m = Double.NEGATIVE_INFINITY;
          for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sh - pt + ky;
            for (int kx = 0; kx < kw; kx++) {
              int ix = ox * sw - pl + kx;
              if (iy >= 0 && iy < in.h() && ix >= 0 && ix < in.w()) {
                m = Math.max(m, x[0][in.index(c, iy, ix)]);
              }
            }
          }
          y[out.index(c, oy, ox)] = m;
        }
      }
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    int[] rows = Conv.reach(z.y0, z.y1, pt, kh, sh, out.h());
    int[] cols = Conv.reach(z.x0, z.x1, pl, kw, sw, out.w());
    Zone o = new Zone(out, z.vars, rows[0], rows[1], cols[0], cols[1]);
    double[] cin = clean[0];
    int cells = kh * kw;
    double[] lo = new double[cells];
    double[] hi = new double[cells];
    int[] where = new int[cells];
    int[] flat = new int[cells];
    for (int c = 0; c < out.c(); c++) {
      for (int oy = o.y0; oy < o.y1; oy++) {
        for (int ox = o.x0; ox < o.x1; ox++) {
          int n = 0;
          for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sh - pt + ky;
            for (int kx = 0; kx < kw; kx++) {
              int ix = ox * sw - pl + kx;
              if (iy < 0 || iy >= in.h() || ix < 0 || ix >= in.w()) {
                continue;
              }
              int i = in.index(c, iy, ix);
              flat[n] = i;
              if (z.contains(iy, ix)) {
                int j = z.at(c, iy, ix);
                where[n] = j;
                lo[n] = cin[i] + z.minDelta(j, dom) - z.r[j];
                hi[n] = cin[i] + z.maxDelta(j, dom) + z.r[j];
              } else {
                where[n] = -1;
                lo[n] = cin[i];
                hi[n] = cin[i];
              }
              n++;
            }
          }
          int best = 0;
          for (int q = 1; q < n; q++) {
            if (lo[q] > lo[best]) {
              best = q;
            }
          }
          double otherHi = Double.NEGATIVE_INFINITY;
          double allHi = hi[best];
          for (int q = 0; q < n; q++) {
            if (q != best) {
              otherHi = Math.max(otherHi, hi[q]);
              allHi = Math.max(allHi, hi[q]);
            }
          }
          int jo = o.at(c, oy, ox);
          double co = cleanOut[out.index(c, oy, ox)];
          if (lo[best] >= otherHi) {
            double cb = cin[flat[best]];
            int j = where[best];
            if (j >= 0) {
              o.d[0][jo] = cb - co + z.d[0][j];
              for (int k = 1; k <= z.vars; k++) {
                o.d[k][jo] = z.d[k][j];
              }
              o.r[jo] = z.r[j];
            } else {
              o.d[0][jo] = cb - co;
            }
          } else {
            // Either an interval, or the leading cell's affine part with a radius that covers every other cell
            // (keeping the dependence on the colour): whichever is narrower.
            double l = lo[best];
            double boxRadius = 0.5 * (allHi - l);
            int j = where[best];
            double affineRadius = Double.POSITIVE_INFINITY;
            if (j >= 0) {
              double cb = cin[flat[best]];
              affineRadius = z.r[j];
              for (int q = 0; q < n; q++) {
                if (q == best) {
                  continue;
                }
                int jq = where[q];
                double gap = cin[flat[q]] - cb + (jq >= 0 ? z.r[jq] : 0);
                double s = jq >= 0 ? z.d[0][jq] - z.d[0][j] : -z.d[0][j];
                for (int k = 0; k < z.vars; k++) {
                  double a = (jq >= 0 ? z.d[k + 1][jq] : 0) - z.d[k + 1][j];
                  s += a >= 0 ? a * dom.hi[k] : a * dom.lo[k];
                }
                affineRadius = Math.max(affineRadius, gap + s);
              }
            }
            if (affineRadius < boxRadius) {
              double cb = cin[flat[best]];
              o.d[0][jo] = cb - co + z.d[0][j];
              for (int k = 1; k <= z.vars; k++) {
                o.d[k][jo] = z.d[k][j];
              }
              o.r[jo] = affineRadius;
            } else {
              o.d[0][jo] = 0.5 * (l + allHi) - co;
              o.r[jo] = boxRadius;
            }
          }
        }
      }
    }
    return o;
  }

  @Override
  String describe() {
    return name + " " + kh + "x" + kw + (sh > 1 ? " stride " + sh : "");
  }
}
