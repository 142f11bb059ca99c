package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Double masking, the certificate and the gate on a toy model whose every answer is known by hand. */
class DoubleMaskingTest {
  private static final int SIDE = 6;
  private final BrightPixelModel toy = new BrightPixelModel(1, SIDE, SIDE);
  /** lattice:2 on 6x6: 4 masks of 9 pixels; 4 one-mask and 6 two-mask predictions. */
  private final Certifier certifier = Certifier.of(toy).masks("lattice:2").fill("harmonic");

  private static Image dark(int... brightXy) {
    byte[] v = new byte[SIDE * SIDE];
    Arrays.fill(v, (byte) 51); // 0.2
    for (int i = 0; i < brightXy.length; i += 2) {
      v[brightXy[i + 1] * SIDE + brightXy[i]] = (byte) 255;
    }
    return new Image(1, SIDE, SIDE, v);
  }

  private int defended(Image im) {
    return certifier.defended().classify(ImageBatch.of(List.of(im))).top(0);
  }

  @Test
  void oneBrightPixelIsMaskedAwayThoughTheBareModelSeesIt() {
    Image im = dark(2, 3);
    assertEquals(1, toy.classify(ImageBatch.of(List.of(im))).top(0));
    // First round: the 3 masks that leave (2, 3) visible say bright, mask (1, 0) hides it and says dark; that
    // disagreer's second round (it with every mask) all hides the pixel, all dark: the answer is dark.
    assertEquals(0, defended(im));
  }

  @Test
  void twoBrightPixelsInDifferentMasksAreBeyondTheThreat() {
    // (2, 3) is in mask (1, 0), (3, 3) in mask (1, 1): every one-mask view sees one of them.
    assertEquals(1, defended(dark(2, 3, 3, 3)));
  }

  @Test
  void aDarkImageIsCertifiedAndNoSinglePixelOfAnyValueFlipsTheDefence() {
    Dataset d = new Dataset("toy", List.of(new LabeledImage("dark", dark(), 0)), List.of("dark", "bright"));
    Certificate c = certifier.certify(d).certificates().get(0);
    assertTrue(c.certified());
    assertEquals(List.of(0, 1, 2, 3), c.provingMasks());
    assertEquals(10, c.passes());
    assertTrue(c.complete());
    // Brute force: every position, 16 grey levels, through the defended classifier itself.
    Image im = dark();
    List<Image> changed = new ArrayList<>();
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        for (int level = 0; level < 16; level++) {
          changed.add(im.withPixels(List.of(new PixelChange(x, y, im.colour(x, y), new int[] {level * 17}))));
        }
      }
    }
    Scores s = certifier.defended().classify(ImageBatch.of(changed));
    for (int i = 0; i < s.size(); i++) {
      assertEquals(0, s.top(i), "change " + i);
    }
  }

  @Test
  void aBrightImageIsNotCertifiedAndItsCertificateNamesTheMaskThatDisagrees() {
    Dataset d = new Dataset("toy", List.of(new LabeledImage("bright", dark(2, 3), 1)), List.of("dark", "bright"));
    CertificationResult full = certifier.certify(d);
    Certificate c = full.certificates().get(0);
    assertFalse(c.certified());
    assertEquals(1, c.modelPrediction());
    assertEquals(0, c.defendedPrediction());
    assertEquals(List.of(2), c.disagreeingMasks()); // (2, 3): row 3 mod 2 = 1, column 0: mask 2
    assertEquals(List.of(new Certificate.Pair(0, 2, 0), new Certificate.Pair(1, 2, 0), new Certificate.Pair(2, 3, 0)),
        c.disagreeingPairs());
    // Every row has a wrong entry (each mask with mask 2 is dark): no pixel has a proving mask, the first is (0, 0).
    assertEquals("pixel (0, 0)", c.uncoveredRegion());
    // Early exit: the first round settles it (4 passes); the defended answer then needs mask 2's row, 3 more.
    Certificate early = certifier.earlyExit(true).certify(d).certificates().get(0);
    assertFalse(early.certified());
    assertEquals(0, early.defendedPrediction());
    assertEquals(7, early.passes());
    assertFalse(early.complete());
    assertEquals(null, early.gate());
    assertEquals("pixel (0, 1)", early.uncoveredRegion()); // known after the first round: mask 2's first pixel
  }

  @Test
  void theGateAbstainsWhereViewsDisagreeAndItsBoundCountsImagesAnAttackCouldHarm() {
    Dataset d = new Dataset("toy", List.of(
        new LabeledImage("dark", dark(), 0), // all views dark: accepted, and no attack can harm it
        new LabeledImage("one", dark(2, 3), 0), // views disagree: abstains; mask 2's row stays dark under attack
        new LabeledImage("three", dark(0, 0, 1, 0, 0, 1), 0)), // bright in masks 0, 1, 2: every view bright
        List.of("dark", "bright"));
    CertificationResult r = certifier.certify(d);
    assertEquals(new CertifiedGate.Outcome(0, List.of()), r.certificates().get(0).gate());
    assertEquals(new CertifiedGate.Outcome(-1, List.of()), r.certificates().get(1).gate());
    assertEquals(new CertifiedGate.Outcome(1, List.of(1)), r.certificates().get(2).gate());
    CertifiedGate.Bound b = CertifiedGate.bound(r);
    assertEquals(new CertifiedGate.Bound(3, 1, 1, 1, 1), b);
  }

  @Test
  void reportedScoresPutTheDefendedClassOnTop() {
    float[][] first = {{0f, 3f, 1f}, {0f, 3f, 1f}, {5f, 0f, 0f}};
    float[] z = DoubleMasking.reported(first, 0);
    assertArrayEquals(new float[] {2f, 5f / 3, 2f / 3}, z, 1e-6f); // mean (5/3, 2, 2/3), 0 and 1 swapped
    float[] tie = DoubleMasking.reported(new float[][] {{1f, 1f}}, 1);
    assertTrue(tie[1] > tie[0]);
    assertEquals(1, DoubleMasking.majority(new int[] {2, 1, 2, 1, 0})); // a tie goes to the lower class
    assertEquals(2, DoubleMasking.majority(new int[] {2, 1, 2, 2}));
  }
}
