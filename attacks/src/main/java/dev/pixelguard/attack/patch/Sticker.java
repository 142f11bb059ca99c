package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A universal sticker: a square patch of {@code size x size} pixels and {@code channels} channels that is pasted
 * onto any image (Brown et al. 2017, "Adversarial Patch"), planar [C, size, size], values in [0, 1].
 *
 * @param channels 1 (grayscale) or 3 (RGB), the images' channels
 * @param size side in pixels, at least 1
 * @param values planar values in [0, 1], {@code channels * size * size} of them; copied
 */
public record Sticker(int channels, int size, float[] values) {
  public Sticker {
    if (channels != 1 && channels != 3) {
      throw new InputException("a sticker has 1 or 3 channels, was " + channels);
    }
    if (size < 1) {
      throw new InputException("a sticker's size must be at least 1 pixel, was " + size);
    }
    if (values.length != channels * size * size) {
      throw new IllegalArgumentException("a " + size + "x" + size + " sticker of " + channels + " channels has "
          + channels * size * size + " values, not " + values.length);
    }
    values = values.clone();
    for (float v : values) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException("sticker values must lie in [0, 1], found " + v);
      }
    }
  }

  /** A sticker of uniform random values in [0, 1], drawn from {@code seed} (Brown et al.'s start). */
  public static Sticker random(int channels, int size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[channels * size * size];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble();
    }
    return new Sticker(channels, size, v);
  }

  /** The sticker an 8-bit square image holds (a PNG read back): values become value / 255. */
  public static Sticker of(Image image) {
    if (image.width() != image.height()) {
      throw new InputException("a sticker is square; this image is " + image.shape());
    }
    float[] v = new float[image.channels() * image.height() * image.width()];
    image.writeUnit(v, 0);
    return new Sticker(image.channels(), image.width(), v);
  }

  /** Values per channel, {@code size * size}. */
  public int pixels() {
    return size * size;
  }

  /** The value of channel {@code c} at column {@code u}, row {@code v}. */
  public float get(int c, int v, int u) {
    return values[(c * size + v) * size + u];
  }

  /** A copy of the planar values. */
  @Override
  public float[] values() {
    return values.clone();
  }

  /** Reads the values without a copy, for the compositing loops of this package. */
  float value(int index) {
    return values[index];
  }

  /** The nearest 8-bit image, {@code round(255 v)}: what a PNG holds. */
  public Image toImage() {
    return Image.fromUnit(channels, size, size, values, 0);
  }

  /** This sticker rounded to 8 bits, exactly as its PNG reads back. */
  public Sticker rounded() {
    return of(toImage());
  }

  /** The sticker enlarged {@code factor} times by pixel repetition (nearest neighbour): a version to print. */
  public Image upscaled(int factor) {
    if (factor < 1) {
      throw new InputException("the print scale must be at least 1, was " + factor);
    }
    Image small = toImage();
    int n = size * factor;
    byte[] out = new byte[channels * n * n];
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          out[(c * n + y) * n + x] = (byte) small.get(c, y / factor, x / factor);
        }
      }
    }
    return new Image(channels, n, n, out);
  }

  /** The share of a {@code height x width} image that the sticker covers at scale 1, e.g. 36 / 1024. */
  public double areaShare(int height, int width) {
    return (double) pixels() / ((double) height * width);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sticker s && s.channels == channels && s.size == size && Arrays.equals(s.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values) * 31 + size;
  }

  @Override
  public String toString() {
    return "Sticker[" + size + "x" + size + ", " + channels + " channel" + (channels == 1 ? "" : "s") + "]";
  }
}
