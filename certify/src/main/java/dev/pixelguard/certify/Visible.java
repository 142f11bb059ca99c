package dev.pixelguard.certify;

/**
 * What a {@link Fill} may see of an image: its values at the positions no applied mask hides, and which
 * positions are hidden. The hidden values are overwritten with NaN before the view is made, and {@link #value}
 * refuses to read a hidden position, so whatever a fill computes is a function of the visible pixels only (the
 * soundness condition of double masking). Single-threaded; a fill must not keep it.
 *
 * <p>Values are those of the model's input, in [0, 1]; planar layout (channel, row, column).
 */
public final class Visible {
  private final int channels;
  private final int height;
  private final int width;
  /** The masked image being made, from {@link #base}: visible values, NaN at hidden positions until composed. */
  private final float[] values;
  private final int base;
  private final boolean[] hidden;
  private final int[] hiddenPositions;

  private Visible(int channels, int height, int width, float[] values, int base, boolean[] hidden,
      int[] hiddenPositions) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.values = values;
    this.base = base;
    this.hidden = hidden;
    this.hiddenPositions = hiddenPositions;
  }

  /**
   * The view of {@code image} (planar, from {@code offset}) with the positions flagged in {@code hidden} taken out:
   * the view's copy has NaN there before anyone can read it.
   *
   * @param hidden per position {@code y * width + x}, whether an applied mask hides it; kept, not copied
   */
  static Visible of(float[] image, int offset, int channels, int height, int width, boolean[] hidden) {
    return into(image, offset, new float[channels * height * width], 0, channels, height, width, hidden);
  }

  /**
   * As {@link #of}, the view's copy being the masked image itself: {@code dst} from {@code dstOffset}, where
   * {@link #compose} then writes the fill's values. Saves a copy per masked image.
   */
  static Visible into(float[] image, int offset, float[] dst, int dstOffset, int channels, int height, int width,
      boolean[] hidden) {
    int plane = height * width;
    float[] v = dst;
    System.arraycopy(image, offset, v, dstOffset, channels * plane);
    int count = 0;
    for (int p = 0; p < plane; p++) {
      count += hidden[p] ? 1 : 0;
    }
    int[] positions = new int[count];
    for (int p = 0, i = 0; p < plane; p++) {
      if (hidden[p]) {
        positions[i++] = p;
        for (int c = 0; c < channels; c++) {
          v[dstOffset + c * plane + p] = Float.NaN;
        }
      }
    }
    return new Visible(channels, height, width, v, dstOffset, hidden, positions);
  }

  /** The masked image's channels. */
  public int channels() {
    return channels;
  }

  /** The masked image's rows. */
  public int height() {
    return height;
  }

  /** The masked image's columns. */
  public int width() {
    return width;
  }

  /** Whether (x, y) is hidden; false outside the image. */
  public boolean isHidden(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && hidden[y * width + x];
  }

  /** Whether (x, y) lies in the image and is not hidden: a value {@link #value} may read. */
  public boolean isVisible(int x, int y) {
    return x >= 0 && y >= 0 && x < width && y < height && !hidden[y * width + x];
  }

  /** Number of hidden positions. */
  public int hiddenCount() {
    return hiddenPositions.length;
  }

  /** The {@code i}-th hidden position {@code y * width + x}, ascending in i. */
  public int hiddenPosition(int i) {
    return hiddenPositions[i];
  }

  /**
   * The value of channel {@code c} at visible (x, y), in [0, 1].
   *
   * @throws IllegalStateException when (x, y) is hidden: a fill may not read it
   */
  public float value(int c, int x, int y) {
    int p = y * width + x;
    if (hidden[p]) {
      throw new IllegalStateException("a fill read the hidden pixel (" + x + ", " + y + ")");
    }
    return values[base + c * height * width + p];
  }

  /**
   * The value of channel {@code c} at visible position {@code p = y * width + x}; see {@link #value}.
   *
   * @throws IllegalStateException when p is hidden
   */
  float valueAt(int c, int p) {
    if (hidden[p]) {
      throw new IllegalStateException("a fill read the hidden pixel (" + p % width + ", " + p / width + ")");
    }
    return values[base + c * height * width + p];
  }

  /**
   * Writes the image a model sees: the visible values, and at the hidden positions {@code fill}'s values
   * ({@code fill[c * hiddenCount() + i]} for hidden position i), into {@code dst} from {@code offset}, planar.
   *
   * @throws IllegalStateException when a fill value is not finite
   */
  void compose(float[] fill, float[] dst, int offset) {
    if (dst != values || offset != base) {
      System.arraycopy(values, base, dst, offset, channels * height * width);
    }
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < hiddenPositions.length; i++) {
        float f = fill[c * hiddenPositions.length + i];
        if (!Float.isFinite(f)) {
          throw new IllegalStateException("the fill gave " + f + " for hidden pixel " + hiddenPositions[i]);
        }
        dst[offset + c * plane + hiddenPositions[i]] = f;
      }
    }
  }
}
