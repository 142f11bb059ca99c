package dev.pixelguard.eval;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Robustness evaluation of a classifier over a dataset: a clean pass, then the attack on every image the
 * model classifies correctly (and, for a targeted attack, whose label is not the target). Images the
 * model already gets wrong are reported but not attacked: they are not evidence about robustness.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Why an image is not attacked, or null when it is: unlabelled, misclassified (its clean top class is not
   * its label), or, for a targeted attack, already of the target class.
   */
  static String skipReason(LabeledImage image, int cleanTop, Integer target) {
    if (!image.hasLabel()) {
      return "unlabelled";
    }
    if (cleanTop != image.label()) {
      return "misclassified";
    }
    return target != null && image.label() == target ? "already the target class" : null;
  }

  /** Progress: called on the evaluating thread after each attacked image. */
  public interface Listener {
    void attacked(PixelAttackResult result, int done, int total, int successes);
  }

  /**
   * @param target the target class for a targeted attack, or null for untargeted
   * @param batchSize images per model call
   * @param concurrency images attacked at once (their candidates share batches)
   */
  public static EvaluationResult run(Classifier classifier, Dataset data, SparseAttack attack, Integer target,
      int batchSize, int concurrency, Listener listener) {
    long t0 = System.nanoTime();
    CountingClassifier counted = new CountingClassifier(classifier);
    List<Scores> clean = CleanPass.score(counted, data, batchSize);
    long cleanQueries = counted.queries();
    List<SparseAttack.Task> tasks = new ArrayList<>();
    List<Integer> taskImage = new ArrayList<>();
    List<EvaluationResult.ImageOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      LabeledImage li = data.images().get(i);
      Scores s = clean.get(i);
      String skip = skipReason(li, s.top(0), target);
      outcomes.add(new EvaluationResult.ImageOutcome(i, li.id(), li.label(), s.top(0), s.confidence(0), skip, null));
      if (skip == null) {
        Goal g = target == null ? new Goal.Untargeted(li.label()) : new Goal.Targeted(target);
        tasks.add(new SparseAttack.Task(li.id(), li.image(), g, s));
        taskImage.add(i);
      }
    }
    int[] done = {0, 0};
    List<PixelAttackResult> results = tasks.isEmpty() ? List.of()
        : attack.run(counted, tasks, batchSize, concurrency, r -> {
          done[0]++;
          if (r.success()) {
            done[1]++;
          }
          if (listener != null) {
            listener.attacked(r, done[0], tasks.size(), done[1]);
          }
        });
    for (int t = 0; t < results.size(); t++) {
      int i = taskImage.get(t);
      EvaluationResult.ImageOutcome o = outcomes.get(i);
      outcomes.set(i, new EvaluationResult.ImageOutcome(o.index(), o.id(), o.label(), o.cleanClass(),
          o.cleanConfidence(), null, results.get(t)));
    }
    Map<String, Object> settings = attack.settings();
    settings.put("goal", target == null ? "untargeted" : "targeted");
    if (target != null) {
      settings.put("target", target);
    }
    settings.put("batchSize", batchSize);
    settings.put("concurrency", concurrency);
    boolean logits = !clean.isEmpty() && clean.get(0).hasLogits();
    return new EvaluationResult(classifier.info(), logits, data.name(), settings, outcomes,
        counted.queries(), cleanQueries, counted.modelNanos(), System.nanoTime() - t0);
  }
}
