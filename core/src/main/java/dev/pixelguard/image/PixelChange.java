package dev.pixelguard.image;

import java.util.Arrays;

/**
 * One changed pixel: its position and its colour before and after, one value per channel in [0, 255].
 *
 * @param x column, 0 at the left
 * @param y row, 0 at the top
 * @param before the original colour
 * @param after the new colour
 */
public record PixelChange(int x, int y, int[] before, int[] after) {
  public PixelChange {
    before = before.clone();
    after = after.clone();
    if (before.length != after.length) {
      throw new IllegalArgumentException("before and after must have the same channels");
    }
    for (int v : after) {
      if (v < 0 || v > 255) {
        throw new IllegalArgumentException("colour values must be in [0, 255], was " + v);
      }
    }
  }

  @Override
  public int[] before() {
    return before.clone();
  }

  @Override
  public int[] after() {
    return after.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PixelChange p && x == p.x && y == p.y && Arrays.equals(before, p.before)
        && Arrays.equals(after, p.after);
  }

  @Override
  public int hashCode() {
    return (x * 31 + y) * 31 + Arrays.hashCode(after);
  }

  @Override
  public String toString() {
    return "(" + x + "," + y + ") " + Arrays.toString(before) + " -> " + Arrays.toString(after);
  }
}
