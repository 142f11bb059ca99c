package dev.pixelguard.eval;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * The one evaluation pipeline, for every attack: a clean pass, then the attack on every image the model
 * classifies correctly, toward the goals {@link Targets} gives it. Images the model already gets wrong are
 * reported but not attacked: they are not evidence about robustness. Each attempt's seed derives from the
 * root seed and the image's identity ({@link Seeds}), so an image's outcome does not depend on which other
 * images are evaluated, the batch size or the concurrency.
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.run(model, data, GuidedPixelAttack.builder().build(),
 *     Targets.untargeted(), Execution.DEFAULT, null);
 * System.out.println(r.summary().robustAccuracy());
 * }</pre>
 */
public final class Evaluation {
  private Evaluation() {}

  /** Progress: called on the evaluating thread after each attempt. */
  public interface Listener {
    /**
     * @param done attempts finished so far
     * @param total attempts in all
     * @param successes successful attempts so far
     */
    void attempted(AttackResult result, int done, int total, int successes);
  }

  /**
   * Evaluates {@code model} on {@code data} under {@code attack}.
   *
   * @param listener progress, or null
   */
  public static <M extends Classifier> EvaluationResult run(M model, Dataset data, Attack<? super M> attack,
      Targets targets, Execution execution, Listener listener) {
    return run(model, data, attack, targets, execution, listener, null);
  }

  /**
   * As {@link #run(Classifier, Dataset, Attack, Targets, Execution, Listener)}, journaled: attempts that
   * {@code journal} holds from an earlier run are taken from it instead of run again, and every attempt run now
   * is appended to it as it finishes. The outcomes equal an uninterrupted run's.
   *
   * @param journal the journal, or null for none
   */
  public static <M extends Classifier> EvaluationResult run(M model, Dataset data, Attack<? super M> attack,
      Targets targets, Execution execution, Listener listener, Journal journal) {
    long t0 = System.nanoTime();
    CountingClassifier counted = CountingClassifier.of(model);
    List<Scores> clean = CleanPass.score(counted, data, execution.batchSize());
    long cleanQueries = counted.queries();
    int k = model.info().numClasses();
    List<AttackTask> tasks = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<Integer> taskImage = new ArrayList<>();
    List<AttackResult> resumed = new ArrayList<>(); // finished by an earlier run, per image in goal order
    List<Integer> resumedImage = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      LabeledImage li = data.get(i);
      Scores s = clean.get(i);
      String skip = !li.hasLabel() ? "unlabelled" : s.top(0) != li.label() ? "misclassified"
          : targets.skipReason(li.label());
      skipped.add(skip);
      if (skip == null) {
        List<Goal> goals = targets.goalsFor(li.label(), k);
        for (Goal g : goals) {
          AttackResult earlier = journal == null ? null
              : journal.finished(li.id(), g.describe(), li.image(), Prediction.of(s, 0), li.label());
          if (earlier != null) {
            resumed.add(earlier);
            resumedImage.add(i);
            continue;
          }
          long seed = targets.matrix() ? Seeds.forImage(attack.seed(), li.id(), g)
              : Seeds.forImage(attack.seed(), li.id());
          tasks.add(new AttackTask(li.id(), li.image(), g, s, seed));
          taskImage.add(i);
        }
      }
    }
    int total = tasks.size() + resumed.size();
    int[] done = {0, 0};
    long resumedQueries = 0;
    long resumedGradients = 0;
    for (AttackResult r : resumed) {
      done[0]++;
      done[1] += r.success() ? 1 : 0;
      resumedQueries += r.cost().queries() + 1; // and its final check, which every attack sends once
      resumedGradients += r.cost().gradients();
      if (listener != null) {
        listener.attempted(r, done[0], total, done[1]);
      }
    }
    List<AttackResult> results = tasks.isEmpty() ? List.of() : runWith(attack, counted, tasks, execution, r -> {
      if (journal != null) {
        journal.record(r);
      }
      done[0]++;
      done[1] += r.success() ? 1 : 0;
      if (listener != null) {
        listener.attempted(r, done[0], total, done[1]);
      }
    });
    List<List<AttackResult>> perImage = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      perImage.add(new ArrayList<>());
    }
    for (int t = 0; t < resumed.size(); t++) {
      perImage.get(resumedImage.get(t)).add(resumed.get(t));
    }
    for (int t = 0; t < results.size(); t++) {
      perImage.get(taskImage.get(t)).add(results.get(t));
    }
    if (targets.matrix()) { // resumed and new attempts of one image back in goal order
      for (int i = 0; i < data.size(); i++) {
        List<String> order = perImage.get(i).isEmpty() ? List.of()
            : targets.goalsFor(data.get(i).label(), k).stream().map(Goal::describe).toList();
        perImage.get(i).sort(java.util.Comparator.comparingInt(a -> order.indexOf(a.goal().describe())));
      }
    }
    List<ImageOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      LabeledImage li = data.get(i);
      outcomes.add(new ImageOutcome(i, li.id(), li.label(), Prediction.of(clean.get(i), 0), skipped.get(i),
          perImage.get(i)));
    }
    boolean logits = !clean.isEmpty() && clean.get(0).hasLogits();
    return new EvaluationResult(model.info(), logits, data.name(), attack.name(), attack.settings(), targets,
        attack.seed(), execution, outcomes, new EvaluationResult.Totals(counted.queries() + resumedQueries,
            cleanQueries, counted.gradients() + resumedGradients, counted.modelNanos(), System.nanoTime() - t0));
  }

  /** Runs {@code attack} on the counting view, which is of the attack's model type whenever the model is. */
  private static <T extends Classifier> List<AttackResult> runWith(Attack<T> attack, CountingClassifier counted,
      List<AttackTask> tasks, Execution execution, java.util.function.Consumer<AttackResult> onResult) {
    return attack.run(attack.modelType().cast(counted), tasks, execution, onResult);
  }
}
