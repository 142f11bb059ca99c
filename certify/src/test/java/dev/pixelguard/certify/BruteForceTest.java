package dev.pixelguard.certify;

import dev.pixelguard.data.Datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.djl.BundledClassifier;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trying to break the proof by brute force: on the bundled Fashion-MNIST CNN, certified images are changed at
 * every position to each of 16 grey levels (0, 17, ..., 255), and each changed image is classified by the
 * defended classifier itself (its masked predictions computed afresh, nothing reused from the certificate). None
 * may change its answer. The images are certified ones on which the bare CNN itself flips, so that the test shows
 * the defence at work: the bare model falls to the very changes the defended one withstands.
 */
class BruteForceTest {
  /** Levels per channel: 16, spread evenly over [0, 255]. */
  static final int LEVELS = 16;
  /** Images certified first, among which to find three the bare CNN flips on. */
  static final int IMAGES = 40;

  /** Every image {@code im} becomes with one pixel set to one of the levels: positions x levels of them. */
  static List<Image> everyOnePixelChange(Image im) {
    List<Image> out = new ArrayList<>();
    for (int y = 0; y < im.height(); y++) {
      for (int x = 0; x < im.width(); x++) {
        for (int l = 0; l < LEVELS; l++) {
          int[] colour = new int[im.channels()];
          java.util.Arrays.fill(colour, l * 255 / (LEVELS - 1));
          out.add(im.withPixels(List.of(new PixelChange(x, y, im.colour(x, y), colour))));
        }
      }
    }
    return out;
  }

  @Test
  void noOnePixelChangeFlipsACertifiedImage() {
    try (BundledClassifier cnn = DefaultBundle.byName("builtin:fashion-cnn")) {
      Certifier c = Certifier.of(cnn).masks("lattice:3").fill("biharmonic");
      Dataset d = Datasets.samples().limit(IMAGES);
      CertificationResult r = c.certify(d);
      DoubleMasking defended = c.defended();
      List<Integer> tried = new ArrayList<>();
      int bareFlips = 0;
      for (Certificate cert : r.certificates()) {
        if (!cert.certified() || tried.size() == 3) {
          continue;
        }
        List<Image> changed = everyOnePixelChange(d.get(cert.index()).image());
        assertEquals(784 * LEVELS, changed.size());
        Scores bare = cnn.classify(ImageBatch.of(changed));
        int flips = 0;
        for (int i = 0; i < bare.size(); i++) {
          flips += bare.top(i) != cert.label() ? 1 : 0;
        }
        if (flips == 0) {
          continue; // the bare CNN is robust here: no test of the defence
        }
        Scores s = defended.classify(ImageBatch.of(changed));
        for (int i = 0; i < s.size(); i++) {
          assertEquals(cert.label(), s.top(i), "image " + cert.index() + ", change " + i);
        }
        bareFlips += flips;
        tried.add(cert.index());
      }
      assertEquals(3, tried.size(), "certified images the bare CNN flips on, among the first " + IMAGES);
      System.out.println("brute force: certified images " + tried + ", " + 784 * LEVELS + " changes each: the bare CNN"
          + " flips on " + bareFlips + ", the defended classifier on none");
    }
  }
}
