package dev.pixelguard.eval;

import dev.pixelguard.attack.AttackResult;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every summary figure of an evaluation, computed in one place from its typed outcomes. Rates are in
 * [0, 1]; a mean or rate over nothing is NaN. An "attempt" is one (image, goal) attack: one per attacked
 * image, or K - 1 when every image is attacked toward every other class.
 *
 * @param evaluated images evaluated
 * @param labelled images with a label
 * @param cleanCorrect images the model classifies correctly
 * @param cleanAccuracy cleanCorrect over labelled
 * @param attacked images attacked
 * @param attempts attacks made
 * @param successes attempts whose returned image reached the goal
 * @param fooled attacked images with at least one successful attempt
 * @param successRate successes over attempts
 * @param robustAccuracy attacked images that resisted every attempt, over attacked images (what
 *     {@code --fail-under} gates on)
 * @param accuracyUnderAttack images classified correctly and not fooled, over labelled images: for an
 *     untargeted attack the "robust accuracy" of the adversarial-training literature
 * @param meanAdversarialConfidence mean probability of the adversarial class over successes
 * @param meanQueriesOnSuccess mean queries over successes
 * @param medianQueriesOnSuccess median queries over successes
 * @param attackQueries queries of all attempts, successes and failures
 * @param gradients gradient passes of all attempts
 * @param meanPixelsOnSuccess mean L0 (pixels changed) over successes
 * @param meanL2OnSuccess mean L2 size of the change over successes
 * @param meanLinfOnSuccess mean L-infinity size of the change over successes
 * @param successRateByBudget for query attacks, per budget of {@link #BUDGETS}: attempts whose first success
 *     came within that many queries, over attempts; empty for gradient attacks
 * @param transitions [K][K] successes from original class (row) to adversarial class (column)
 * @param targetSuccesses [K][K] successes from original class (row) to target (column); zeros when untargeted
 * @param targetTried [K][K] attempts from original class (row) to target (column); zeros when untargeted
 */
public record Summary(
    int evaluated,
    int labelled,
    int cleanCorrect,
    double cleanAccuracy,
    int attacked,
    int attempts,
    int successes,
    int fooled,
    double successRate,
    double robustAccuracy,
    double accuracyUnderAttack,
    double meanAdversarialConfidence,
    double meanQueriesOnSuccess,
    double medianQueriesOnSuccess,
    long attackQueries,
    long gradients,
    double meanPixelsOnSuccess,
    double meanL2OnSuccess,
    double meanLinfOnSuccess,
    Map<Long, Double> successRateByBudget,
    int[][] transitions,
    int[][] targetSuccesses,
    int[][] targetTried) {

  /** The query budgets at which success rates are reported. */
  public static final long[] BUDGETS = {100, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000};

  /** The figures of {@code r}. */
  public static Summary of(EvaluationResult r) {
    return of(r.images(), r.model().numClasses());
  }

  /** The figures of these outcomes over {@code k} classes. */
  public static Summary of(List<ImageOutcome> images, int k) {
    int labelled = (int) images.stream().filter(ImageOutcome::labelled).count();
    int correct = (int) images.stream().filter(ImageOutcome::correct).count();
    int attacked = (int) images.stream().filter(ImageOutcome::attacked).count();
    int fooled = (int) images.stream().filter(ImageOutcome::fooled).count();
    List<AttackResult> all = images.stream().flatMap(o -> o.attempts().stream()).toList();
    List<AttackResult> ok = all.stream().filter(AttackResult::success).toList();
    long[] q = ok.stream().mapToLong(AttackResult::queries).sorted().toArray();
    double median = q.length == 0 ? Double.NaN
        : q.length % 2 == 1 ? q[q.length / 2] : (q[q.length / 2 - 1] + q[q.length / 2]) / 2.0;
    long attackQueries = all.stream().mapToLong(AttackResult::queries).sum();
    Map<Long, Double> byBudget = new LinkedHashMap<>();
    long gradients = all.stream().mapToLong(a -> a.cost().gradients()).sum();
    if (attackQueries > 0 && gradients == 0) {
      for (long b : BUDGETS) {
        long hits = all.stream().filter(a -> a.success() && a.cost().firstSuccessQuery() >= 0
            && a.cost().firstSuccessQuery() <= b).count();
        byBudget.put(b, (double) hits / all.size());
      }
    }
    int[][] transitions = new int[k][k];
    int[][] targetOk = new int[k][k];
    int[][] tried = new int[k][k];
    for (AttackResult a : all) {
      if (a.success()) {
        transitions[a.cleanClass()][a.adversarialClass()]++;
      }
      int t = a.goal().target();
      if (t >= 0) {
        tried[a.cleanClass()][t]++;
        targetOk[a.cleanClass()][t] += a.success() ? 1 : 0;
      }
    }
    return new Summary(images.size(), labelled, correct, ratio(correct, labelled), attacked, all.size(), ok.size(),
        fooled, ratio(ok.size(), all.size()), attacked == 0 ? Double.NaN : 1 - ratio(fooled, attacked),
        ratio(correct - fooled, labelled),
        ok.stream().mapToDouble(AttackResult::adversarialConfidence).average().orElse(Double.NaN),
        Arrays.stream(q).average().orElse(Double.NaN), median, attackQueries,
        gradients,
        ok.stream().mapToDouble(a -> a.perturbation().pixels()).average().orElse(Double.NaN),
        ok.stream().mapToDouble(a -> a.perturbation().l2()).average().orElse(Double.NaN),
        ok.stream().mapToDouble(a -> a.perturbation().linf()).average().orElse(Double.NaN),
        byBudget, transitions, targetOk, tried);
  }

  /**
   * Why robustness was not measured, when no image was attacked ("no image was attacked (no image is labelled),
   * so robustness was not measured"); null when some were.
   */
  public String notMeasured() {
    return attacked > 0 ? null : "no image was attacked (" + (labelled == 0 ? "no image is labelled"
        : cleanCorrect == 0 ? "the model classifies none of the " + labelled + " labelled images correctly"
        : "no correctly classified image had a goal") + "), so robustness was not measured";
  }

  /**
   * The CI gate's verdict at threshold {@code minRobustAccuracy}: null when it passes, else why it fails.
   * Nothing attacked is a failure, never a pass: a gate must not pass because no image was tested.
   */
  public String gateFailure(double minRobustAccuracy) {
    if (attacked == 0) {
      return notMeasured();
    }
    if (robustAccuracy < minRobustAccuracy) {
      return String.format(java.util.Locale.ROOT, "robust accuracy %.3f is below %.3f", robustAccuracy,
          minRobustAccuracy);
    }
    return null;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }
}
