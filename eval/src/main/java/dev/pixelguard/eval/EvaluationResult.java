package dev.pixelguard.eval;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.model.ModelInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed outcome of an {@link Evaluation}, for every attack alike: each image's clean prediction and the
 * attack's results for it. Figures derived from it live in one place, {@link Summary}. Written and read by
 * {@link ResultsJson}, so a results file round-trips to the same value.
 *
 * @param model the model's info
 * @param modelGivesLogits whether the model's scores include logits (if not, logit-based objectives work on
 *     log-probabilities, and on a label-only model they see only success or failure)
 * @param dataset the dataset's name
 * @param attack the attack's short name ("guided", "su", "scan", "fgsm", "pgd")
 * @param settings the attack's settings
 * @param targets the goals each image got
 * @param seed the root seed
 * @param execution batch size and concurrency (which never change an image's outcome)
 * @param images one outcome per evaluated image, in dataset order
 * @param totals what the whole run spent
 */
public record EvaluationResult(
    ModelInfo model,
    boolean modelGivesLogits,
    String dataset,
    String attack,
    Map<String, Object> settings,
    Targets targets,
    long seed,
    Execution execution,
    List<ImageOutcome> images,
    Totals totals) {

  public EvaluationResult {
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    images = List.copyOf(images);
  }

  /**
   * @param queries images sent to the model for scores, the clean pass and the final checks included
   * @param cleanQueries images sent in the clean pass
   * @param gradients images sent through gradient passes
   * @param modelNanos time spent inside the model, in nanoseconds
   * @param wallNanos wall time of the whole evaluation, in nanoseconds
   */
  public record Totals(long queries, long cleanQueries, long gradients, long modelNanos, long wallNanos) {
    public double seconds() {
      return wallNanos / 1e9;
    }
  }

  /**
   * This result with other images and totals: a run's shares, evaluated apart, merged into one result.
   *
   * @param logits whether the model gave logits (a result over no image cannot tell)
   */
  public EvaluationResult withImages(List<ImageOutcome> outcomes, boolean logits, Totals newTotals) {
    return new EvaluationResult(model, logits, dataset, attack, settings, targets, seed, execution, outcomes,
        newTotals);
  }

  /** Every attempt, in dataset order (and goal order within an image). */
  public List<AttackResult> attempts() {
    List<AttackResult> out = new ArrayList<>();
    images.forEach(o -> out.addAll(o.attempts()));
    return out;
  }

  /** The summary figures. */
  public Summary summary() {
    return Summary.of(this);
  }
}
