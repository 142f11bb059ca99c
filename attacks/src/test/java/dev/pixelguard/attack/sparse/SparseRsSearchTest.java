package dev.pixelguard.attack.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.query.QueryAttack;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sparse-RS's sampling, driven by hand: with scores that never change, every candidate ties the current one and
 * is kept, so each candidate differs from the one before by exactly one step.
 */
class SparseRsSearchTest {
  private static final Scores FLAT = Scores.fromLogits(new float[][] {{2f, 1f, 0f}});

  private static Image randomImage(int channels, int h, int w, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] v = new byte[channels * h * w];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) r.nextInt(256);
    }
    return new Image(channels, h, w, v);
  }

  private static AttackTask task(Image image, long seed) {
    return new AttackTask("t", image, new Goal.Untargeted(0), FLAT, seed);
  }

  /** Every candidate the search asks for, scored {@code FLAT}, until the budget ends. */
  private static List<float[]> candidates(SparseRs attack, AttackTask task) {
    QueryAttack.Search s = attack.search(task);
    Image im = task.image();
    List<float[]> out = new ArrayList<>();
    while (!s.isDone()) {
      float[] v = new float[im.channels() * im.positions()];
      s.ask().write(0, v, 0);
      out.add(v);
      s.tell(FLAT);
    }
    return out;
  }

  /** Positions where any channel differs from the image. */
  private static Set<Integer> changed(Image im, float[] v) {
    Set<Integer> out = new HashSet<>();
    int plane = im.positions();
    for (int c = 0; c < im.channels(); c++) {
      for (int p = 0; p < plane; p++) {
        int x = Math.round(v[c * plane + p] * 255);
        if (x != im.get(c, p / im.width(), p % im.width())) {
          out.add(p);
          assertTrue(v[c * plane + p] * 255 == x, "an 8-bit value");
        }
      }
    }
    return out;
  }

  private static boolean corner(Image im, float[] v, int p) {
    int plane = im.positions();
    for (int c = 0; c < im.channels(); c++) {
      if (v[c * plane + p] != 0f && v[c * plane + p] != 1f) {
        return false;
      }
    }
    return true;
  }

  @Test
  void eachStepMovesTheScheduledNumberOfPixelsToNewPositionsWithCornerColours() {
    Image im = randomImage(3, 8, 8, 3);
    int k = 20;
    long budget = 400;
    SparseRs attack = SparseRs.builder().pixels(k).budget(budget).alphaInit(0.5).build();
    List<float[]> cs = candidates(attack, task(im, 11));
    assertEquals(budget, cs.size());
    Set<Integer> before = null;
    for (int i = 0; i < cs.size(); i++) {
      Set<Integer> now = changed(im, cs.get(i));
      assertEquals(k, now.size(), "exactly k pixels changed at query " + i);
      for (int p : now) {
        assertTrue(corner(im, cs.get(i), p), "a corner colour");
      }
      if (before != null) {
        Set<Integer> gone = new HashSet<>(before);
        gone.removeAll(now);
        int expected = Schedule.resampled(Schedule.alpha(0.5, i, budget), k);
        assertEquals(expected, gone.size(), "pixels moved at step " + i);
      }
      before = now;
    }
  }

  @Test
  void grayscalePixelsAlreadyAtACornerGetTheOtherOne() {
    byte[] v = new byte[6 * 6];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) (i % 2 == 0 ? 0 : 255);
    }
    Image im = new Image(1, 6, 6, v);
    SparseRs attack = SparseRs.builder().pixels(36).budget(50).build(); // every position: colours only
    for (float[] c : candidates(attack, task(im, 5))) {
      assertEquals(36, changed(im, c).size());
    }
    SparseRs three = SparseRs.builder().pixels(3).budget(50).build();
    for (float[] c : candidates(three, task(im, 5))) {
      assertEquals(3, changed(im, c).size());
    }
  }

  @Test
  void aPatchStaysOneSquareAndMovesOnlyEveryFourthStep() {
    Image im = randomImage(3, 16, 16, 4);
    int s = 4;
    long budget = 600;
    SparseRs attack = SparseRs.builder().patch(s).budget(budget).build();
    List<float[]> cs = candidates(attack, task(im, 21));
    int[] place = null;
    int moves = 0;
    for (int i = 0; i < cs.size(); i++) {
      Set<Integer> now = changed(im, cs.get(i));
      assertTrue(now.size() <= s * s);
      int top = now.stream().mapToInt(p -> p / 16).min().orElseThrow();
      int left = now.stream().mapToInt(p -> p % 16).min().orElseThrow();
      for (int p : now) {
        assertTrue(p / 16 < top + s && p % 16 < left + s, "inside one " + s + "x" + s + " square");
        assertTrue(corner(im, cs.get(i), p));
      }
      // The square's place is only certain when its corners changed; compare places of full patches only.
      int[] here = {top, left};
      if (now.size() == s * s) {
        if (place != null && (place[0] != here[0] || place[1] != here[1])) {
          moves++;
          assertEquals(0, i % 4, "moves on every fourth step, moved at " + i);
        }
        place = here;
      }
    }
    assertTrue(moves > 10, "the patch moved " + moves + " times");
  }

  @Test
  void aFrameChangesOnlyTheBorder() {
    Image im = randomImage(3, 10, 12, 6);
    SparseRs attack = SparseRs.builder().frame(2).budget(200).build();
    for (float[] c : candidates(attack, task(im, 2))) {
      for (int p : changed(im, c)) {
        int y = p / 12;
        int x = p % 12;
        assertTrue(y < 2 || y >= 8 || x < 2 || x >= 10, "pixel " + x + "," + y + " in the frame");
      }
    }
    assertEquals(2 * 12 * 2 + 2 * 6 * 2, RegionSearch.frameCells(10, 12, 2).length);
  }

  @Test
  void theSameSeedGivesTheSameCandidatesAndAnotherSeedOthers() {
    Image im = randomImage(3, 8, 8, 9);
    SparseRs attack = SparseRs.builder().pixels(5).budget(60).build();
    List<float[]> a = candidates(attack, task(im, 77));
    List<float[]> b = candidates(attack, task(im, 77));
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    assertFalse(java.util.Arrays.equals(a.get(0), candidates(attack, task(im, 78)).get(0)));
  }

  @Test
  void theLossIsThePapersByGoalUnlessGiven() {
    SparseRs a = SparseRs.builder().build();
    assertEquals(Objective.MARGIN, a.objectiveFor(new Goal.Untargeted(1)));
    assertEquals(Objective.MARGIN, a.objectiveFor(new Goal.Harm(1, 10)));
    assertEquals(Objective.LOG_PROBABILITY, a.objectiveFor(new Goal.Targeted(2)));
    assertEquals(Objective.MARGIN, SparseRs.builder().objective(Objective.MARGIN).build()
        .objectiveFor(new Goal.Targeted(2)));
  }

  @Test
  void threatModelsThatDoNotFitAreRefused() {
    Image im = randomImage(3, 8, 8, 1);
    assertThrows(IllegalArgumentException.class, () -> SparseRs.builder().pixels(65).build().search(task(im, 1)));
    assertThrows(IllegalArgumentException.class, () -> SparseRs.builder().patch(9).build().search(task(im, 1)));
    assertThrows(IllegalArgumentException.class, () -> SparseRs.builder().frame(4).build().search(task(im, 1)));
    assertThrows(IllegalArgumentException.class, () -> SparseRs.builder().alphaInit(0));
    assertThrows(IllegalArgumentException.class, () -> SparseRs.builder().pixels(0));
  }
}
