package dev.pixelguard.certify;

import java.util.ArrayList;
import java.util.List;

/**
 * A certified gate (issue 29, item 3): it accepts an image only when every one- and two-mask prediction agrees,
 * answering that class, and abstains otherwise. Its harm, accepting a wrong class, has a bound proven from clean
 * images alone, with no attack:
 *
 * <p>An attacker whose change lies in a region r cannot change any prediction made with a mask covering r
 * applied. So on an attacked image the gate can accept a wrong class c only if, on the clean image, every
 * prediction with such a mask applied (alone and paired with each other mask) is already c, for every mask
 * covering r. With a partition (one pixel), that is: some mask A whose whole row is c. An image with no such
 * region and class can never be harmed; the count of images that have one bounds the harm. A prediction whose
 * lead is within the guard counts as possibly any class, so the bound holds under the engine's rounding too.
 */
public final class CertifiedGate {
  private CertifiedGate() {}

  /**
   * The gate on one clean image.
   *
   * @param accepted the class every prediction agrees on, or -1 when the gate abstains
   * @param harmClasses the wrong classes an attacker could make it accept (see the class comment); empty when
   *     the image cannot be harmed
   */
  public record Outcome(int accepted, List<Integer> harmClasses) {
    public Outcome {
      harmClasses = List.copyOf(harmClasses);
    }

    /** Whether an attack could make the gate accept a wrong class on this image. */
    public boolean harmable() {
      return !harmClasses.isEmpty();
    }
  }

  /**
   * The gate's figures over a certification run.
   *
   * @param judged labelled images with every prediction computed
   * @param acceptedCorrect clean images accepted with the true class
   * @param acceptedWrong clean images accepted with a wrong class (harm with no attack)
   * @param abstained clean images the gate abstains on
   * @param harmBound images an attack could make the gate accept wrongly: the proven bound on harm under the
   *     threat (it includes {@code acceptedWrong})
   */
  public record Bound(int judged, int acceptedCorrect, int acceptedWrong, int abstained, int harmBound) {
    /** Share of clean images accepted. */
    public double coverage() {
      return judged == 0 ? 0 : (acceptedCorrect + acceptedWrong) / (double) judged;
    }

    /** Proven harm rate under the threat: {@code harmBound / judged}. */
    public double harmRate() {
      return judged == 0 ? 0 : harmBound / (double) judged;
    }
  }

  /**
   * The gate's figures over the labelled images of {@code result} that were certified in full (early exit off).
   *
   * @throws IllegalArgumentException when no image was computed in full
   */
  public static Bound bound(CertificationResult result) {
    int judged = 0;
    int correct = 0;
    int wrong = 0;
    int abstained = 0;
    int harm = 0;
    for (Certificate c : result.certificates()) {
      if (c.gate() == null || !c.hasLabel()) {
        continue;
      }
      judged++;
      Outcome o = c.gate();
      if (o.accepted() < 0) {
        abstained++;
      } else if (o.accepted() == c.label()) {
        correct++;
      } else {
        wrong++;
      }
      harm += o.harmable() ? 1 : 0;
    }
    if (judged == 0) {
      throw new IllegalArgumentException("the gate's bound needs every prediction of an image: certify without early exit");
    }
    return new Bound(judged, correct, wrong, abstained, harm);
  }

  /** The gate on a complete grid of an image of class {@code label} ({@code -1}: no harm classes). */
  static Outcome judge(Grid grid, MaskSet.Cover cover, int label, int classes, float guard) {
    int k = grid.size();
    int first = grid.label(0, 0);
    boolean agree = true;
    for (int a = 0; a < k && agree; a++) {
      for (int b = a; b < k && agree; b++) {
        agree = grid.label(a, b) == first;
      }
    }
    List<Integer> harm = new ArrayList<>();
    for (int c = 0; c < classes && label >= 0; c++) {
      if (c == label) {
        continue;
      }
      long[] rows = new long[(k + 63) / 64];
      for (int a = 0; a < k; a++) {
        boolean all = true;
        for (int b = 0; b < k && all; b++) {
          all = grid.label(a, b) == c || grid.lead(a, b) <= guard;
        }
        if (all) {
          rows[a >>> 6] |= 1L << (a & 63);
        }
      }
      if (cover.anyRegionWithin(rows)) {
        harm.add(c);
      }
    }
    return new Outcome(agree ? first : -1, harm);
  }
}
