package dev.pixelguard.certify;

import java.util.List;

/**
 * One image's outcome under double masking.
 *
 * @param index the image's index in the dataset certified
 * @param id the image's id
 * @param label the true class, or -1 when the image has none (then it is never certified)
 * @param modelPrediction the bare model's top class on the clean image
 * @param defendedPrediction the defended classifier's top class on the clean image ({@link DoubleMasking})
 * @param certified whether the proof holds: no change within the threat makes the defended classifier answer
 *     anything but {@code label}
 * @param provingMasks when certified, the masks whose one- and two-mask predictions are all the true class (with
 *     a lead above the guard); every region of the threat lies inside one of them. Empty otherwise
 * @param uncoveredRegion when not certified, the first region of the threat left without such a mask, e.g. "pixel
 *     (3, 7)"; null otherwise (and for unlabelled images)
 * @param disagreeingMasks masks whose one-mask prediction is not the true class (or leads by no more than the
 *     guard), among those computed
 * @param disagreeingPairs two-mask predictions that are not the true class (or lead by no more than the guard),
 *     among those computed
 * @param complete whether every one- and two-mask prediction was computed (false when early exit stopped it)
 * @param passes masked images the model classified for this image
 * @param gate the certified gate's outcome on this image, when {@code complete}; null otherwise
 */
public record Certificate(int index, String id, int label, int modelPrediction, int defendedPrediction,
    boolean certified, List<Integer> provingMasks, String uncoveredRegion, List<Integer> disagreeingMasks,
    List<Pair> disagreeingPairs, boolean complete, long passes, CertifiedGate.Outcome gate) {

  public Certificate {
    provingMasks = List.copyOf(provingMasks);
    disagreeingMasks = List.copyOf(disagreeingMasks);
    disagreeingPairs = List.copyOf(disagreeingPairs);
  }

  /**
   * A two-mask prediction.
   *
   * @param a the first mask
   * @param b the second mask, greater than {@code a}
   * @param predicted the model's top class with both applied
   */
  public record Pair(int a, int b, int predicted) {}

  public boolean hasLabel() {
    return label >= 0;
  }

  /** Whether the bare model classifies the clean image correctly. */
  public boolean modelCorrect() {
    return label >= 0 && modelPrediction == label;
  }

  /** Whether the defended classifier classifies the clean image correctly. */
  public boolean defendedCorrect() {
    return label >= 0 && defendedPrediction == label;
  }
}
