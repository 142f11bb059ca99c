package dev.pixelguard.audit;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.model.Classifier;
import java.util.Map;

/**
 * One threat model of an audit: what an attacker may change, searched with one stated budget. The same threat
 * model is run against the plain model and against the defended system, so a card can put them side by side.
 * A system whose last class is {@code abstain} (a gate) is attacked for harm: the system accepts the image and
 * answers a wrong class.
 */
public interface ThreatModel {

  /** Short name for a card's row, such as "one pixel" or "L-inf 8/255". */
  String name();

  /** The attacker's freedom, the method and the budget, in one line. */
  String describe();

  /** Every setting, seeds included, for the audit's record. */
  Map<String, Object> settings();

  /**
   * Attacks {@code system} on {@code images}. Each image's outcome depends only on the image, the settings and
   * the seed, never on {@code execution}.
   *
   * @param progress called as attacked images finish, or null
   */
  default ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress) {
    return assess(system, images, execution, progress, null);
  }

  /**
   * As {@link #assess(Classifier, Dataset, Execution, Progress)}, journaled: images whose outcome {@code journal}
   * holds from an earlier run are taken from it, and every image finished now is appended to it as it finishes,
   * so the outcome equals an uninterrupted run's image for image.
   *
   * @param journal this threat model's and system's part of the audit's journal, or null for none
   */
  ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress, Journal journal);

  /** Progress of one assessment. */
  interface Progress {
    /**
     * @param done images finished
     * @param total images to attack
     * @param fooled images the attacker won so far
     */
    void step(int done, int total, int fooled);
  }
}
