package dev.pixelguard.verify.net;

/** Constant padding of channels, rows and columns (ONNX {@code Pad}, mode constant, pads not negative). */
final class Pad extends Layer {
  private final Shape in;
  private final int cb;
  private final int hb;
  private final int wb;
  private final double value;

  /** @param pads channel, row and column pads: begins then ends, {cb, hb, wb, ce, he, we} */
  Pad(String name, Shape in, int[] pads, double value) {
    super(name, new Shape(in.c() + pads[0] + pads[3], in.h() + pads[1] + pads[4], in.w() + pads[2] + pads[5]));
    this.in = in;
    this.cb = pads[0];
    this.hb = pads[1];
    this.wb = pads[2];
    this.value = value;
  }

  @Override
  double[] forward(double[][] x) {
    double[] y = new double[out.size()];
    java.util.Arrays.fill(y, value);
    for (int c = 0; c < in.c(); c++) {
      for (int yy = 0; yy < in.h(); yy++) {
        System.arraycopy(x[0], in.index(c, yy, 0), y, out.index(c + cb, yy + hb, wb), in.w());
      }
    }
    return y;
  }

  @Override
  Zone bound(Zone[] zin, double[][] clean, double[] cleanOut, Domain dom) {
    Zone z = zin[0];
    Zone o = new Zone(out, z.vars, z.y0 + hb, z.y1 + hb, z.x0 + wb, z.x1 + wb);
    for (int c = 0; c < in.c(); c++) {
      for (int y = z.y0; y < z.y1; y++) {
        int src = z.at(c, y, z.x0);
        int dst = o.at(c + cb, y + hb, z.x0 + wb);
        for (int k = 0; k <= z.vars; k++) {
          System.arraycopy(z.d[k], src, o.d[k], dst, z.ww());
        }
        System.arraycopy(z.r, src, o.r, dst, z.ww());
      }
    }
    return o;
  }

  @Override
  String describe() {
    return name + " " + in + "->" + out;
  }
}
