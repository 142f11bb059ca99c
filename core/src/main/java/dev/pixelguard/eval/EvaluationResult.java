package dev.pixelguard.eval;

import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.model.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an {@link Evaluation}: every image's clean prediction and, for attacked images, the
 * attack's result, with the summary figures derived from them.
 *
 * @param model the model's info
 * @param modelGivesLogits whether the model's scores include logits (if not, logit-based objectives work on
 *     log-probabilities, and on a label-only model they see only success or failure)
 * @param dataset the dataset's name
 * @param attack the attack's settings, goal, batch size and concurrency
 * @param images one outcome per evaluated image, in dataset order
 * @param totalQueries images sent to the model, the clean pass included
 * @param cleanQueries images sent in the clean pass
 * @param modelNanos time spent inside the model, in nanoseconds
 * @param wallNanos wall time of the whole evaluation, in nanoseconds
 */
public record EvaluationResult(
    ModelInfo model,
    boolean modelGivesLogits,
    String dataset,
    Map<String, Object> attack,
    List<ImageOutcome> images,
    long totalQueries,
    long cleanQueries,
    long modelNanos,
    long wallNanos) {

  public EvaluationResult {
    attack = Collections.unmodifiableMap(new LinkedHashMap<>(attack));
    images = List.copyOf(images);
  }

  /**
   * One image.
   *
   * @param index position in the dataset
   * @param label true class
   * @param cleanClass the model's top class on the clean image
   * @param cleanConfidence its probability
   * @param skipped why it was not attacked ("misclassified", ...), or null when it was
   * @param result the attack's result, or null when skipped
   */
  public record ImageOutcome(int index, String id, int label, int cleanClass, float cleanConfidence, String skipped,
      PixelAttackResult result) {
    public boolean attacked() {
      return result != null;
    }

    public boolean flipped() {
      return result != null && result.success();
    }
  }

  /** Images evaluated. */
  public int evaluated() {
    return images.size();
  }

  /** Images the model classified correctly. */
  public int cleanCorrect() {
    return (int) images.stream().filter(o -> o.label() >= 0 && o.cleanClass() == o.label()).count();
  }

  /** Clean accuracy over labelled images, in [0, 1]. */
  public double cleanAccuracy() {
    long labelled = images.stream().filter(o -> o.label() >= 0).count();
    return labelled == 0 ? Double.NaN : (double) cleanCorrect() / labelled;
  }

  /** Results of the attacked images, in dataset order. */
  public List<PixelAttackResult> attacked() {
    List<PixelAttackResult> out = new ArrayList<>();
    images.forEach(o -> {
      if (o.result() != null) {
        out.add(o.result());
      }
    });
    return out;
  }

  /** Attacks that reached their goal. */
  public int successes() {
    return (int) images.stream().filter(ImageOutcome::flipped).count();
  }

  /** Successes over attacked images, in [0, 1] (NaN when nothing was attacked). */
  public double successRate() {
    int n = attacked().size();
    return n == 0 ? Double.NaN : (double) successes() / n;
  }

  /** Share of attacked images that resisted, in [0, 1]: 1 - success rate. */
  public double robustAccuracy() {
    return 1 - successRate();
  }

  /**
   * Accuracy under attack over all labelled images, in [0, 1]: images classified correctly and not flipped.
   * For an untargeted attack this is the "robust accuracy" of the adversarial-training literature.
   */
  public double accuracyUnderAttack() {
    long labelled = images.stream().filter(o -> o.label() >= 0).count();
    return labelled == 0 ? Double.NaN : (double) (cleanCorrect() - successes()) / labelled;
  }

  /** Mean probability of the adversarial class over successes (NaN when none). */
  public double meanAdversarialConfidence() {
    return attacked().stream().filter(PixelAttackResult::success)
        .mapToDouble(PixelAttackResult::adversarialConfidence).average().orElse(Double.NaN);
  }

  /** Queries of each success, sorted ascending. */
  public long[] successQueries() {
    return attacked().stream().filter(PixelAttackResult::success).mapToLong(PixelAttackResult::queries).sorted().toArray();
  }

  /** Mean queries over successes (NaN when none). */
  public double meanQueriesOnSuccess() {
    long[] q = successQueries();
    return q.length == 0 ? Double.NaN : java.util.Arrays.stream(q).average().orElse(Double.NaN);
  }

  /** Median queries over successes (NaN when none). */
  public double medianQueriesOnSuccess() {
    long[] q = successQueries();
    if (q.length == 0) {
      return Double.NaN;
    }
    return q.length % 2 == 1 ? q[q.length / 2] : (q[q.length / 2 - 1] + q[q.length / 2]) / 2.0;
  }

  /** Attack queries over all attacked images, successes and failures. */
  public long attackQueries() {
    return attacked().stream().mapToLong(PixelAttackResult::queries).sum();
  }

  /** Counts [K][K] of original class (row) to adversarial class (column), over successes. */
  public int[][] transitions() {
    int k = model.numClasses();
    int[][] m = new int[k][k];
    for (PixelAttackResult r : attacked()) {
      if (r.success()) {
        m[r.cleanClass()][r.adversarialClass()]++;
      }
    }
    return m;
  }

  /**
   * Success rate at each query budget: the share of attacked images whose first success came within
   * {@code budget} queries.
   */
  public double successRateAt(long budget) {
    int n = attacked().size();
    if (n == 0) {
      return Double.NaN;
    }
    long hits = attacked().stream().filter(r -> r.firstSuccessQuery() >= 0 && r.firstSuccessQuery() <= budget).count();
    return (double) hits / n;
  }
}
