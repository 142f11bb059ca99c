package dev.pixelguard.transform;

import dev.pixelguard.image.Image;
import dev.pixelguard.model.ColourRanges;
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
  public Map<String, Object> parameters() {
    return Map.of("threshold", threshold);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    int plane = height * width;
    int[] rows = new int[3];
    int[] cols = new int[3];
    int[] neighbours = new int[8];
    float[] window = new float[8];
    for (int y = 0; y < height; y++) {
      for (int d = 0; d < 3; d++) {
        rows[d] = Axis.reflect(y + d - 1, height) * width;
      }
      for (int x = 0; x < width; x++) {
        for (int d = 0; d < 3; d++) {
          cols[d] = Axis.reflect(x + d - 1, width);
        }
        int n = 0;
        for (int dy = 0; dy < 3; dy++) {
          for (int dx = 0; dx < 3; dx++) {
            if (dy != 1 || dx != 1) {
              neighbours[n++] = rows[dy] + cols[dx];
            }
          }
        }
        int at = y * width + x;
        boolean outlier = false;
        for (int c = 0; c < channels && !outlier; c++) {
          outlier = standsOut(src, srcOffset + c * plane, at, neighbours);
        }
        for (int c = 0; c < channels; c++) {
          int base = srcOffset + c * plane;
          float v = src[base + at];
          if (outlier) {
            for (int j = 0; j < 8; j++) {
              window[j] = src[base + neighbours[j]];
            }
            Arrays.sort(window);
            v = window[4];
          }
          dst[dstOffset + c * plane + at] = v;
        }
      }
    }
  }

  /**
   * Whether {@code |v - m| > threshold} for the pixel's value {@code v} and its neighbours' median {@code m}
   * (rank 4 of 8), decided without sorting and exactly as that expression (float difference, compared as a
   * double) decides it. The float difference is monotone in {@code m}, so the median lies more than the
   * threshold below {@code v} exactly when the 5 smallest neighbours (ranks 0-4) do, that is when at least 5
   * neighbours do; and more than the threshold above exactly when at least 4 neighbours (ranks 4-7) do.
   */
  private boolean standsOut(float[] src, int base, int at, int[] neighbours) {
    float v = src[base + at];
    int below = 0;
    int above = 0;
    for (int j = 0; j < 8; j++) {
      float u = src[base + neighbours[j]];
      if (u < v && v - u > threshold) {
        below++;
      } else if (u > v && u - v > threshold) {
        above++;
      }
    }
    return below >= 5 || above >= 4;
  }

  /**
   * The levels pixel {@code (y, x)} may take and stay as it is: per channel, those for which {@link #apply} does
   * not find it standing out from its 8 neighbours (the same comparisons, level by level), an interval around
   * their median; a pixel with any channel beyond is replaced by the medians, which erases the change. (Changing the
   * pixel also moves its neighbours' medians, so a neighbour may be judged anew; the box is the pixel's own.)
   */
  @Override
  public ColourRanges admitted(Image image) {
    int channels = image.channels();
    int height = image.height();
    int width = image.width();
    int plane = height * width;
    float[] src = new float[channels * plane + 1];
    image.writeUnit(src, 0);
    int probe = src.length - 1; // the pixel's trial value sits here, its neighbours in place
    int[] neighbours = new int[8];
    int[] lo = new int[channels * plane];
    int[] hi = new int[lo.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          int i = c * plane + y * width + x;
          int n = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              if (dy != 0 || dx != 0) {
                // on the border a mirrored neighbour may be the pixel itself, which takes the trial value too
                int at = c * plane + Axis.reflect(y + dy, height) * width + Axis.reflect(x + dx, width);
                neighbours[n++] = at == i ? 0 : at - probe;
              }
            }
          }
          lo[i] = 255;
          hi[i] = 0;
          for (int level = 0; level < 256; level++) {
            src[probe] = level / 255f; // as Image writes 8-bit values
            if (!standsOut(src, probe, 0, neighbours)) {
              lo[i] = Math.min(lo[i], level);
              hi[i] = Math.max(hi[i], level);
            }
          }
        }
      }
    }
    return ColourRanges.of(channels, height, width, lo, hi);
  }

  @Override
  public String toString() {
    return describe();
  }
}
