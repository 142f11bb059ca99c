package dev.pixelguard.attack.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The placement and camera against independent computations, and the gradient's adjoint. */
class CompositeTest {
  static final int C = 3;
  static final int H = 10;
  static final int W = 12;

  static float[] randomUnit(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble();
    }
    return v;
  }

  static Draw plain(Placement p) {
    return new Draw(p, Photometric.IDENTITY);
  }

  @Test
  void uprightAtAWholeOffsetIsADirectPixelCopy() {
    float[] image = randomUnit(C * H * W, 1);
    Sticker s = Sticker.random(C, 4, 2);
    float[] out = Composite.render(image, 0, C, H, W, s, plain(Placement.at(5, 3, 4))).output();
    for (int c = 0; c < C; c++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          boolean inside = x >= 5 && x < 9 && y >= 3 && y < 7;
          float expected = inside ? s.get(c, y - 3, x - 5) : image[(c * H + y) * W + x];
          assertEquals(expected, out[(c * H + y) * W + x], 0f, "c" + c + " (" + x + "," + y + ")");
        }
      }
    }
  }

  @Test
  void quarterAndHalfTurnsPermuteThePixels() {
    float[] image = randomUnit(C * H * W, 3);
    int n = 4;
    Sticker s = Sticker.random(C, n, 4);
    Placement upright = Placement.at(2, 1, n);
    float[] q = Composite.render(image, 0, C, H, W, s,
        plain(new Placement(90, 1, upright.centreX(), upright.centreY()))).output();
    float[] h = Composite.render(image, 0, C, H, W, s,
        plain(new Placement(180, 1, upright.centreX(), upright.centreY()))).output();
    for (int c = 0; c < C; c++) {
      for (int v = 0; v < n; v++) {
        for (int u = 0; u < n; u++) {
          // A quarter turn takes sticker pixel (u, v) to (n-1-v, u) of the footprint, a half turn to (n-1-u, n-1-v).
          assertEquals(s.get(c, v, u), q[(c * H + 1 + u) * W + 2 + (n - 1 - v)], 0f);
          assertEquals(s.get(c, v, u), h[(c * H + 1 + n - 1 - v) * W + 2 + (n - 1 - u)], 0f);
        }
      }
    }
    // Nothing outside the footprint changed.
    assertEquals(image[0], q[0], 0f);
    assertEquals(image[C * H * W - 1], h[C * H * W - 1], 0f);
  }

  @Test
  void halfPixelShiftAveragesNeighboursAndBlendsTheEdge() {
    float[] image = new float[1 * 4 * 4];
    java.util.Arrays.fill(image, 0.2f);
    Sticker s = new Sticker(1, 2, new float[] {0.4f, 0.8f, 1.0f, 0.6f});
    // Centre moved right by half a pixel: image pixel (1,0) sees half of u = -0.5 (absent) ... worked by hand.
    Placement p = new Placement(0, 1, 1.0, 0.5);
    float[] out = Composite.render(image, 0, 1, 4, 4, s, plain(p)).output();
    // Pixel (0,0): u = -0.5 -> half the sticker's (0,0) and half absent: 0.5 * 0.2 + 0.5 * 0.4 = 0.3.
    assertEquals(0.3f, out[0], 1e-6f);
    // Pixel (1,0): u = 0.5 -> mean of 0.4 and 0.8 = 0.6, fully covered.
    assertEquals(0.6f, out[1], 1e-6f);
    // Pixel (2,0): u = 1.5 -> half of 0.8 and half the image: 0.4 + 0.1 = 0.5.
    assertEquals(0.5f, out[2], 1e-6f);
    // Pixel (3,0): u = 2.5, outside: unchanged.
    assertEquals(0.2f, out[3], 0f);
  }

  @Test
  void contrastAndBrightnessAsWorkedByHand() {
    float[] image = {0.2f, 0.5f, 0.9f, 1.0f};
    Photometric cam = new Photometric(0.1, 1.5, 0, 0, 0, 0);
    float[] out = Composite.render(image, 0, 1, 2, 2, null, new Draw(Placement.at(0, 0, 1), cam)).output();
    // 1.5 (v - 0.5) + 0.5 + 0.1: 0.15, 0.6, 1.2 -> 1, 1.35 -> 1.
    assertArrayEquals(new float[] {0.15f, 0.6f, 1f, 1f}, out, 1e-6f);
  }

  @Test
  void noiseIsSeededAndJpegGivesEightBitValues() {
    float[] image = randomUnit(C * H * W, 5);
    Draw d = new Draw(Placement.at(1, 1, 3), new Photometric(0, 1, 0.7, 0.05, 42, 75));
    Sticker s = Sticker.random(C, 3, 6);
    float[] a = Composite.render(image, 0, C, H, W, s, d).output();
    float[] b = Composite.render(image, 0, C, H, W, s, d).output();
    assertArrayEquals(a, b, 0f);
    for (float v : a) {
      assertEquals(Math.rint(v * 255), v * 255, 1e-3);
    }
  }

  /** The placement alone: <P x, y> = <x, P^T y> for a rotated, scaled, off-grid placement. */
  @Test
  void placementGradientIsTheAdjoint() {
    int n = 5;
    Placement p = new Placement(23, 1.17, 5.3, 4.6);
    float[] zero = new float[C * H * W];
    SplittableRandom r = new SplittableRandom(7);
    for (int trial = 0; trial < 5; trial++) {
      Sticker x = Sticker.random(C, n, r.nextLong());
      float[] y = new float[C * H * W];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (2 * r.nextDouble() - 1);
      }
      Composite.Rendering rx = Composite.render(zero, 0, C, H, W, x, plain(p));
      double lhs = dot(rx.output(), y);
      double rhs = dot(x.values(), rx.stickerGradient(y, 0));
      assertEquals(lhs, rhs, 1e-5 * Math.max(1, Math.abs(lhs)));
      assertTrue(Math.abs(lhs) > 1e-3, "a trivial test would pass on zeros");
    }
  }

  /**
   * The whole differentiable chain (placement, contrast and brightness, blur) is affine in the sticker where
   * nothing is clamped: A x = out(x) - out(0), and <A x, y> = <x, A^T y>.
   */
  @Test
  void chainGradientIsTheAdjointOfTheAffineMap() {
    int n = 4;
    float[] image = new float[C * H * W];
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (0.35 + 0.3 * r.nextDouble());
    }
    Draw d = new Draw(new Placement(-14, 0.9, 6.2, 4.9), new Photometric(0.05, 0.8, 0.8, 0, 0, 0));
    Sticker zero = new Sticker(C, n, new float[C * n * n]);
    float[] base = Composite.render(image, 0, C, H, W, zero, d).output();
    for (int trial = 0; trial < 5; trial++) {
      Sticker x = Sticker.random(C, n, r.nextLong());
      float[] y = new float[C * H * W];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (2 * r.nextDouble() - 1);
      }
      Composite.Rendering rx = Composite.render(image, 0, C, H, W, x, d);
      float[] ax = rx.output();
      for (int i = 0; i < ax.length; i++) {
        ax[i] -= base[i];
      }
      double lhs = dot(ax, y);
      double rhs = dot(x.values(), rx.stickerGradient(y, 0));
      assertEquals(lhs, rhs, 1e-4 * Math.max(1, Math.abs(lhs)));
    }
  }

  @Test
  void conditionsAreSeededInRangeAndKeepTheStickerOnTheImage() {
    Conditions c = Conditions.realistic();
    for (long seed = 0; seed < 200; seed++) {
      Draw a = c.sample(new SplittableRandom(seed), 6, 32, 32);
      assertEquals(a, c.sample(new SplittableRandom(seed), 6, 32, 32));
      Placement p = a.placement();
      assertTrue(Math.abs(p.angleDegrees()) <= 20 && p.scale() >= 0.8 && p.scale() <= 1.2);
      Photometric cam = a.camera();
      assertTrue(Math.abs(cam.brightness()) <= 0.1 && cam.contrast() >= 0.8 && cam.contrast() <= 1.2);
      assertTrue(cam.blurSigma() <= 1 && cam.noiseStd() <= 0.02 && cam.jpegQuality() >= 60 && cam.jpegQuality() <= 95);
      // Whole coverage: the sticker's area in image pixels is size^2 scale^2 (alphas sum to it when inside).
      Composite.Taps t = Composite.Taps.of(p, 6, 32, 32);
      double covered = 0;
      for (float al : t.alpha) {
        covered += al;
      }
      assertEquals(36 * p.scale() * p.scale(), covered, 0.05 * 36, "seed " + seed);
    }
  }

  @Test
  void anAllowedRegionKeepsTheStickerInside() {
    boolean[] allowed = new boolean[32 * 32];
    for (int y = 20; y < 32; y++) {
      for (int x = 0; x < 14; x++) {
        allowed[y * 32 + x] = true; // the lower-left corner, 14 x 12
      }
    }
    Conditions c = Conditions.realistic().within(new Conditions.Region(32, 32, allowed, "corner"));
    for (long seed = 0; seed < 50; seed++) {
      Draw d = c.sample(new SplittableRandom(seed), 6, 32, 32);
      for (int pix : Composite.footprint(d.placement(), 6, 32, 32)) {
        assertTrue(allowed[pix], "seed " + seed + " covers pixel " + pix);
      }
    }
    boolean[] tiny = new boolean[32 * 32];
    tiny[0] = true;
    Conditions none = Conditions.realistic().within(new Conditions.Region(32, 32, tiny, "dot"));
    org.junit.jupiter.api.Assertions.assertThrows(dev.pixelguard.InputException.class,
        () -> none.sample(new SplittableRandom(1), 6, 32, 32));
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
