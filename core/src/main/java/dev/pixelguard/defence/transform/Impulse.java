package dev.pixelguard.defence.transform;

import dev.pixelguard.defence.Transform;
import java.util.Arrays;
import java.util.Map;

/**
 * A switching median filter for impulse noise: a pixel that stands out from all of its neighbours is
 * replaced by their median, every other pixel is left exactly as it is. A one-pixel attack writes one such
 * outlier (usually a corner of the colour cube in a smooth region), which this undoes, while a clean image
 * keeps nearly all of its pixels, unlike a plain median filter that rewrites every edge and texture.
 *
 * <p>For pixel {@code (y, x)}: {@code m_c} is, per channel, the median of its 8 neighbours (the 3x3 window
 * without its centre; the border mirrored with the edge pixel repeated, as in {@link Median}; of the 8 sorted
 * values the one of rank 4, the upper middle, so 8-bit images stay 8-bit). The pixel is an outlier when
 * {@code max_c |v_c - m_c| > threshold}; then every channel becomes {@code m_c}. Decisions are made on the
 * input, so the output does not depend on the order pixels are visited in. Not differentiable:
 * {@link #backward} is the default straight-through gradient.
 *
 * <p>Spec: {@code impulse:0.3}, or {@code impulse(threshold=0.3)} as {@link #describe()} writes it.
 *
 * @param threshold how far, in [0, 1] units, a pixel must stand out from its neighbours' median in some
 *     channel to be replaced; in (0, 1)
 */
public record Impulse(double threshold) implements Transform {
  public Impulse {
    Transforms.require(threshold > 0 && threshold < 1, "impulse threshold must be in (0, 1), was " + threshold);
  }

  @Override
  public String name() {
    return "impulse";
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("threshold", threshold);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    int plane = height * width;
    float[] window = new float[8];
    float[] median = new float[channels];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = y * width + x;
        double deviation = 0;
        for (int c = 0; c < channels; c++) {
          int base = srcOffset + c * plane;
          int n = 0;
          for (int dy = -1; dy <= 1; dy++) {
            int row = Axis.reflect(y + dy, height);
            for (int dx = -1; dx <= 1; dx++) {
              if (dy != 0 || dx != 0) {
                window[n++] = src[base + row * width + Axis.reflect(x + dx, width)];
              }
            }
          }
          Arrays.sort(window);
          median[c] = window[4];
          deviation = Math.max(deviation, Math.abs(src[base + at] - median[c]));
        }
        boolean outlier = deviation > threshold;
        for (int c = 0; c < channels; c++) {
          dst[dstOffset + c * plane + at] = outlier ? median[c] : src[srcOffset + c * plane + at];
        }
      }
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
