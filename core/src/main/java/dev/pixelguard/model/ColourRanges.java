package dev.pixelguard.model;

import java.util.Arrays;

/**
 * For one image, the range of 8-bit levels within which a change of each pixel still reaches a defended system's
 * models: per position and channel, {@code [lo, hi]}. Beyond it the defence erases or clamps the change (an impulse
 * filter replaces a pixel that stands out from its neighbours by their median; a median filter clamps a pixel to
 * the ranks around its window's median). An attack that knows the defence searches inside these ranges rather than
 * at the corners of the colour cube, which such a defence removes first (Tramèr, Carlini, Brendel &amp; Madry, "On
 * Adaptive Attacks to Adversarial Example Defenses", NeurIPS 2020). Immutable.
 */
public final class ColourRanges {
  private final int channels;
  private final int height;
  private final int width;
  /** [channel * positions + position], 8-bit levels. */
  private final short[] lo;
  private final short[] hi;

  private ColourRanges(int channels, int height, int width, short[] lo, short[] hi) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.lo = lo;
    this.hi = hi;
  }

  /** Every level of every channel at every position: no defence known to filter anything. */
  public static ColourRanges full(int channels, int height, int width) {
    short[] lo = new short[channels * height * width];
    short[] hi = new short[lo.length];
    Arrays.fill(hi, (short) 255);
    return new ColourRanges(channels, height, width, lo, hi);
  }

  /**
   * Ranges from their bounds, planar {@code [channel][y][x]} as an image's values.
   *
   * @param lo lowest level per position and channel, in [0, 255]
   * @param hi highest level, in [lo, 255]
   * @throws IllegalArgumentException for bounds out of [0, 255] or {@code lo > hi}
   */
  public static ColourRanges of(int channels, int height, int width, int[] lo, int[] hi) {
    int n = channels * height * width;
    if (lo.length != n || hi.length != n) {
      throw new IllegalArgumentException("need " + n + " bounds each, got " + lo.length + " and " + hi.length);
    }
    short[] l = new short[n];
    short[] h = new short[n];
    for (int i = 0; i < n; i++) {
      if (lo[i] < 0 || hi[i] > 255 || lo[i] > hi[i]) {
        throw new IllegalArgumentException("range " + i + " is [" + lo[i] + ", " + hi[i] + "], not within [0, 255]");
      }
      l[i] = (short) lo[i];
      h[i] = (short) hi[i];
    }
    return new ColourRanges(channels, height, width, l, h);
  }

  /** The lowest level of channel {@code c} at position {@code pos} (y * width + x). */
  public int lo(int pos, int c) {
    return lo[c * height * width + pos];
  }

  /** The highest level of channel {@code c} at position {@code pos}. */
  public int hi(int pos, int c) {
    return hi[c * height * width + pos];
  }

  /** Whether every channel at {@code pos} ranges over all 256 levels. */
  public boolean isFull(int pos) {
    for (int c = 0; c < channels; c++) {
      if (lo(pos, c) != 0 || hi(pos, c) != 255) {
        return false;
      }
    }
    return true;
  }

  /** Whether every position is {@link #isFull full}: the ranges restrict nothing. */
  public boolean isFull() {
    int positions = height * width;
    for (int p = 0; p < positions; p++) {
      if (!isFull(p)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The levels both ranges let through, for a system that looks at the image through both defences: per position,
   * the intersection; a position where the intersection is empty in some channel (no change gets through both) is
   * left as this one's ranges there, since nothing is gained by restricting it.
   */
  public ColourRanges intersect(ColourRanges other) {
    if (other.channels != channels || other.height != height || other.width != width) {
      throw new IllegalArgumentException("ranges of a " + channels + "x" + height + "x" + width + " image and of a "
          + other.channels + "x" + other.height + "x" + other.width + " one");
    }
    short[] l = lo.clone();
    short[] h = hi.clone();
    int plane = height * width;
    for (int p = 0; p < plane; p++) {
      boolean empty = false;
      for (int c = 0; c < channels; c++) {
        empty |= Math.max(lo(p, c), other.lo(p, c)) > Math.min(hi(p, c), other.hi(p, c));
      }
      for (int c = 0; !empty && c < channels; c++) {
        l[c * plane + p] = (short) Math.max(lo(p, c), other.lo(p, c));
        h[c * plane + p] = (short) Math.min(hi(p, c), other.hi(p, c));
      }
    }
    return new ColourRanges(channels, height, width, l, h);
  }
}
