package dev.pixelguard.attack;

import dev.pixelguard.image.Image;

/**
 * The size of a change to an image, in [0, 1] pixel units.
 *
 * @param pixels L0: pixel positions where any channel changed
 * @param l2 Euclidean length of the change over all values
 * @param linf largest absolute change of any value
 */
public record Perturbation(int pixels, double l2, double linf) {

  /** The change from {@code original} to {@code adversarial} (planar C*H*W values in [0, 1]). */
  public static Perturbation between(Image original, float[] adversarial) {
    int c = original.channels();
    int plane = original.height() * original.width();
    if (adversarial.length != c * plane) {
      throw new IllegalArgumentException("expected " + c * plane + " values, got " + adversarial.length);
    }
    float[] x = new float[c * plane];
    original.writeUnit(x, 0);
    int l0 = 0;
    double sq = 0;
    double max = 0;
    for (int p = 0; p < plane; p++) {
      boolean changed = false;
      for (int ch = 0; ch < c; ch++) {
        double d = (double) adversarial[ch * plane + p] - x[ch * plane + p];
        if (d != 0) {
          changed = true;
        }
        sq += d * d;
        max = Math.max(max, Math.abs(d));
      }
      l0 += changed ? 1 : 0;
    }
    return new Perturbation(l0, Math.sqrt(sq), max);
  }
}
