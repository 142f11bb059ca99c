package dev.pixelguard.transform;

import java.util.Map;

/**
 * A mild Gaussian blur, each channel on its own: the separable kernel {@code exp(-k^2 / (2 sigma^2))} for
 * {@code k} in {@code -r..r} with radius {@code r = floor(4 sigma + 0.5)}, normalised to sum 1, with the
 * border mirrored, edge pixel included ({@code d c b a | a b c d}). These are scipy.ndimage's
 * {@code gaussian_filter} defaults ({@code truncate=4.0}, {@code mode="reflect"}). The map is linear, so
 * {@link #backward} is its exact transpose.
 *
 * <p>Spec: {@code blur:0.6}, or {@code blur(sigma=0.6)} as {@link #describe()} writes it.
 *
 * @param sigma standard deviation in pixels, in (0, 10]
 */
public record GaussianBlur(double sigma) implements SeparableLinear {
  public GaussianBlur {
    Transforms.require(sigma > 0 && sigma <= 10, "blur sigma must be in (0, 10] pixels, was " + sigma);
  }

  @Override
  public String name() {
    return "blur";
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("sigma", sigma);
  }

  /** The kernel radius in pixels, {@code floor(4 sigma + 0.5)}. */
  public int radius() {
    return (int) (4 * sigma + 0.5);
  }

  /** The normalised kernel from the centre out: {@code kernel()[k]} weighs the taps at {@code -k} and {@code +k}. */
  public double[] kernel() {
    int r = radius();
    double[] k = new double[r + 1];
    double sum = 0;
    for (int i = 0; i <= r; i++) {
      k[i] = Math.exp(-(double) i * i / (2 * sigma * sigma));
      sum += i == 0 ? k[i] : 2 * k[i];
    }
    for (int i = 0; i <= r; i++) {
      k[i] /= sum;
    }
    return k;
  }

  @Override
  public Separable map(int height, int width, long seed) {
    double[] k = kernel();
    return new Separable(Axis.convolve(height, k), Axis.convolve(width, k));
  }

  @Override
  public String toString() {
    return describe();
  }
}
