package dev.pixelguard.image;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable 8-bit image stored planar (channel, row, column), the layout of CIFAR-10 and of NCHW tensors.
 *
 * <p>Values are whole numbers in [0, 255]; {@code channels} is 1 (grayscale) or 3 (RGB). Coordinates are
 * {@code x} (column, 0 at the left) and {@code y} (row, 0 at the top).
 */
public final class Image {
  private final int channels;
  private final int height;
  private final int width;
  /** The values, or null for an image loaded on demand ({@link #lazy}). */
  private final byte[] chw;
  /** Loads the values of an image loaded on demand; null otherwise. */
  private final java.util.function.Supplier<byte[]> loader;
  /** The values last loaded, which the garbage collector may take back. */
  private volatile java.lang.ref.WeakReference<byte[]> loaded = new java.lang.ref.WeakReference<>(null);

  /**
   * @param chw values in channel-major order, length {@code channels * height * width}; copied
   */
  public Image(int channels, int height, int width, byte[] chw) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
    }
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("height and width must be positive, were " + height + "x" + width);
    }
    if (chw.length != channels * height * width) {
      throw new IllegalArgumentException(
          "expected " + channels * height * width + " values for " + describe(channels, height, width)
              + ", got " + chw.length);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.chw = chw.clone();
    this.loader = null;
  }

  private Image(int channels, int height, int width, java.util.function.Supplier<byte[]> loader) {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3, was " + channels);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.chw = null;
    this.loader = loader;
  }

  /**
   * An image whose values are loaded when first used (from a file, say) and held only weakly: the garbage
   * collector may take them back, and the next use loads them again. Results of a long evaluation keep their
   * images this way, so memory does not grow with the number of images. The loader must give the same values
   * every time, {@code channels * height * width} of them, planar; it may throw an unchecked exception, which
   * reaches the caller of the method that needed the values.
   */
  public static Image lazy(int channels, int height, int width, java.util.function.Supplier<byte[]> loader) {
    return new Image(channels, height, width, java.util.Objects.requireNonNull(loader));
  }

  /** The values: this image's own, or those loaded on demand. */
  private byte[] values() {
    if (chw != null) {
      return chw;
    }
    byte[] v = loaded.get();
    if (v == null) {
      v = loader.get();
      if (v.length != channels * height * width) {
        throw new IllegalStateException("expected " + channels * height * width + " values for "
            + describe(channels, height, width) + ", loaded " + v.length);
      }
      loaded = new java.lang.ref.WeakReference<>(v);
    }
    return v;
  }

  /** Colour channels of this image: 1 (grayscale) or 3 (RGB). */
  public int channels() {
    return channels;
  }

  /** Height of this image in pixels (its rows). */
  public int height() {
    return height;
  }

  /** Width of this image in pixels (its columns). */
  public int width() {
    return width;
  }

  /** Number of pixel positions, {@code height * width}. */
  public int positions() {
    return height * width;
  }

  /** The value of channel {@code c} at column {@code x}, row {@code y}, in [0, 255]. */
  public int get(int c, int y, int x) {
    return values()[(c * height + y) * width + x] & 0xFF;
  }

  /** The colour at (x, y): one value per channel, each in [0, 255]. */
  public int[] colour(int x, int y) {
    int[] out = new int[channels];
    for (int c = 0; c < channels; c++) {
      out[c] = get(c, y, x);
    }
    return out;
  }

  /** Planar values as a new array (channel, row, column). */
  public byte[] toBytes() {
    return values().clone();
  }

  /**
   * The nearest 8-bit image to planar floats in [0, 1] (values outside are clamped): round(255 v).
   *
   * @param unit planar values, from {@code offset}, {@code channels * height * width} of them
   */
  public static Image fromUnit(int channels, int height, int width, float[] unit, int offset) {
    byte[] b = new byte[channels * height * width];
    for (int i = 0; i < b.length; i++) {
      float v = Math.max(0f, Math.min(1f, unit[offset + i]));
      b[i] = (byte) Math.round(v * 255f);
    }
    return new Image(channels, height, width, b);
  }

  /**
   * Writes this image as floats in [0, 1] (value / 255), planar, into {@code dst} from {@code offset}.
   * This is the layout of one row of an {@link ImageBatch}.
   */
  public void writeUnit(float[] dst, int offset) {
    byte[] v = values();
    for (int i = 0; i < v.length; i++) {
      dst[offset + i] = (v[i] & 0xFF) / 255f;
    }
  }

  /** This image as floats in [0, 1], planar: {@link #writeUnit} into a new array. */
  public float[] toUnit() {
    float[] out = new float[channels * height * width];
    writeUnit(out, 0);
    return out;
  }

  /** This image with the given pixels set; later changes to the same position win. */
  public Image withPixels(List<PixelChange> changes) {
    byte[] out = values().clone();
    for (PixelChange p : changes) {
      if (p.x() < 0 || p.x() >= width || p.y() < 0 || p.y() >= height) {
        throw new IllegalArgumentException("pixel (" + p.x() + "," + p.y() + ") outside " + width + "x" + height);
      }
      if (p.after().length != channels) {
        throw new IllegalArgumentException("colour has " + p.after().length + " channels, image has " + channels);
      }
      for (int c = 0; c < channels; c++) {
        out[(c * height + p.y()) * width + p.x()] = (byte) p.after()[c];
      }
    }
    return new Image(channels, height, width, out);
  }

  /** Number of positions (x, y) where any channel differs from {@code other}, which must have the same shape. */
  public int differingPixels(Image other) {
    requireSameShape(other);
    int count = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          if (get(c, y, x) != other.get(c, y, x)) {
            count++;
            break;
          }
        }
      }
    }
    return count;
  }

  /** Whether {@code other} has the same channels, height and width. */
  public boolean sameShape(Image other) {
    return channels == other.channels && height == other.height && width == other.width;
  }

  private void requireSameShape(Image other) {
    if (!sameShape(other)) {
      throw new IllegalArgumentException("shapes differ: " + shape() + " vs " + other.shape());
    }
  }

  /** Human-readable shape, e.g. "32x32 RGB". */
  public String shape() {
    return describe(channels, height, width);
  }

  public static String describe(int channels, int height, int width) {
    return width + "x" + height + (channels == 1 ? " grayscale" : channels == 3 ? " RGB" : " " + channels + "-channel");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Image other && sameShape(other) && Arrays.equals(values(), other.values());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values()) * 31 + width;
  }

  @Override
  public String toString() {
    return "Image[" + shape() + "]";
  }
}
