package dev.pixelguard.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.transform.Transform;
import dev.pixelguard.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each transform on real CIFAR-10 fixture images against a computation written independently: a direct 2-D
 * convolution, sorting each window, per-pixel bilinear interpolation, block means, a second JPEG path, and
 * values computed by scipy.ndimage for the border conventions.
 */
class TransformsOnImagesTest {
  static final int C = 3;
  static final int H = 32;
  static final int W = 32;
  static final int LEN = C * H * W;
  static final int IMAGES = 20;
  static float[] images;

  @BeforeAll
  static void readFixture() {
    Dataset cifar = Fixtures.cifar();
    images = new float[IMAGES * LEN];
    for (int i = 0; i < IMAGES; i++) {
      cifar.get(i).image().writeUnit(images, i * LEN);
    }
  }

  static float[] apply(Transform t, float[] data, int offset, int c, int h, int w, long seed) {
    float[] out = new float[c * h * w];
    t.apply(data, offset, c, h, w, out, 0, seed);
    return out;
  }

  /** Reads index {@code i} of an axis of {@code n} mirrored with the edge repeated, by walking the mirrors. */
  static int mirror(int i, int n) {
    while (i < 0 || i >= n) {
      i = i < 0 ? -1 - i : 2 * n - 1 - i;
    }
    return i;
  }

