package dev.pixelguard.verify.net;

/**
 * The values a node can take while one pixel's colour v ranges over a {@link Box}: for every element i,
 *
 * <pre>  z_i(v) in  clean_i + d0_i + sum_k dk_i s_k  +/-  r_i</pre>
 *
 * where clean is the node's value on the unchanged image (computed once per image), the affine part (d0, dk)
 * is kept exactly in the symbols s of the {@link Domain}: the pixel's C colour variables, then the error symbols
 * of unstable ReLUs made so far, and r is a radius that absorbs what the other relaxations lose. A single pixel reaches only its receptive field, so the deltas live in a window of
 * rows and columns (all channels); outside it every delta and radius is zero. This is a zonotope with C
 * generators and a box for the rest, in the manner of DeepZ (Singh et al., NeurIPS 2018) and Neurify's
 * symbolic intervals (Wang et al., NeurIPS 2018). Arithmetic is double precision; the verifier's margin covers
 * its rounding (see {@link dev.pixelguard.verify.VerifySettings#margin()}).
 */
final class Zone {
  final Shape shape;
  /** The number of symbols the zone is affine in: the first {@code vars} of its {@link Domain}. */
  final int vars;
  final int y0;
  final int y1;
  final int x0;
  final int x1;
  /** d[0] the constant delta, d[k + 1] the coefficient of symbol k; each [c][wy][wx] over the window. */
  final double[][] d;
  final double[] r;

  Zone(Shape shape, int vars, int y0, int y1, int x0, int x1) {
    this.shape = shape;
    this.vars = vars;
    this.y0 = Math.max(0, y0);
    this.y1 = Math.min(shape.h(), Math.max(this.y0, y1));
    this.x0 = Math.max(0, x0);
    this.x1 = Math.min(shape.w(), Math.max(this.x0, x1));
    int n = shape.c() * wh() * ww();
    d = new double[vars + 1][n];
    r = new double[n];
  }

  /**
   * The zone of a node the pixel does not reach (every input's zone is empty): an empty window, or for a vector
   * (which always covers the whole tensor) every delta zero.
   */
  static Zone none(Shape shape, int vars) {
    return shape.isVector() ? full(shape, vars) : new Zone(shape, vars, 0, 0, 0, 0);
  }

  /** A zone covering the whole tensor (vectors always do). */
  static Zone full(Shape shape, int vars) {
    return new Zone(shape, vars, 0, shape.h(), 0, shape.w());
  }

  int wh() {
    return y1 - y0;
  }

  int ww() {
    return x1 - x0;
  }

  boolean isEmpty() {
    return wh() == 0 || ww() == 0;
  }

  boolean contains(int y, int x) {
    return y >= y0 && y < y1 && x >= x0 && x < x1;
  }

  /** The window index of element (c, y, x), which must lie in the window. */
  int at(int c, int y, int x) {
    return (c * wh() + (y - y0)) * ww() + (x - x0);
  }

  /** Lower bound of element i's delta (without clean and r) over the domain. */
  double minDelta(int i, Domain dom) {
    return d[0][i] + dom.min(d, i, vars);
  }

  /** Upper bound of element i's delta (without clean and r) over the domain. */
  double maxDelta(int i, Domain dom) {
    return d[0][i] + dom.max(d, i, vars);
  }
}
