package dev.pixelguard.attack.square;

import dev.pixelguard.attack.AttackTask;

/**
 * One image's L-infinity Square search: the striped start, then one window a step. The current image is held
 * as signs of +-eps per value on the 8-bit grid, so a window's redraw and its rejection cost no copy of the
 * image.
 */
final class SquareSearch extends SquareBase {
  private final int[] base; // planar 8-bit values
  private final int e;
  private final byte[] sign; // the current image: base + sign * e, clipped
  private byte[] candidate;

  SquareSearch(SquareAttack attack, AttackTask task) {
    super(attack, task);
    float[] unit = new float[channels * height * width];
    task.image().writeUnit(unit, 0);
    this.base = new int[unit.length];
    for (int i = 0; i < unit.length; i++) {
      base[i] = Math.round(unit[i] * 255);
    }
    this.e = attack.eps8();
    this.sign = new byte[unit.length];
    // The paper's start: vertical stripes, one random sign per channel and column.
    for (int c = 0; c < channels; c++) {
      for (int x = 0; x < width; x++) {
        byte s = random.nextBoolean() ? (byte) 1 : (byte) -1;
        for (int y = 0; y < height; y++) {
          sign[(c * height + y) * width + x] = s;
        }
      }
    }
    this.candidate = sign.clone();
  }

  private int value(byte[] s, int i) {
    return Math.max(0, Math.min(255, base[i] + s[i] * e));
  }

  /** Redraws one square window's signs, per channel, until the window's clipped values change. */
  @Override
  protected void step() {
    candidate = sign.clone();
    double p = attack.share(queries() - 1);
    int side = (int) Math.round(Math.sqrt(p * height * width));
    side = Math.max(1, Math.min(side, Math.min(height, width) - 1));
    int top = random.nextInt(height - side + 1);
    int left = random.nextInt(width - side + 1);
    for (int attempt = 0; attempt < 100; attempt++) {
      boolean changed = false;
      for (int c = 0; c < channels; c++) {
        byte s = random.nextBoolean() ? (byte) 1 : (byte) -1;
        for (int y = top; y < top + side; y++) {
          for (int x = left; x < left + side; x++) {
            int i = (c * height + y) * width + x;
            candidate[i] = s;
            changed |= value(candidate, i) != value(sign, i);
          }
        }
      }
      if (changed) {
        return;
      }
    }
  }

  @Override
  protected void writeCandidate(float[] dst, int offset) {
    for (int i = 0; i < candidate.length; i++) {
      dst[offset + i] = value(candidate, i) / 255f;
    }
  }

  @Override
  protected void keepCandidate() {
    System.arraycopy(candidate, 0, sign, 0, sign.length);
  }

  @Override
  protected float[] current() {
    float[] v = new float[sign.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = value(sign, i) / 255f;
    }
    return v;
  }
}