  @Test
  void blurIsTheDirectTwoDimensionalConvolution() {
    for (double sigma : new double[] {0.5, 0.6, 1.3}) {
      int r = (int) Math.floor(4 * sigma + 0.5);
      double[][] kernel = new double[2 * r + 1][2 * r + 1];
      double sum = 0;
      for (int dy = -r; dy <= r; dy++) {
        for (int dx = -r; dx <= r; dx++) {
          kernel[dy + r][dx + r] = Math.exp(-(dy * dy + dx * dx) / (2 * sigma * sigma));
          sum += kernel[dy + r][dx + r];
        }
      }
      for (int i = 0; i < 5; i++) {
        float[] got = apply(new GaussianBlur(sigma), images, i * LEN, C, H, W, 0);
        for (int c = 0; c < C; c++) {
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              double want = 0;
              for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                  want += kernel[dy + r][dx + r] / sum
                      * images[i * LEN + c * H * W + mirror(y + dy, H) * W + mirror(x + dx, W)];
                }
              }
              assertEquals(want, got[c * H * W + y * W + x], 1e-5, "sigma " + sigma + " at " + c + "," + y + "," + x);
            }
          }
        }
      }
    }
  }

  /** A 4x5 image whose value at (i, j) is 0.1 * ((3i + 7j) mod 11). */
  static float[] smallCase() {
    float[] a = new float[20];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 5; j++) {
        a[i * 5 + j] = (float) (0.1 * ((3 * i + 7 * j) % 11));
      }
    }
    return a;
  }

  @Test
  void blurAndMedianFollowScipyConventionsOnAHandMadeCase() {
    // Computed with scipy.ndimage.gaussian_filter(a, sigma=0.8, mode="reflect") (radius 3 > the 4 rows).
    float[] blurred = {
        0.2647579f, 0.5097086f, 0.5649244f, 0.6651286f, 0.6889077f,
        0.4192324f, 0.5854615f, 0.5883035f, 0.5476200f, 0.5927715f,
        0.5625871f, 0.5350372f, 0.5549050f, 0.5023340f, 0.4117480f,
        0.7060989f, 0.5075195f, 0.4430089f, 0.5203210f, 0.4296245f};
    assertArrayEquals(blurred, apply(new GaussianBlur(0.8), smallCase(), 0, 1, 4, 5, 0), 1e-6f);
    // scipy.ndimage.median_filter(a, size=3, mode="reflect").
    float[] median3 = {
        0.3f, 0.3f, 0.7f, 0.6f, 0.6f,
        0.3f, 0.6f, 0.6f, 0.6f, 0.6f,
        0.6f, 0.6f, 0.5f, 0.5f, 0.4f,
        0.6f, 0.5f, 0.5f, 0.4f, 0.4f};
    assertArrayEquals(median3, apply(new Median(3), smallCase(), 0, 1, 4, 5, 0), 1e-6f);
    // 2x2, worked by hand: pixel (y, x) takes rows y-1, y and columns x-1, x (edge repeated), and of the 4
    // values the upper middle one: at (1, 1) the window {0, 1, 4, 100} gives 4 (not 2.5, their mean).
    float[] a = new float[16];
    for (int i = 0; i < 16; i++) {
      a[i] = i;
    }
    a[5] = 100;
    float[] median2 = {0, 1, 2, 3, 4, 4, 6, 6, 8, 9, 10, 10, 12, 12, 13, 14};
    assertArrayEquals(median2, apply(new Median(2), a, 0, 1, 4, 4, 0));
  }

  @Test
  void medianIsTheRankedValueOfEachSortedWindow() {
    for (int size = 2; size <= 5; size++) {
      for (int i = 0; i < 5; i++) {
        float[] got = apply(new Median(size), images, i * LEN, C, H, W, 0);
        for (int c = 0; c < C; c++) {
          for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
              float[] window = new float[size * size];
              int n = 0;
              int top = y - size / 2;
              int left = x - size / 2;
              for (int yy = top; yy < top + size; yy++) {
                for (int xx = left; xx < left + size; xx++) {
                  window[n++] = images[i * LEN + c * H * W + mirror(yy, H) * W + mirror(xx, W)];
                }
              }
              Arrays.sort(window);
              assertEquals(window[size * size / 2], got[c * H * W + y * W + x], "size " + size);
            }
          }
        }
      }
    }
  }

  /** Bilinear interpolation at one point of a [h, w] plane, half-pixel centres, by the 4-neighbour formula. */
  static double bilinearAt(float[] plane, int offset, int h, int w, double sy, double sx) {
    sy = Math.max(0, sy);
    sx = Math.max(0, sx);
    int y0 = (int) Math.floor(sy);
    int x0 = (int) Math.floor(sx);
    double fy = sy - y0;
    double fx = sx - x0;
    int y1 = Math.min(y0 + 1, h - 1);
    int x1 = Math.min(x0 + 1, w - 1);
    y0 = Math.min(y0, h - 1);
    x0 = Math.min(x0, w - 1);
    return (1 - fy) * ((1 - fx) * plane[offset + y0 * w + x0] + fx * plane[offset + y0 * w + x1])
        + fy * ((1 - fx) * plane[offset + y1 * w + x0] + fx * plane[offset + y1 * w + x1]);
  }

  @Test
  void cropWithoutPixelsIsTheIdentity() {
    for (int i = 0; i < IMAGES; i++) {
      assertArrayEquals(Arrays.copyOfRange(images, i * LEN, (i + 1) * LEN),
          apply(new Crop(0), images, i * LEN, C, H, W, 1234 + i));
    }
  }

  @Test
  void cropIsBilinearResizeOfAWindowAtTheDrawnOffset() {
    int p = 4;
    int len = H - p;
    for (int i = 0; i < IMAGES; i++) {
      long seed = 77 + i;
      float[] got = apply(new Crop(p), images, i * LEN, C, H, W, seed);
      // Find the offset by trying every window: exactly one must match the per-pixel formula.
      int matches = 0;
      for (int top = 0; top <= p; top++) {
        for (int left = 0; left <= p; left++) {
          float[] window = new float[C * len * len];
          for (int c = 0; c < C; c++) {
            for (int y = 0; y < len; y++) {
              for (int x = 0; x < len; x++) {
                window[(c * len + y) * len + x] = images[i * LEN + (c * H + y + top) * W + x + left];
              }
            }
          }
          boolean same = true;
          for (int c = 0; c < C && same; c++) {
            for (int y = 0; y < H && same; y++) {
              for (int x = 0; x < W && same; x++) {
                double want = bilinearAt(window, c * len * len, len, len, (y + 0.5) * len / H - 0.5,
                    (x + 0.5) * len / W - 0.5);
                same = Math.abs(want - got[(c * H + y) * W + x]) < 1e-5;
              }
            }
          }
          matches += same ? 1 : 0;
        }
      }
      assertEquals(1, matches, "image " + i + ": one window at one offset gives the crop");
    }
    // The offset comes from the seed alone: the same seed repeats it, the draws cover several offsets.
    assertArrayEquals(apply(new Crop(p), images, 0, C, H, W, 5), apply(new Crop(p), images, 0, C, H, W, 5));
    long distinct = java.util.stream.LongStream.range(0, 30)
        .mapToObj(s -> Arrays.hashCode(apply(new Crop(p), images, 0, C, H, W, s))).distinct().count();
    assertTrue(distinct >= 10, "30 seeds give " + distinct + " different crops");
  }

  @Test
  void rescaleByAHalfIsBlockMeansResizedBackBilinearly() {
    for (int i = 0; i < IMAGES; i++) {
      float[] small = new float[C * 16 * 16];
      for (int c = 0; c < C; c++) {
        for (int y = 0; y < 16; y++) {
          for (int x = 0; x < 16; x++) {
            int at = i * LEN + (c * H + 2 * y) * W + 2 * x;
            small[(c * 16 + y) * 16 + x] = (images[at] + images[at + 1] + images[at + W] + images[at + W + 1]) / 4;
          }
        }
      }
      float[] got = apply(new Rescale(0.5), images, i * LEN, C, H, W, 0);
      for (int c = 0; c < C; c++) {
        for (int y = 0; y < H; y++) {
          for (int x = 0; x < W; x++) {
            double want = bilinearAt(small, c * 256, 16, 16, (y + 0.5) / 2 - 0.5, (x + 0.5) / 2 - 0.5);
            assertEquals(want, got[(c * H + y) * W + x], 1e-5);
          }
        }
      }
      assertArrayEquals(Arrays.copyOfRange(images, i * LEN, (i + 1) * LEN),
          apply(new Rescale(1), images, i * LEN, C, H, W, 0), 1e-6f);
    }
    // A random factor: the draw decides the intermediate size round(32 f), 13 to 29 here, so the seeds give
    // several different images (two seeds can share a size).
    Rescale random = new Rescale(0.4, 0.9);
    long distinct = java.util.stream.LongStream.range(0, 20)
        .mapToObj(s -> Arrays.hashCode(apply(random, images, 0, C, H, W, s))).distinct().count();
    assertTrue(distinct >= 8, "20 seeds give " + distinct + " different images");
  }

  static double meanAbsError(float[] a, int offset, float[] b) {
    double s = 0;
    for (int j = 0; j < b.length; j++) {
      s += Math.abs(a[offset + j] - b[j]);
    }
    return s / b.length;
  }

  @Test
  void jpegErrorGrowsAsQualityFallsAndIsSmallAtQuality100() {
    int[] qualities = {100, 90, 75, 50, 20, 5};
    double[] error = new double[qualities.length];
    for (int q = 0; q < qualities.length; q++) {
      for (int i = 0; i < IMAGES; i++) {
        float[] out = apply(new Jpeg(qualities[q]), images, i * LEN, C, H, W, 0);
        for (float v : out) {
          assertEquals(Math.rint(v * 255), v * 255, 1e-3, "8-bit output");
        }
        error[q] += meanAbsError(images, i * LEN, out) / IMAGES;
      }
    }
    // Quality 100 keeps every quantisation step at 1; what remains is the YCbCr rounding and the 4:2:0
    // chroma subsampling, about 2.1/255 on average on these images.
    assertTrue(error[0] < 3.0 / 255, "quality 100: mean error " + error[0] * 255 + "/255");
    for (int q = 1; q < qualities.length; q++) {
      assertTrue(error[q] > error[q - 1], "quality " + qualities[q] + " errs more than " + qualities[q - 1] + ": "
          + Arrays.toString(error));
    }
  }

  @Test
  void jpegOfGrayImagesIsOneChannelAndNearlyExactAtQuality100() {
    float[] gray = new float[H * W];
    for (int j = 0; j < H * W; j++) {
      gray[j] = (float) Math.rint(255 * (0.299 * images[j] + 0.587 * images[H * W + j] + 0.114 * images[2 * H * W + j]))
          / 255;
    }
    float[] out = apply(new Jpeg(100), gray, 0, 1, H, W, 0);
    double worst = 0;
    for (int j = 0; j < gray.length; j++) {
      worst = Math.max(worst, Math.abs(out[j] - gray[j]));
    }
    // One channel, no subsampling, every quantisation step 1: only the DCT's integer rounding is left.
    assertTrue(worst <= 2.5 / 255, "worst error " + worst * 255 + "/255");
  }

  @Test
  void jpegAt75IsWhatImageIoWritesByDefault() throws IOException {
    // ImageIO.write's JPEG default quality is 0.75: a second path, through setRGB, write and read.
    for (int i = 0; i < 5; i++) {
      BufferedImage im = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int at = i * LEN + y * W + x;
          int r = (int) Math.rint(images[at] * 255);
          int g = (int) Math.rint(images[at + H * W] * 255);
          int b = (int) Math.rint(images[at + 2 * H * W] * 255);
          im.setRGB(x, y, (r << 16) | (g << 8) | b);
        }
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      assertTrue(ImageIO.write(im, "jpg", bytes));
      BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
      float[] got = apply(new Jpeg(75), images, i * LEN, C, H, W, 0);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int rgb = back.getRGB(x, y);
          assertEquals(((rgb >> 16) & 0xFF) / 255f, got[y * W + x]);
          assertEquals(((rgb >> 8) & 0xFF) / 255f, got[H * W + y * W + x]);
          assertEquals((rgb & 0xFF) / 255f, got[2 * H * W + y * W + x]);
        }
      }
    }
  }

  @Test
  void bitDepthKeepsTwoToTheBitsLevels() {
    for (int i = 0; i < IMAGES; i++) {
      assertArrayEquals(Arrays.copyOfRange(images, i * LEN, (i + 1) * LEN),
          apply(new BitDepth(8), images, i * LEN, C, H, W, 0), 1e-7f, "8 bits keep 8-bit images");
      for (int bits = 1; bits <= 5; bits++) {
        float[] out = apply(new BitDepth(bits), images, i * LEN, C, H, W, 0);
        int levels = (1 << bits) - 1;
        for (int j = 0; j < LEN; j++) {
          double v = images[i * LEN + j];
          // The nearest of the levels k / L.
          double want = Math.floor(v * levels + 0.5) / levels;
          if (Math.abs(v * levels - Math.floor(v * levels) - 0.5) > 1e-6) {
            assertEquals(want, out[j], 1e-6, "bits " + bits + " value " + v);
          }
          assertTrue(Math.abs(out[j] - v) <= 0.5 / levels + 1e-6);
        }
      }
    }
  }
}
