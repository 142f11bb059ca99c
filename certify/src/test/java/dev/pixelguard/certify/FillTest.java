package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.testing.Fixtures;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FillTest {
  private static final List<Fill> FILLS = List.of(Fills.constant(0.5f), Fills.neighbourMean(), Fills.harmonic(),
      Fills.biharmonic(), Fills.parse("stencil:0.6274/-0.3827/-0.2142/0.1303/-0.0410"));

  private static float[] random(SplittableRandom r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(256) / 255f;
    }
    return v;
  }

  /**
   * The soundness condition: a masked image is a function of the pixels outside the applied masks. Changing every
   * hidden value (to anything, even NaN or values far outside [0, 1]) leaves the masked image bit for bit the same.
   */
  @Test
  void aMaskedImageDependsOnlyOnThePixelsOutsideTheAppliedMasks() {
    SplittableRandom r = new SplittableRandom(29);
    int c = 3;
    int h = 12;
    int w = 10; // not square, so that x and y cannot be swapped unnoticed
    for (String spec : new String[] {"lattice:3", "skew:7/3", "blocks:4/3", "spread:3/2/2"}) {
      MaskSet set = MaskSpec.parse(spec).build(h, w);
      for (Fill fill : FILLS) {
        Masker masker = new Masker(set, fill, c);
        for (int trial = 0; trial < 20; trial++) {
          int a = r.nextInt(set.size());
          int b = r.nextInt(set.size());
          float[] image = random(r, c * h * w);
          float[] before = masker.render(image, a, b);
          float[] changed = image.clone();
          for (int m : new int[] {a, b}) {
            for (int p : set.positions(m)) {
              for (int ch = 0; ch < c; ch++) {
                float[] odd = {Float.NaN, 1e9f, -3f, r.nextFloat()};
                changed[ch * h * w + p] = odd[r.nextInt(odd.length)];
              }
            }
          }
          float[] after = masker.render(changed, a, b);
          String what = spec + " " + fill.spec() + " masks " + a + ", " + b;
          assertTrue(Arrays.equals(before, after), what); // Arrays.equals on floats compares bits
          for (int p = 0; p < h * w; p++) {
            boolean hidden = set.holds(a, p) || set.holds(b, p);
            for (int ch = 0; ch < c; ch++) {
              float v = after[ch * h * w + p];
              if (!hidden) {
                assertEquals(image[ch * h * w + p], v, 0f, what + " visible " + p);
              } else {
                assertTrue(v >= 0f && v <= 1f, what + " hidden " + p + " = " + v);
              }
            }
          }
        }
      }
    }
  }

  /** A 5x5 grey image with one hidden pixel, (x, y); values v(x, y) = (x + 5 y) / 24. */
  private static float[] fillOne(Fill fill, int x, int y) {
    float[] img = new float[25];
    for (int i = 0; i < 25; i++) {
      img[i] = (i % 5 + 5 * (i / 5)) / 24f;
    }
    boolean[] hidden = new boolean[25];
    hidden[y * 5 + x] = true;
    Visible v = Visible.of(img, 0, 1, 5, 5, hidden);
    float[] out = new float[1];
    fill.fill(v, out);
    return out;
  }

  private static float v(int x, int y) {
    return (x + 5 * y) / 24f;
  }

  @Test
  void fillsGiveHandWorkedValues() {
    assertEquals(0.5f, fillOne(Fills.constant(0.5f), 2, 2)[0]);
    float four = (v(1, 2) + v(3, 2) + v(2, 1) + v(2, 3)) / 4;
    assertEquals(four, fillOne(Fills.harmonic(), 2, 2)[0], 1e-6f);
    assertEquals((v(1, 0) + v(0, 1)) / 2, fillOne(Fills.harmonic(), 0, 0)[0], 1e-6f); // a corner: 2 neighbours
    float eight = 0;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        eight += dx == 0 && dy == 0 ? 0 : v(2 + dx, 2 + dy) / 8;
      }
    }
    assertEquals(eight, fillOne(Fills.neighbourMean(), 2, 2)[0], 1e-6f);
    float diag = v(1, 1) + v(3, 1) + v(1, 3) + v(3, 3);
    float axis2 = v(0, 2) + v(4, 2) + v(2, 0) + v(2, 4);
    float bih = (8 * 4 * four - 2 * diag - axis2) / 20;
    assertEquals(bih, fillOne(Fills.biharmonic(), 2, 2)[0], 1e-6f);
    // On a linear ramp every one of these reproduces the true value, 12 / 24.
    assertEquals(0.5f, bih, 1e-6f);
    assertEquals(0.5f, fillOne(Fills.parse("stencil:0.25/0/0/0/0"), 2, 2)[0], 1e-6f);
  }

  @Test
  void aFillCannotReadAHiddenPixel() {
    boolean[] hidden = new boolean[4];
    hidden[3] = true;
    Visible v = Visible.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 0, 1, 2, 2, hidden);
    assertEquals(0.3f, v.value(0, 0, 1));
    assertThrows(IllegalStateException.class, () -> v.value(0, 1, 1));
    assertEquals(1, v.hiddenCount());
    assertEquals(3, v.hiddenPosition(0));
    float[] out = new float[4];
    assertThrows(IllegalStateException.class, () -> v.compose(new float[] {Float.NaN}, out, 0));
  }

  @Test
  void fillSpecsReadBackAndBadOnesAreRefusedInOneLine() {
    for (Fill f : FILLS) {
      assertEquals(f.spec(), Fills.parse(f.spec()).spec());
    }
    assertEquals("grey:0.25", Fills.parse("grey:0.25").spec());
    for (String bad : new String[] {"blur", "grey:2", "grey:x", "stencil:1/2/3", "stencil:a/0/0/0/0"}) {
      InputException e = assertThrows(InputException.class, () -> Fills.parse(bad), bad);
      assertTrue(!e.getMessage().contains("\n"), bad);
    }
  }

  @Test
  void aStencilFittedOnCifarImagesPredictsAPixelFromItsNeighbours() {
    Dataset fit = Fixtures.cifar().range(new dev.pixelguard.data.Split.Range(466, 565));
    OrbitFill s = OrbitFill.fit(fit);
    double[] w = s.weights();
    double sum = 4 * w[0] + 4 * w[1] + 4 * w[2] + 8 * w[3] + 4 * w[4];
    assertEquals(1.0, sum, 0.01, s.spec()); // it reproduces a flat image
    assertTrue(w[0] > 0.5 && w[1] < -0.2, s.spec()); // 4 neighbours up, diagonals down, as a sharpening interpolant
    assertEquals(s, Fills.parse(s.spec()));
  }
}
