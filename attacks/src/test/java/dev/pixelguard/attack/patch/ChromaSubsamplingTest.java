package dev.pixelguard.attack.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.transform.Jpeg;
import dev.pixelguard.testing.Fixtures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JPEG step's chroma stand-in: its transpose, and that it is nearer the real codec than the identity. */
class ChromaSubsamplingTest {
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** <S x, y> = <x, S^T y>, on an odd-sized image so that border blocks are cut. */
  @Test
  void transposeIsTheAdjoint() {
    int h = 7;
    int w = 9;
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 5; trial++) {
      float[] x = CompositeTest.randomUnit(3 * h * w, r.nextLong());
      float[] y = new float[3 * h * w];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (2 * r.nextDouble() - 1);
      }
      double lhs = dot(ChromaSubsampling.apply(x, h, w), y);
      double rhs = dot(x, ChromaSubsampling.transpose(y, h, w));
      assertEquals(lhs, rhs, 1e-5 * Math.max(1, Math.abs(lhs)));
      assertTrue(Math.abs(lhs) > 1e-2, "a trivial test would pass on zeros");
    }
  }

  /** Luma is kept and grey stays grey: a grey image passes unchanged; a 2x2 colour check loses its colour. */
  @Test
  void keepsLumaAndAveragesColourOverBlocks() {
    int h = 2;
    int w = 2;
    float[] grey = {0.1f, 0.4f, 0.7f, 0.9f, 0.1f, 0.4f, 0.7f, 0.9f, 0.1f, 0.4f, 0.7f, 0.9f};
    float[] out = ChromaSubsampling.apply(grey, h, w);
    for (int i = 0; i < grey.length; i++) {
      assertEquals(grey[i], out[i], 1e-5);
    }
    // red and green pixels on the diagonal of one block: chroma becomes their mean, luma stays per pixel
    float[] check = {1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0};
    float[] o = ChromaSubsampling.apply(check, h, w);
    double[] cb = new double[4];
    double[] cr = new double[4];
    for (int p = 0; p < 4; p++) {
      double rr = o[p];
      double gg = o[4 + p];
      double bb = o[8 + p];
      assertEquals(0.299 * check[p] + 0.587 * check[4 + p], 0.299 * rr + 0.587 * gg + 0.114 * bb, 1e-5);
      cb[p] = -0.168735892 * rr - 0.331264108 * gg + 0.5 * bb;
      cr[p] = 0.5 * rr - 0.418687589 * gg - 0.081312411 * bb;
    }
    for (int p = 1; p < 4; p++) {
      assertEquals(cb[0], cb[p], 1e-5);
      assertEquals(cr[0], cr[p], 1e-5);
    }
    assertEquals((0.5 - 0.418687589) / 2, cr[0], 1e-5);
  }

  /**
   * On real CIFAR-10 images with a colourful sticker, the JDK codec's output at quality 95 is nearer the stand-in
   * S(x) than x itself: the stand-in models what JPEG does to colour, so its transpose is a better gradient than
   * the identity.
   */
  @Test
  void nearerTheCodecThanTheIdentityOnStickeredFixtures() {
    Dataset cifar = Fixtures.cifar();
    int c = 3;
    int h = 32;
    int w = 32;
    Sticker s = Sticker.random(c, 6, 5);
    Jpeg jpeg = new Jpeg(95);
    double identity = 0;
    double standIn = 0;
    for (int i = 0; i < 20; i++) {
      float[] x = new float[c * h * w];
      cifar.get(i).image().writeUnit(x, 0);
      float[] v = Composite.render(x, 0, c, h, w, s, new Draw(Placement.at(4 + i % 10, 3 + i % 7, 6),
          Photometric.IDENTITY)).output();
      float[] j = new float[v.length];
      jpeg.apply(v, 0, c, h, w, j, 0, 0);
      float[] sv = ChromaSubsampling.apply(v, h, w);
      for (int k = 0; k < v.length; k++) {
        identity += (j[k] - v[k]) * (double) (j[k] - v[k]);
        standIn += (j[k] - sv[k]) * (double) (j[k] - sv[k]);
      }
    }
    assertTrue(standIn < 0.3 * identity, "codec error: identity " + identity + ", stand-in " + standIn);
  }

  /** The rendering's sticker gradient through JPEG with the chroma stand-in is the identity's applied to S^T g. */
  @Test
  void renderingUsesTheStandInOnlyThroughJpeg() {
    int h = 10;
    int w = 12;
    float[] image = CompositeTest.randomUnit(3 * h * w, 21);
    Sticker s = Sticker.random(3, 4, 22);
    float[] g = new float[3 * h * w];
    SplittableRandom r = new SplittableRandom(23);
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) (2 * r.nextDouble() - 1);
    }
    Placement p = new Placement(17, 1.1, 5.4, 4.7);
    Composite.Rendering withJpeg = Composite.render(image, 0, 3, h, w, s, new Draw(p, new Photometric(0, 1, 0, 0, 0, 80)));
    float[] chroma = withJpeg.stickerGradient(g, 0, StickerSettings.JpegGradient.CHROMA);
    float[] expected = withJpeg.stickerGradient(ChromaSubsampling.transpose(g, h, w), 0,
        StickerSettings.JpegGradient.IDENTITY);
    float[] identity = withJpeg.stickerGradient(g, 0, StickerSettings.JpegGradient.IDENTITY);
    double diff = 0;
    for (int i = 0; i < chroma.length; i++) {
      assertEquals(expected[i], chroma[i], 1e-5);
      diff += Math.abs(chroma[i] - identity[i]);
    }
    assertTrue(diff > 1e-2, "the stand-in changes the gradient through JPEG");
    Composite.Rendering noJpeg = Composite.render(image, 0, 3, h, w, s, new Draw(p, Photometric.IDENTITY));
    assertArrayEquals(noJpeg.stickerGradient(g, 0, StickerSettings.JpegGradient.IDENTITY),
        noJpeg.stickerGradient(g, 0, StickerSettings.JpegGradient.CHROMA), 0f);
  }
}
