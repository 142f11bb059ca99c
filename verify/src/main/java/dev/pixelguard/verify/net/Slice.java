package dev.pixelguard.verify.net;

/** Every step-th channel, row and column from a start (ONNX {@code Slice} with positive steps on C, H and W). */
final class Slice extends Layer {
  private final Shape in;
  private final int[] start;
  private final int[] step;

  /** @param start per axis (C, H, W) the first index; @param step per axis, positive; @param count per axis */
  Slice(String name, Shape in, int[] start, int[] step, int[] count) {
    super(name, new Shape(count[0], count[1], count[2]));
    this.in = in;
    this.start = start.clone();
    this.step = step.clone();
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    for (int c = 0; c < out.c(); c++) {
      for (int yy = 0; yy < out.h(); yy++) {
        for (int xx = 0; xx < out.w(); xx++) {
          y[out.index(c, yy, xx)] =
              x[0][in.index(start[0] + c * step[0], start[1] + yy * step[1], start[2] + xx * step[2])];
        }
      }
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    int oy0 = Math.max(0, Conv.ceilDiv(z.y0 - start[1], step[1]));
    int oy1 = Math.min(out.h(), Math.floorDiv(z.y1 - 1 - start[1], step[1]) + 1);
    int ox0 = Math.max(0, Conv.ceilDiv(z.x0 - start[2], step[2]));
    int ox1 = Math.min(out.w(), Math.floorDiv(z.x1 - 1 - start[2], step[2]) + 1);
    Zone o = new Zone(out, z.vars, oy0, oy1, ox0, ox1);
    if (o.isEmpty()) {
      return o;
    }
    for (int c = 0; c < out.c(); c++) {
      int ic = start[0] + c * step[0];
      for (int y = o.y0; y < o.y1; y++) {
        for (int x = o.x0; x < o.x1; x++) {
          int j = z.at(ic, start[1] + y * step[1], start[2] + x * step[2]);
          int jo = o.at(c, y, x);
          for (int k = 0; k <= z.vars; k++) {
            o.d[k][jo] = z.d[k][j];
          }
          o.r[jo] = z.r[j];
        }
      }
    }
    return o;
  }

  @Override
  String describe() {
    return name + " " + in + "->" + out;
  }
}
