package dev.pixelguard.attack.scan;

import dev.pixelguard.attack.ScanFindings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelScanTest {
  /** Class 1 exactly when pixel (x=3, y=5) is above 0.9 (8-bit 230 and up): logits (0, 10 (v - 0.9)). */
  static final Classifier BRIGHT = new Classifier() {
    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 8, 8, 2, List.of("dark", "bright"), "toy");
    }

    @Override
    public Scores classify(ImageBatch b) {
      float[][] z = new float[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        z[i] = new float[] {0f, 10f * (b.get(i, 0, 5, 3) - 0.9f)};
      }
      return Scores.fromLogits(z);
    }
  };

  static Image gray(int v) {
    byte[] px = new byte[64];
    java.util.Arrays.fill(px, (byte) v);
    return new Image(1, 8, 8, px);
  }

  @Test
  void colourGrids() {
    assertEquals(8, new PixelScan(2, false, 10).colours(3).size());
    assertArrayEquals(new int[] {255, 0, 255}, new PixelScan(2, false, 10).colours(3).get(5));
    assertEquals(27, new PixelScan(3, false, 10).colours(3).size());
    assertArrayEquals(new int[] {128}, new PixelScan(3, false, 10).colours(1).get(1));
  }

  @Test
  void fullScanFindsExactlyTheOneFlippingPixelAndMapsEveryPosition() {
    AttackResult a = new PixelScan(2, false, 7).run(BRIGHT, gray(10), new Goal.Untargeted(0));
    ScanFindings r = a.findings();
    assertTrue(r.vulnerable());
    assertTrue(a.success(), "the first flip, checked once more, is the attack's answer");
    assertEquals(1, a.perturbation().pixels());
    assertTrue(r.complete());
    assertEquals(128, a.queries(), "64 positions x 2 colours");
    assertEquals(1, r.flips().size());
    ScanFindings.Flip f = r.flips().get(0);
    assertEquals(3, f.x());
    assertEquals(5, f.y());
    assertArrayEquals(new int[] {255}, f.colour());
    assertEquals(1, f.adversarialClass());
    float[] map = r.map();
    double expectedAt35 = 1 / (1 + Math.exp(10 * (1 - 0.9)));
    assertEquals(expectedAt35, map[5 * 8 + 3], 1e-6);
    double elsewhere = 1 / (1 + Math.exp(10 * (10 / 255.0 - 0.9)));
    assertEquals(elsewhere, map[0], 1e-6);
    // First success: position 43 (y 5, x 3) colour 1 is candidate 87, in the 13th chunk of 7 (queries 84..91).
    assertEquals(91, a.cost().firstSuccessQuery());
  }

  @Test
  void withoutAFlipItProposesTheMostDamagingChangeAndFails() {
    // From black, away from 'dark' is impossible for a model that only answers 'bright' above 0.9 at (3,5)...
    // unless that pixel goes white, so scan a goal that needs the target probability above what one pixel gives.
    AttackResult r = new PixelScan(2, false, 16).run(BRIGHT, gray(10),
        new Goal.Untargeted(0).and(dev.pixelguard.attack.Criterion.topConfidenceAtLeast(0.9)));
    assertFalse(r.success(), "the flip at (3,5) reaches only 0.731");
    assertFalse(r.findings().vulnerable());
    assertEquals(1, r.changes().size());
    assertEquals(3, r.changes().get(0).x());
    assertEquals(5, r.changes().get(0).y());
  }

  @Test
  void earlyExitStopsAtTheChunkWithTheFlip() {
    AttackResult r = new PixelScan(2, true, 7).run(BRIGHT, gray(10), new Goal.Untargeted(0));
    assertTrue(r.findings().vulnerable());
    assertFalse(r.findings().complete());
    assertEquals(91, r.queries());
    assertTrue(r.success());
  }

  @Test
  void darkeningIsTheOnlyWayBackAndTargetedScansUseTheTargetProbability() {
    // All white: the model says bright; only (3,5) set to black makes it dark again.
    ScanFindings r = new PixelScan(2, false, 50).run(BRIGHT, gray(255), new Goal.Untargeted(1)).findings();
    assertEquals(1, r.flips().size());
    assertArrayEquals(new int[] {0}, r.flips().get(0).colour());
    // Targeted at 'bright' from dark: the same single flip, and the map holds one minus the highest target
    // probability (Su et al.'s targeted fitness, low = vulnerable).
    ScanFindings t = new PixelScan(2, false, 50).run(BRIGHT, gray(10), new Goal.Targeted(1)).findings();
    assertEquals(1, t.flips().size());
    assertEquals(1 - 1 / (1 + Math.exp(-10 * (1 - 0.9))), t.map()[5 * 8 + 3], 1e-6);
  }
}
