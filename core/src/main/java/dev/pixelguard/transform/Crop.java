package dev.pixelguard.transform;

import dev.pixelguard.InputException;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A slight random crop, resized back: keeps a window of {@code (H - pixels) x (W - pixels)} at a random
 * offset (top row and left column each uniform in {@code 0..pixels}, drawn from the seed) and resizes it
 * back to {@code H x W} by bilinear interpolation with half-pixel centres (PyTorch's {@code interpolate} with
 * {@code align_corners=False}). {@code pixels = 0} is the identity. The map is linear, so {@link #backward}
 * is its exact transpose.
 *
 * <p>Spec: {@code crop:2}, or {@code crop(pixels=2)} as {@link #describe()} writes it.
 *
 * @param pixels rows (and columns) removed in all, at least 0 and less than the image's height and width
 */
public record Crop(int pixels) implements SeparableLinear {
  public Crop {
    Transforms.require(pixels >= 0, "crop pixels must be at least 0, was " + pixels);
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("pixels", pixels);
  }

  @Override
  public boolean isRandom() {
    return pixels > 0;
  }

  @Override
  public Separable map(int height, int width, long seed) {
    if (pixels >= height || pixels >= width) {
      throw new InputException("crop pixels must be less than the image's height and width (" + height + "x"
          + width + "), was " + pixels);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int top = random.nextInt(pixels + 1);
    int left = random.nextInt(pixels + 1);
    return new Separable(Axis.bilinear(height, top, height - pixels, height),
        Axis.bilinear(width, left, width - pixels, width));
  }

  @Override
  public String toString() {
    return describe();
  }
}
