package dev.pixelguard.attack.square;

import dev.pixelguard.attack.AttackTask;

/**
 * One image's L2 Square search (Andriushchenko et al. 2020, section 3.2), one candidate a request. The
 * perturbation always has L2 norm eps (before clipping to [0, 1]).
 *
 * <ul>
 *   <li>It starts from a grid of square tiles, each holding a pseudo-Gaussian bump of random sign per channel.
 *   <li>Each step picks two windows of the scheduled side. Per channel, the second window's mass, the first
 *       window's own mass and any norm budget left over move into the first window. There they form a fresh
 *       bump of random sign, added to the window's old direction, and the second window is cleared. The
 *       change is kept when the goal's margin falls.
 * </ul>
 */
final class SquareL2Search extends SquareBase {
  private final float[] base;
  private final double eps;
  private double[] delta; // the current perturbation, planar
  private double[] candidate;

  SquareL2Search(SquareAttack attack, AttackTask task) {
    super(attack, task);
    this.base = new float[channels * height * width];
    task.image().writeUnit(base, 0);
    this.eps = attack.eps();
    this.delta = start();
    this.candidate = delta;
  }

  /** Tiles of side about a fifth of the image, each a bump of random sign per channel, scaled to norm eps. */
  private double[] start() {
    double[] d = new double[base.length];
    int tile = Math.max(1, Math.min(height, width) / 5);
    for (int top = 0; top + tile <= height; top += tile) {
      for (int left = 0; left + tile <= width; left += tile) {
        double[][] bump = bump(tile);
        for (int c = 0; c < channels; c++) {
          double s = random.nextBoolean() ? 1 : -1;
          for (int y = 0; y < tile; y++) {
            for (int x = 0; x < tile; x++) {
              d[(c * height + top + y) * width + left + x] = s * bump[y][x];
            }
          }
        }
      }
    }
    scale(d, eps / norm(d));
    return d;
  }

  /**
   * A pseudo-Gaussian bump of side {@code s}, unit L2 norm: two halves of nested rectangles weighted by
   * 1/(ring+1)^2, of opposite signs, transposed half of the time.
   */
  private double[][] bump(int s) {
    double[][] b = new double[s][s];
    int upper = s / 2;
    nested(b, 0, upper, s, 1);
    nested(b, upper, s - upper, s, -1);
    if (random.nextBoolean()) {
      double[][] t = new double[s][s];
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          t[x][y] = b[y][x];
        }
      }
      b = t;
    }
    double n = 0;
    for (double[] row : b) {
      for (double v : row) {
        n += v * v;
      }
    }
    n = Math.sqrt(n);
    for (double[] row : b) {
      for (int x = 0; x < row.length; x++) {
        row[x] = n == 0 ? 0 : row[x] / n;
      }
    }
    return b;
  }

  /** Fills rows [top, top + rows) of {@code b} with nested rectangles around their centre, times {@code sign}. */
  private static void nested(double[][] b, int top, int rows, int cols, double sign) {
    if (rows <= 0) {
      return;
    }
    int cy = rows / 2;
    int cx = cols / 2;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int ring = Math.max(Math.abs(y - cy), Math.abs(x - cx));
        double v = 0;
        for (int k = ring; k <= Math.max(rows, cols); k++) {
          v += 1.0 / ((k + 1.0) * (k + 1.0));
        }
        b[top + y][x] = sign * v;
      }
    }
  }

  private static double norm(double[] d) {
    double s = 0;
    for (double v : d) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  private static void scale(double[] d, double f) {
    for (int i = 0; i < d.length; i++) {
      d[i] *= f;
    }
  }

  @Override
  protected void writeCandidate(float[] dst, int offset) {
    for (int i = 0; i < candidate.length; i++) {
      dst[offset + i] = (float) Math.max(0, Math.min(1, base[i] + candidate[i]));
    }
  }

  @Override
  protected void keepCandidate() {
    delta = candidate;
  }

  @Override
  protected float[] current() {
    float[] v = new float[base.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.max(0, Math.min(1, base[i] + delta[i]));
    }
    return v;
  }

  /** The current perturbation with one window's mass moved into another and redrawn, as the candidate. */
  @Override
  protected void step() {
    double p = attack.share(queries() - 1);
    int side = (int) Math.round(Math.sqrt(p * height * width));
    side = Math.max(3, side);
    if (side % 2 == 0) {
      side++;
    }
    side = Math.min(side, Math.min(height, width) - 1);
    int top1 = random.nextInt(height - side + 1);
    int left1 = random.nextInt(width - side + 1);
    int top2;
    int left2;
    do {
      top2 = random.nextInt(height - side + 1);
      left2 = random.nextInt(width - side + 1);
    } while (top2 == top1 && left2 == left1 && (height - side + 1) * (width - side + 1) > 1);
    double[] d = delta.clone();
    double free = Math.max(0, eps * eps - norm(d) * norm(d)) / channels;
    double[][] bump = bump(side);
    for (int c = 0; c < channels; c++) {
      double in1 = 0;
      double in2 = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double v1 = d[(c * height + top1 + y) * width + left1 + x];
          in1 += v1 * v1;
          int y2 = top2 + y;
          int x2 = left2 + x;
          if (!inside(y2, x2, top1, left1, side)) {
            double v2 = d[(c * height + y2) * width + x2];
            in2 += v2 * v2;
          }
        }
      }
      double n1 = Math.sqrt(in1);
      double target = Math.sqrt(in1 + in2 + free);
      double s = random.nextBoolean() ? 1 : -1;
      double[] fresh = new double[side * side];
      double freshNorm = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double old = d[(c * height + top1 + y) * width + left1 + x] / (n1 + 1e-10);
          double v = s * bump[y][x] + old;
          fresh[y * side + x] = v;
          freshNorm += v * v;
        }
      }
      freshNorm = Math.sqrt(freshNorm);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int y2 = top2 + y;
          int x2 = left2 + x;
          if (!inside(y2, x2, top1, left1, side)) {
            d[(c * height + y2) * width + x2] = 0;
          }
        }
      }
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          d[(c * height + top1 + y) * width + left1 + x] =
              freshNorm == 0 ? 0 : fresh[y * side + x] / freshNorm * target;
        }
      }
    }
    candidate = d;
  }

  private static boolean inside(int y, int x, int top, int left, int side) {
    return y >= top && y < top + side && x >= left && x < left + side;
  }
}
