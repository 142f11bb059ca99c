package dev.pixelguard.transform;

import dev.pixelguard.image.Image;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.transform.Transform;
import java.util.Arrays;
import java.util.Map;

/**
 * A median filter over a {@code size x size} window, each channel on its own (the spatial smoothing of
 * feature squeezing, Xu, Evans &amp; Qi 2018). The convention is scipy.ndimage's {@code median_filter(size=s,
 * mode="reflect")}, which that work and IBM ART use:
 * <ul>
 *   <li>the window of pixel {@code (y, x)} covers rows {@code y - s/2 .. y - s/2 + s - 1} and likewise columns
 *       ({@code s/2} rounded down): centred for odd {@code s}; for {@code s = 2} it is rows {@code y-1, y} and
 *       columns {@code x-1, x};
 *   <li>outside the image the border is mirrored with the edge pixel repeated ({@code d c b a | a b c d}),
 *       which for a window reaching one pixel out is edge replication;
 *   <li>the result is the value of rank {@code s*s/2} (from 0) of the sorted window: the middle one for odd
 *       {@code s}, and for even {@code s} the upper of the two middle ones, not their mean, so the output is
 *       always one of the input's values (8-bit images stay 8-bit).
 * </ul>
 * Not differentiable: {@link #backward} is the default straight-through gradient.
 *
 * <p>Spec: {@code median:2}, or {@code median(size=2)} as {@link #describe()} writes it.
 *
 * @param size window side in pixels, 2 to 9
 */
public record Median(int size) implements Transform {
  public Median {
    Transforms.require(size >= 2 && size <= 9, "median size must be from 2 to 9 pixels, was " + size);
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("size", size);
  }

  /**
   * The levels within which a change of a pixel still moves some output: each output is its window's value of
   * rank {@code r}, so a pixel that appears {@code k} times in a window (near the border the mirror repeats it)
   * moves that output only between the other values' ranks {@code r - k} and {@code r}, and is clamped there
   * beyond them. The pixel's range is the span of those intervals over every window that holds it; outside it no
   * output changes further.
   */
  @Override
  public ColourRanges admitted(Image image) {
    float[] src = image.toUnit();
    int channels = image.channels();
    int height = image.height();
    int width = image.width();
    int plane = height * width;
    int[] lo = new int[src.length];
    int[] hi = new int[src.length];
    Arrays.fill(lo, 255);
    int rank = size * size / 2;
    int[] at = new int[size * size];
    float[] others = new float[size * size];
    int n = at.length;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          window(y, x, height, width, at);
          for (int j = 0; j < n; j++) {
            int p = at[j];
            int k = 0;
            int m = 0;
            for (int i = 0; i < n; i++) {
              if (at[i] == p) {
                k++;
              } else {
                others[m++] = src[c * plane + at[i]];
              }
            }
            Arrays.sort(others, 0, m);
            int low = rank - k < 0 ? 0 : Math.round(others[rank - k] * 255);
            int high = rank >= m ? 255 : Math.round(others[rank] * 255);
            lo[c * plane + p] = Math.min(lo[c * plane + p], low);
            hi[c * plane + p] = Math.max(hi[c * plane + p], high);
          }
        }
      }
    }
    return ColourRanges.of(channels, height, width, lo, hi);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    int[] at = new int[size * size];
    float[] window = new float[at.length];
    int rank = size * size / 2;
    for (int c = 0; c < channels; c++) {
      int plane = c * height * width;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          window(y, x, height, width, at);
          for (int n = 0; n < at.length; n++) {
            window[n] = src[srcOffset + plane + at[n]];
          }
          Arrays.sort(window);
          dst[dstOffset + plane + y * width + x] = window[rank];
        }
      }
    }
  }

  /** The positions (y * width + x) of the window of pixel {@code (y, x)}, the border mirrored, into {@code at}. */
  private void window(int y, int x, int height, int width, int[] at) {
    int before = size / 2;
    int n = 0;
    for (int dy = 0; dy < size; dy++) {
      int row = Axis.reflect(y - before + dy, height) * width;
      for (int dx = 0; dx < size; dx++) {
        at[n++] = row + Axis.reflect(x - before + dx, width);
      }
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
