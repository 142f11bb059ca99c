package dev.pixelguard.defence;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A simulated second camera frame of a scene, for evaluating a gate that also looks at a frame the attacker does
 * not control ({@link Gate.View#otherFrame()}) when the data hold one image per scene. The frame is derived from
 * the <em>clean</em> image as a second camera (or the next video frame) would see the same scene:
 *
 * <ol>
 *   <li>shifted by {@code (dx, dy)}, drawn uniformly from the offsets with {@code |dx|, |dy| <= shift} other than
 *       {@code (0, 0)}, the edge pixels replicated into the uncovered border: frame(y, x) = clean(clamp(y - dy),
 *       clamp(x - dx));
 *   <li>with Gaussian sensor noise of standard deviation {@code noise} (in 8-bit levels) added to every value;
 *   <li>rounded to 8 bits (half up) and clipped to [0, 255], as a camera delivers it.
 * </ol>
 *
 * <p>Everything is drawn from a {@link SplittableRandom} seeded per image with the first 8 bytes of SHA-256 over
 * the text {@code "second frame"} (UTF-8), the root {@code seed} (8 bytes), the image's shape (3 x 4 bytes) and its
 * values (IEEE float bits, -0 as +0), all big-endian: the offset ({@code nextInt}), then one {@code nextGaussian}
 * per value in planar [C, H, W] order. So an image's second frame depends only on the seed and the image, never on
 * the batch, and it is never the clean image itself.
 *
 * <p>Spec: {@code shift:1,noise:2} ({@link #parse}); {@link #describe()} states it for results.
 *
 * @param shift the largest offset in pixels, 1 to 4
 * @param noise the sensor noise's standard deviation in 8-bit levels, 0 to 32
 * @param seed the root seed
 */
public record Camera(int shift, double noise, long seed) implements java.io.Serializable {
  /** One pixel of shift, sensor noise of 2 levels: a close second view of the same scene. */
  public static final Camera DEFAULT = new Camera(1, 2, 1);

  public Camera {
    if (shift < 1 || shift > 4) {
      throw new InputException("the second frame's shift must be 1 to 4 pixels, was " + shift);
    }
    if (!(noise >= 0 && noise <= 32)) {
      throw new InputException("the second frame's noise must be 0 to 32 levels, was " + noise);
    }
  }

  /** This camera with another root seed. */
  public Camera withSeed(long s) {
    return new Camera(shift, noise, s);
  }

  /**
   * Reads {@code shift:S,noise:N} (either part may be left out; defaults 1 and 2), with root seed {@code seed}.
   *
   * @throws InputException for anything else, in one line
   */
  public static Camera parse(String spec, long seed) {
    int shift = DEFAULT.shift;
    double noise = DEFAULT.noise;
    for (String part : spec.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT);
      if (p.isEmpty()) {
        continue;
      }
      int colon = p.indexOf(':') >= 0 ? p.indexOf(':') : p.indexOf('=');
      String key = colon < 0 ? p : p.substring(0, colon).trim();
      String value = colon < 0 ? "" : p.substring(colon + 1).trim();
      try {
        switch (key) {
          case "shift" -> shift = Integer.parseInt(value);
          case "noise" -> noise = Double.parseDouble(value);
          default -> throw new InputException("unknown second-frame setting '" + part.trim() + "'; give shift:S and "
              + "noise:N, e.g. shift:1,noise:2");
        }
      } catch (NumberFormatException e) {
        throw new InputException("bad second-frame value '" + part.trim() + "'; give e.g. shift:1,noise:2");
      }
    }
    return new Camera(shift, noise, seed);
  }

  /** One line for results and reports. */
  public String describe() {
    return String.format(Locale.ROOT, "second frame: the clean image shifted by up to %d pixel%s (offset drawn per "
        + "image, edges replicated), Gaussian sensor noise of %s/255, rounded to 8 bits; seeded from root seed %d "
        + "and the image", shift, shift == 1 ? "" : "s", trim(noise), seed);
  }

  /** The spec {@link #parse} reads: {@code shift:S,noise:N}. */
  public String spec() {
    return "shift:" + shift + ",noise:" + trim(noise);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** The second frame of every image of a clean batch. */
  public ImageBatch secondFrames(ImageBatch clean) {
    int n = clean.size();
    int len = clean.imageLength();
    float[] src = new float[n * len];
    clean.copyTo(src, 0);
    float[] dst = new float[n * len];
    for (int i = 0; i < n; i++) {
      secondFrame(src, i * len, clean.channels(), clean.height(), clean.width(), dst, i * len);
    }
    return ImageBatch.wrap(n, clean.channels(), clean.height(), clean.width(), dst);
  }

  /** The second frame of one clean planar image, written to {@code dst} from {@code dstOffset}. */
  public void secondFrame(float[] src, int offset, int channels, int height, int width, float[] dst, int dstOffset) {
    SplittableRandom random = new SplittableRandom(frameSeed(src, offset, channels, height, width));
    int side = 2 * shift + 1;
    int k = random.nextInt(side * side - 1);
    if (k >= (side * side - 1) / 2) {
      k++; // skip the centre, (0, 0)
    }
    int dy = k / side - shift;
    int dx = k % side - shift;
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        int sy = Math.min(height - 1, Math.max(0, y - dy));
        for (int x = 0; x < width; x++) {
          int sx = Math.min(width - 1, Math.max(0, x - dx));
          double v = src[offset + c * plane + sy * width + sx] * 255.0 + noise * random.nextGaussian();
          int level = (int) Math.min(255, Math.max(0, Math.floor(v + 0.5)));
          dst[dstOffset + c * plane + y * width + x] = level / 255f; // as Image writes 8-bit values
        }
      }
    }
  }

  private long frameSeed(float[] values, int offset, int channels, int height, int width) {
    int len = channels * height * width;
    byte[] tag = "second frame".getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(tag.length + Long.BYTES + 3 * Integer.BYTES + len * Float.BYTES);
    bytes.put(tag).putLong(seed).putInt(channels).putInt(height).putInt(width);
    for (int i = 0; i < len; i++) {
      bytes.putInt(Float.floatToIntBits(values[offset + i] + 0.0f));
    }
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(bytes.array())).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
