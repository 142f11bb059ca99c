package dev.pixelguard.defence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated second camera frame, on the CIFAR-10 fixtures. */
class CameraTest {
  static final int C = 3;
  static final int H = 32;
  static final int W = 32;

  private static float[] values(ImageBatch b, int i) {
    float[] all = new float[b.size() * b.imageLength()];
    b.copyTo(all, 0);
    return java.util.Arrays.copyOfRange(all, i * b.imageLength(), (i + 1) * b.imageLength());
  }

  @Test
  void aFrameIsTheCleanImageShiftedByOnePixelWithMildNoiseIn8Bits() {
    Dataset cifar = Fixtures.cifar();
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      images.add(cifar.get(i).image());
    }
    ImageBatch clean = ImageBatch.of(images);
    Camera noiseless = new Camera(1, 0, 1);
    ImageBatch frames = noiseless.secondFrames(clean);
    ImageBatch noisy = Camera.DEFAULT.secondFrames(clean);
    for (int i = 0; i < 20; i++) {
      float[] x = values(clean, i);
      float[] f = values(frames, i);
      // without noise the frame is exactly one of the 8 one-pixel shifts of the image, edges replicated
      int matches = 0;
      for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
          if ((dx != 0 || dy != 0) && java.util.Arrays.equals(shifted(x, dx, dy), f)) {
            matches++;
          }
        }
      }
      assertEquals(1, matches, "image " + i + " is one shift of the clean image");
      float[] n = values(noisy, i);
      assertFalse(java.util.Arrays.equals(x, n), "never the clean image");
      double sum = 0;
      for (int j = 0; j < n.length; j++) {
        float level = n[j] * 255f;
        assertEquals(Math.rint(level), level, 1e-3, "8-bit values");
        sum += Math.abs(n[j] - f[j]) * 255;
      }
      // the same draw of the offset, with Gaussian noise of sigma 2: mean |noise| = 2 * sqrt(2 / pi) = 1.6 levels
      assertEquals(1.6, sum / n.length, 0.25, "image " + i);
    }
  }

  @Test
  void anImagesFrameDependsOnlyOnTheSeedAndTheImage() {
    Dataset cifar = Fixtures.cifar();
    ImageBatch three = ImageBatch.of(List.of(cifar.get(3).image(), cifar.get(4).image(), cifar.get(5).image()));
    ImageBatch alone = ImageBatch.of(List.of(cifar.get(4).image()));
    assertArrayEquals(values(Camera.DEFAULT.secondFrames(three), 1), values(Camera.DEFAULT.secondFrames(alone), 0));
    assertFalse(java.util.Arrays.equals(values(Camera.DEFAULT.secondFrames(alone), 0),
        values(Camera.DEFAULT.withSeed(2).secondFrames(alone), 0)), "another root seed, another frame");
  }

  @Test
  void parsesDescribesAndRefuses() {
    assertEquals(Camera.DEFAULT, Camera.parse("", 1));
    assertEquals(new Camera(2, 1.5, 7), Camera.parse("shift:2,noise:1.5", 7));
    assertEquals(new Camera(1, 4, 1), Camera.parse("noise=4", 1));
    assertEquals("shift:1,noise:2", Camera.DEFAULT.spec());
    assertTrue(Camera.DEFAULT.describe().contains("shifted by up to 1 pixel"), Camera.DEFAULT.describe());
    assertThrows(InputException.class, () -> Camera.parse("shift:0", 1));
    assertThrows(InputException.class, () -> Camera.parse("noise:-1", 1));
    assertTrue(assertThrows(InputException.class, () -> Camera.parse("blur:1", 1)).getMessage()
        .contains("unknown second-frame setting 'blur:1'"));
    assertThrows(InputException.class, () -> Camera.parse("shift:one", 1));
  }

  /** The image moved by (dx, dy), edges replicated, written apart from the camera. */
  private static float[] shifted(float[] x, int dx, int dy) {
    float[] out = new float[x.length];
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int xx = 0; xx < W; xx++) {
          int sy = Math.min(H - 1, Math.max(0, y - dy));
          int sx = Math.min(W - 1, Math.max(0, xx - dx));
          out[(c * H + y) * W + xx] = x[(c * H + sy) * W + sx];
        }
      }
    }
    return out;
  }
}
