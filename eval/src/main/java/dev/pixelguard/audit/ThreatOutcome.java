package dev.pixelguard.audit;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * What one threat model did to one system over the audited images: where each image ended, counted. An image
 * ends <em>correct</em> (the system answers its true class), <em>abstained</em> (a gate declined to answer; a
 * plain model never does) or <em>wrong</em> (the system acts on a wrong class: the harm). Images the system got
 * wrong or abstained on before any attack are not attacked and keep their clean state.
 *
 * @param notApplicable why the threat model could not be run against this system (such as a white-box attack
 *     on a model without gradients), or null when it ran; the counts are then zero
 * @param images images audited
 * @param cleanCorrect images the system answered correctly (and, gated, accepted) before the attack
 * @param cleanAbstained images a gate abstained on before the attack
 * @param attacked images attacked (the clean correct ones)
 * @param fooled attacked images the attacker won (wrong class; gated: accepted and wrong)
 * @param correct images ending correct
 * @param abstained images ending abstained
 * @param wrong images ending wrong
 * @param queries model queries the attack spent (clean pass included)
 * @param seconds wall time
 * @param perImage where each image ended, in dataset order (empty when not known, as in files written before
 *     it was recorded)
 */
public record ThreatOutcome(String notApplicable, int images, int cleanCorrect, int cleanAbstained, int attacked,
    int fooled, int correct, int abstained, int wrong, long queries, double seconds, List<ImageEnd> perImage) {

  public ThreatOutcome {
    if (correct + abstained + wrong != images || cleanCorrect + cleanAbstained > images || fooled > attacked
        || attacked > cleanCorrect) {
      throw new IllegalArgumentException("inconsistent counts: " + images + " images, " + correct + " correct, "
          + abstained + " abstained, " + wrong + " wrong, " + attacked + " attacked, " + fooled + " fooled");
    }
    perImage = List.copyOf(perImage);
    if (!perImage.isEmpty() && perImage.size() != images) {
      throw new IllegalArgumentException(perImage.size() + " image outcomes for " + images + " images");
    }
  }

  /** The counts alone, without each image's outcome. */
  public ThreatOutcome(String notApplicable, int images, int cleanCorrect, int cleanAbstained, int attacked,
      int fooled, int correct, int abstained, int wrong, long queries, double seconds) {
    this(notApplicable, images, cleanCorrect, cleanAbstained, attacked, fooled, correct, abstained, wrong, queries,
        seconds, List.of());
  }

  /**
   * Where one image ended under the threat model: the counts are these, added up. Two runs with the same
   * settings and seed agree on every image's, whatever the batch size, the concurrency or a resume in between.
   *
   * @param id the image's identity
   * @param label its true class
   * @param clean the system's class before the attack (a gate's abstain class when it abstained)
   * @param end its class after the attack (the clean one for an image not attacked)
   * @param won whether the attacker won the image
   * @param queries the queries the attack spent on it (0 for an image not attacked)
   */
  public record ImageEnd(String id, int label, int clean, int end, boolean won, long queries) {}

  /** A threat model that does not apply to the system, with why. */
  public static ThreatOutcome notApplicable(String why) {
    return new ThreatOutcome(why, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /**
   * Counts an evaluation's images by where each ended.
   *
   * @param abstain the system's abstain class, or -1
   */
  public static ThreatOutcome of(EvaluationResult r, int abstain) {
    Tally tally = new Tally(abstain);
    for (ImageOutcome io : r.images()) {
      if (!io.labelled()) {
        throw new IllegalArgumentException("an audit needs labelled images; " + io.id() + " has no label");
      }
      int clean = io.clean().top();
      int end = clean;
      boolean won = false;
      long queries = 0;
      boolean attacked = io.attacked();
      if (attacked) {
        AttackResult a = io.attempts().get(0);
        won = a.success();
        end = a.adversarialClass();
        queries = a.queries();
      }
      tally.add(new ImageEnd(io.id(), io.label(), clean, end, won, queries), attacked);
    }
    EvaluationResult.Totals t = r.totals();
    return tally.outcome(t.queries(), t.seconds(), true);
  }

  /**
   * Counts images by their classes before and after a threat that changes every image at once (a universal
   * sticker). An image counts as attacked when it was correct before.
   *
   * @param labels true classes
   * @param clean the system's class for each clean image
   * @param after the system's class for each changed image
   * @param abstain the system's abstain class, or -1
   * @param fooledAfter whether the attacker won on each image (its own criterion, such as reaching a target)
   */
  public static ThreatOutcome ofClasses(int[] labels, int[] clean, int[] after, int abstain, boolean[] fooledAfter,
      long queries, double seconds) {
    return ofClasses(null, labels, clean, after, abstain, fooledAfter, queries, seconds);
  }

  /**
   * As {@link #ofClasses(int[], int[], int[], int, boolean[], long, double)}, with each image's outcome kept
   * under its id (each changed image costs {@code queries / ids.length} queries).
   *
   * @param ids the images' identities, or null to keep the counts alone
   */
  public static ThreatOutcome ofClasses(String[] ids, int[] labels, int[] clean, int[] after, int abstain,
      boolean[] fooledAfter, long queries, double seconds) {
    Tally tally = new Tally(abstain);
    for (int i = 0; i < labels.length; i++) {
      boolean ok = clean[i] == labels[i];
      int end = ok ? after[i] : clean[i];
      tally.add(new ImageEnd(ids == null ? null : ids[i], labels[i], clean[i], end, ok && fooledAfter[i],
          labels.length == 0 ? 0 : queries / labels.length), ok);
    }
    return tally.outcome(queries, seconds, ids != null);
  }

  /**
   * Adds up where images ended, the one rule {@link #of} and {@link #ofClasses} share: an image counts clean
   * correct or clean abstained by its class before the attack, fooled when the attacker won it, and correct,
   * abstained or wrong by its class at the end.
   */
  private static final class Tally {
    private final int abstain;
    private final List<ImageEnd> each = new ArrayList<>();
    private int cleanCorrect;
    private int cleanAbstained;
    private int attacked;
    private int fooled;
    private final int[] ends = new int[3];

    Tally(int abstain) {
      this.abstain = abstain;
    }

    void add(ImageEnd e, boolean wasAttacked) {
      cleanCorrect += e.clean() == e.label() ? 1 : 0;
      cleanAbstained += e.clean() == abstain ? 1 : 0;
      attacked += wasAttacked ? 1 : 0;
      fooled += e.won() ? 1 : 0;
      ends[e.end() == e.label() ? 0 : e.end() == abstain ? 1 : 2]++;
      each.add(e);
    }

    /** The counts, with each image's outcome when {@code keepEach}. */
    ThreatOutcome outcome(long queries, double seconds, boolean keepEach) {
      return new ThreatOutcome(null, each.size(), cleanCorrect, cleanAbstained, attacked, fooled, ends[0], ends[1],
          ends[2], queries, seconds, keepEach ? each : List.of());
    }
  }

  /** Whether the threat model ran against the system. */
  public boolean applicable() {
    return notApplicable == null;
  }

  /** Share of the audited images answered correctly after the attack. */
  public double accuracy() {
    return images == 0 ? Double.NaN : (double) correct / images;
  }

  /** Share of the audited images answered correctly before it. */
  public double cleanAccuracy() {
    return images == 0 ? Double.NaN : (double) cleanCorrect / images;
  }

  /** Share of the audited images on which the system acts on a wrong class after the attack. */
  public double harm() {
    return images == 0 ? Double.NaN : (double) wrong / images;
  }

  /** Share of the audited images abstained on after the attack. */
  public double abstention() {
    return images == 0 ? Double.NaN : (double) abstained / images;
  }
}
