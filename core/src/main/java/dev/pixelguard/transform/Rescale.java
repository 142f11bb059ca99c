package dev.pixelguard.transform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Rescale down and back up: the image is resized to {@code round(H * f) x round(W * f)} (at least 1 x 1) and
 * back to {@code H x W}, both times by bilinear interpolation with half-pixel centres and no antialiasing
 * (PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}). For {@code f = 1/2} on even sizes the
 * downscale is exactly the mean of each 2x2 block. The factor is fixed ({@code min == max}) or drawn from the
 * seed, uniform in {@code [min, max]}. The map is linear, so {@link #backward} is its exact transpose.
 *
 * <p>Spec: {@code rescale:0.5} (fixed), {@code rescale:0.5..0.9} (random); {@link #describe()} writes
 * {@code rescale(factor=0.5)} or {@code rescale(min=0.5, max=0.9)}.
 *
 * @param min smallest factor, in (0, 1]
 * @param max largest factor, in [min, 1]
 */
public record Rescale(double min, double max) implements SeparableLinear {
  public Rescale {
    Transforms.require(min > 0 && min <= max && max <= 1,
        "rescale factors must satisfy 0 < min <= max <= 1, were min " + min + ", max " + max);
  }

  /** A fixed factor in (0, 1]. */
  public Rescale(double factor) {
    this(factor, factor);
  }

  @Override
  public Map<String, Object> parameters() {
    if (min == max) {
      return Map.of("factor", min);
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("min", min);
    p.put("max", max);
    return Collections.unmodifiableMap(p);
  }

  @Override
  public boolean isRandom() {
    return min < max;
  }

  /** The factor drawn for {@code seed}: {@code min} plus a uniform share of {@code max - min}. */
  public double factor(long seed) {
    return min == max ? min : min + (max - min) * new SplittableRandom(seed).nextDouble();
  }

  @Override
  public Separable map(int height, int width, long seed) {
    double f = factor(seed);
    return new Separable(downUp(height, f), downUp(width, f));
  }

  private static Axis downUp(int n, double f) {
    int small = Math.max(1, (int) Math.round(n * f));
    return Axis.bilinear(small, 0, small, n).after(Axis.bilinear(n, 0, n, small));
  }

  @Override
  public String toString() {
    return describe();
  }
}
