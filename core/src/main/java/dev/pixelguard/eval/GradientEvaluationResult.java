package dev.pixelguard.eval;

import dev.pixelguard.image.Image;
import dev.pixelguard.model.ModelInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a {@link GradientEvaluation}.
 *
 * @param model the model's info
 * @param modelGivesLogits whether the model's scores include logits
 * @param dataset the dataset's name
 * @param attack the attack's settings (method, norm, epsilon, steps, step, ...), goal and batch size
 * @param images one outcome per evaluated image, in dataset order
 * @param gradients gradient batches computed (each a forward and a backward pass over up to a batch)
 * @param wallNanos wall time of the whole evaluation, in nanoseconds
 */
public record GradientEvaluationResult(ModelInfo model, boolean modelGivesLogits, String dataset,
    Map<String, Object> attack, List<Outcome> images, long gradients, long wallNanos) {

  public GradientEvaluationResult {
    attack = Collections.unmodifiableMap(new LinkedHashMap<>(attack));
    images = List.copyOf(images);
  }

  /**
   * One image.
   *
   * @param skipped why it was not attacked, or null when it was
   * @param success whether the attack reached its goal
   * @param adversarialClass the model's top class for the adversarial image (-1 when not attacked)
   * @param adversarialProbabilities the model's probabilities for it, [K] (null when not attacked)
   * @param linf L-infinity size of the perturbation, in [0, 1] pixel units (NaN when not attacked)
   * @param l2 its L2 size, same units
   * @param original the image
   * @param adversarial the adversarial image rounded to 8 bits (null when not attacked)
   */
  public record Outcome(int index, String id, int label, int cleanClass, float cleanConfidence, String skipped,
      boolean success, int adversarialClass, float[] adversarialProbabilities, double linf, double l2,
      Image original, Image adversarial) {
    public Outcome {
      adversarialProbabilities = adversarialProbabilities == null ? null : adversarialProbabilities.clone();
    }

    @Override
    public float[] adversarialProbabilities() {
      return adversarialProbabilities == null ? null : adversarialProbabilities.clone();
    }

    public boolean attacked() {
      return skipped == null;
    }

    /** Probability of the adversarial class (NaN when not attacked). */
    public double adversarialConfidence() {
      return adversarialProbabilities == null ? Double.NaN : adversarialProbabilities[adversarialClass];
    }
  }

  public int evaluated() {
    return images.size();
  }

  private long labelled() {
    return images.stream().filter(o -> o.label() >= 0).count();
  }

  public int cleanCorrect() {
    return (int) images.stream().filter(o -> o.label() >= 0 && o.cleanClass() == o.label()).count();
  }

  /** Clean accuracy over labelled images, in [0, 1]. */
  public double cleanAccuracy() {
    long n = labelled();
    return n == 0 ? Double.NaN : (double) cleanCorrect() / n;
  }

  public int attackedCount() {
    return (int) images.stream().filter(Outcome::attacked).count();
  }

  public int successes() {
    return (int) images.stream().filter(o -> o.attacked() && o.success()).count();
  }

  /** Successes over attacked images, in [0, 1] (NaN when nothing was attacked). */
  public double successRate() {
    int n = attackedCount();
    return n == 0 ? Double.NaN : (double) successes() / n;
  }

  /** Share of attacked images that resisted: 1 - success rate (what --fail-under gates on). */
  public double robustAccuracy() {
    return 1 - successRate();
  }

  /**
   * Accuracy under attack over all labelled images, in [0, 1]: images classified correctly and not fooled. For
   * an untargeted attack this is the "robust accuracy" of the adversarial-training literature.
   */
  public double accuracyUnderAttack() {
    long n = labelled();
    return n == 0 ? Double.NaN : (double) (cleanCorrect() - successes()) / n;
  }

  /** Mean probability of the adversarial class over successes (NaN when none). */
  public double meanAdversarialConfidence() {
    return images.stream().filter(o -> o.attacked() && o.success()).mapToDouble(Outcome::adversarialConfidence)
        .average().orElse(Double.NaN);
  }

  /** Mean L-infinity size of the perturbation over successes (NaN when none). */
  public double meanLinfOnSuccess() {
    return images.stream().filter(o -> o.attacked() && o.success()).mapToDouble(Outcome::linf).average()
        .orElse(Double.NaN);
  }

  /** Mean L2 size of the perturbation over successes (NaN when none). */
  public double meanL2OnSuccess() {
    return images.stream().filter(o -> o.attacked() && o.success()).mapToDouble(Outcome::l2).average()
        .orElse(Double.NaN);
  }

  /** Counts [K][K] of original class (row) to adversarial class (column), over successes. */
  public int[][] transitions() {
    int k = model.numClasses();
    int[][] m = new int[k][k];
    for (Outcome o : images) {
      if (o.attacked() && o.success()) {
        m[o.cleanClass()][o.adversarialClass()]++;
      }
    }
    return m;
  }
}
