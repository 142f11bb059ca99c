package dev.pixelguard.transform;

import dev.pixelguard.transform.Transform;
import java.util.Map;

/**
 * Bit-depth reduction (feature squeezing, Xu, Evans &amp; Qi 2018): each value {@code v} in [0, 1] becomes
 * {@code rint(v * L) / L} with {@code L = 2^bits - 1}, so {@code 2^bits} levels remain ({@code rint} rounds
 * halves to even, as NumPy's). {@code bits = 8} leaves 8-bit images unchanged. Not differentiable (zero
 * gradient almost everywhere): {@link #backward} is the default straight-through gradient.
 *
 * <p>Spec: {@code bitdepth:5}, or {@code bitdepth(bits=5)} as {@link #describe()} writes it.
 *
 * @param bits bits kept per value, 1 to 8
 */
record BitDepth(int bits) implements Transform {
  public BitDepth {
    Transforms.require(bits >= 1 && bits <= 8, "bitdepth bits must be from 1 to 8, was " + bits);
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("bits", bits);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    double levels = (1 << bits) - 1;
    for (int i = 0, n = channels * height * width; i < n; i++) {
      double v = Math.min(1, Math.max(0, src[srcOffset + i]));
      dst[dstOffset + i] = (float) (Math.rint(v * levels) / levels);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
