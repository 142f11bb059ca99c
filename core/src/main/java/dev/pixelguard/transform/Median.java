package dev.pixelguard.transform;

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
  public String name() {
    return "median";
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("size", size);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    float[] window = new float[size * size];
    int before = size / 2;
    int rank = size * size / 2;
    for (int c = 0; c < channels; c++) {
      int plane = c * height * width;
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int n = 0;
          for (int dy = 0; dy < size; dy++) {
            int row = Axis.reflect(y - before + dy, height);
            for (int dx = 0; dx < size; dx++) {
              window[n++] = src[srcOffset + plane + row * width + Axis.reflect(x - before + dx, width)];
            }
          }
          Arrays.sort(window);
          dst[dstOffset + plane + y * width + x] = window[rank];
        }
      }
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
