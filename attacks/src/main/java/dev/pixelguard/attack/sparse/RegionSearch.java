package dev.pixelguard.attack.sparse;

import dev.pixelguard.attack.AttackTask;
import java.util.Arrays;

/**
 * One image's Sparse-RS search over a region of corner-coloured pixels: a square patch of side s that may move
 * ({@link SparseRs.Threat#PATCH}), or a frame of width w along the border ({@link SparseRs.Threat#FRAME}).
 *
 * <p>Step {@code i} (the i-th query after the first) updates either the patch's place or its content. The place
 * moves on every {@link SparseRs#locationPeriod()}-th step, by up to {@link Schedule#shift} pixels along each
 * axis (drawn again while it would not move; a frame never moves). Otherwise a square window of side
 * {@link Schedule#window} inside the region gets one random corner colour; a window of one pixel gets a colour
 * other than its own. From halfway through the budget left when the window first shrinks to one pixel, a
 * content step flips one channel of one pixel instead.
 */
final class RegionSearch extends RsSearch {
  private final boolean patch;
  private final int side; // the patch's side, or the frame's width
  private final int rows; // the content's grid: the patch, or the whole image for a frame
  private final int cols;
  private final int[] cells; // the region's cells in the content grid, row-major
  private final long channelUpdatesFrom;
  private int top;
  private int left;
  private int[] colour; // corner per content-grid cell (only region cells are used)
  private int candidateTop;
  private int candidateLeft;
  private int[] candidateColour;

  RegionSearch(SparseRs attack, AttackTask task) {
    super(attack, task);
    this.patch = attack.threat() == SparseRs.Threat.PATCH;
    this.side = attack.size();
    this.rows = patch ? side : height;
    this.cols = patch ? side : width;
    this.cells = patch ? allCells(side) : frameCells(height, width, side);
    this.colour = new int[rows * cols];
    if (patch) {
      top = random.nextInt(height - side + 1);
      left = random.nextInt(width - side + 1);
      randomSquares();
    } else {
      for (int cell : cells) {
        colour[cell] = random.nextInt(corners);
      }
    }
    long first = attack.budget();
    for (long i = 1; i < attack.budget(); i++) {
      if (window(i) == 1) {
        first = i;
        break;
      }
    }
    this.channelUpdatesFrom = first + (attack.budget() - first) / 2;
    candidateTop = top;
    candidateLeft = left;
    candidateColour = colour;
  }

  private static int[] allCells(int s) {
    int[] c = new int[s * s];
    for (int i = 0; i < c.length; i++) {
      c[i] = i;
    }
    return c;
  }

  /** The positions of a frame of width {@code f} in an image of {@code h} rows and {@code w} columns, row-major. */
  static int[] frameCells(int h, int w, int f) {
    return java.util.stream.IntStream.range(0, h * w)
        .filter(p -> p / w < f || p / w >= h - f || p % w < f || p % w >= w - f).toArray();
  }

  /**
   * The paper's "random squares" start: the whole patch one random corner, then 1,000 squares of random side
   * in [1, ceil(sqrt(s)) - 1] (at least 1) at random places, each one random corner.
   */
  private void randomSquares() {
    Arrays.fill(colour, random.nextInt(corners));
    int most = Math.max(1, (int) Math.ceil(Math.sqrt(side)) - 1);
    for (int n = 0; n < 1_000; n++) {
      int s = 1 + random.nextInt(most);
      fill(colour, random.nextInt(side - s + 1), random.nextInt(side - s + 1), s, random.nextInt(corners));
    }
  }

  private void fill(int[] col, int r0, int c0, int s, int corner) {
    for (int r = r0; r < Math.min(rows, r0 + s); r++) {
      for (int c = c0; c < Math.min(cols, c0 + s); c++) {
        col[r * cols + c] = corner;
      }
    }
  }

  private int window(long step) {
    return Schedule.window(Schedule.alpha(attack.alphaInit(), step, attack.budget()), side);
  }

  @Override
  protected void step() {
    long i = queries();
    candidateTop = top;
    candidateLeft = left;
    candidateColour = colour;
    int shift = patch ? Schedule.shift(i, attack.budget(), Math.max(height, width)) : 0;
    boolean canMove = height > side || width > side;
    if (patch && shift > 0 && canMove && i % attack.locationPeriod() == 0) {
      do {
        candidateTop = clamp(top + random.nextInt(2 * shift + 1) - shift, height - side);
        candidateLeft = clamp(left + random.nextInt(2 * shift + 1) - shift, width - side);
      } while (candidateTop == top && candidateLeft == left);
      return;
    }
    int[] col = colour.clone();
    if (i >= channelUpdatesFrom) {
      int cell = cells[random.nextInt(cells.length)];
      col[cell] ^= 1 << random.nextInt(channels);
    } else {
      int s = window(i);
      if (s > 1) {
        int r0;
        int c0;
        if (patch) {
          r0 = random.nextInt(side - s + 1);
          c0 = random.nextInt(side - s + 1);
        } else {
          int anchor = cells[random.nextInt(cells.length)];
          r0 = Math.min(anchor / cols, rows - s);
          c0 = Math.min(anchor % cols, cols - s);
        }
        fillRegion(col, r0, c0, s, random.nextInt(corners));
      } else {
        int cell = cells[random.nextInt(cells.length)];
        col[cell] = cornerOtherThan(col[cell]);
      }
    }
    candidateColour = col;
  }

  /** Like {@link #fill}, but for a frame only its own cells. */
  private void fillRegion(int[] col, int r0, int c0, int s, int corner) {
    if (patch) {
      fill(col, r0, c0, s, corner);
      return;
    }
    for (int r = r0; r < r0 + s; r++) {
      for (int c = c0; c < c0 + s; c++) {
        if (r < side || r >= rows - side || c < side || c >= cols - side) {
          col[r * cols + c] = corner;
        }
      }
    }
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private void write(int t, int l, int[] col, float[] dst, int offset) {
    writeBase(dst, offset);
    for (int cell : cells) {
      int p = patch ? (t + cell / cols) * width + l + cell % cols : cell;
      writeCorner(dst, offset, p, col[cell]);
    }
  }

  @Override
  protected void writeCandidate(float[] dst, int offset) {
    write(candidateTop, candidateLeft, candidateColour, dst, offset);
  }

  @Override
  protected void keepCandidate() {
    top = candidateTop;
    left = candidateLeft;
    colour = candidateColour;
  }

  @Override
  void writeCurrent(float[] dst, int offset) {
    write(top, left, colour, dst, offset);
  }
}
