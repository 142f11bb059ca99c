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
    return run(model, data, attack, targets, execution, listener, journal, null);
  }

  /**
   * Where finished images go as the evaluation runs, in dataset order: a results file written as it comes
   * ({@link ResultsJson.Writer}), say. It returns the outcome the evaluation keeps for its result: the same, or
   * one whose images are loaded again from where it wrote them, so that memory does not grow with the images.
   */
  public interface Sink {
    ImageOutcome accept(ImageOutcome outcome);
  }

  /**
   * As {@link #run(Classifier, Dataset, Attack, Targets, Execution, Listener, Journal)}, streaming: the dataset is
   * read image by image (a {@link dev.pixelguard.data.LazyImages} dataset is never held whole), the attack runs
   * over windows of consecutive images (sized by {@link #window} so that a window's images and results stay
   * within about 128 MB), and each finished image is handed to {@code sink} before the next window starts. The
   * outcomes equal those of one window over everything, image for image: seeds are per image.
   *
   * @param sink where finished images go, or null to keep them as they are
   */
  public static <M extends Classifier> EvaluationResult run(M model, Dataset data, Attack<? super M> attack,
      Targets targets, Execution execution, Listener listener, Journal journal, Sink sink) {
    return run(model, data, attack, targets, execution, listener, journal, sink, window(model.info(), execution));
  }

  /** As above, with windows of {@code window} images (at least 1), whatever the model's size. */
  public static <M extends Classifier> EvaluationResult run(M model, Dataset data, Attack<? super M> attack,
      Targets targets, Execution execution, Listener listener, Journal journal, Sink sink, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("a window holds at least one image, was " + window);
    }
    long t0 = System.nanoTime();
    CountingClassifier counted = CountingClassifier.of(model);
    int k = model.info().numClasses();
    // First the clean pass and the plan (each image's skip reason and goals), keeping no image: a lazy dataset
    // makes each image once here and once more when its window is attacked.
    List<Scores> clean = new ArrayList<>(data.size());
    List<String> skipped = new ArrayList<>(data.size());
    List<String> ids = new ArrayList<>(data.size());
    int[] labels = new int[data.size()];
    int total = 0;
    for (int from = 0; from < data.size(); from += execution.batchSize()) {
      List<LabeledImage> batch = new ArrayList<>(data.images().subList(from,
          Math.min(data.size(), from + execution.batchSize())));
      Scores scores = counted.classify(dev.pixelguard.image.ImageBatch.of(
          batch.stream().map(LabeledImage::image).toList()));
      for (int b = 0; b < batch.size(); b++) {
        LabeledImage li = batch.get(b);
        Scores s = scores.slice(b, b + 1);
        String skip = !li.hasLabel() ? "unlabelled" : s.top(0) != li.label() ? "misclassified"
            : targets.skipReason(li.label());
        clean.add(s);
        skipped.add(skip);
        ids.add(li.id());
        labels[from + b] = li.label();
        total += skip == null ? targets.goalsFor(li.label(), k).size() : 0;
      }
    }
    long cleanQueries = counted.queries();
    int[] done = {0, 0};
    long resumedQueries = 0;
    long resumedGradients = 0;
    List<ImageOutcome> outcomes = new ArrayList<>(data.size());
    for (int from = 0; from < data.size(); from += window) {
      int to = Math.min(data.size(), from + window);
      List<AttackTask> tasks = new ArrayList<>();
      List<Integer> taskImage = new ArrayList<>();
      List<List<AttackResult>> perImage = new ArrayList<>();
      List<LabeledImage> images = new ArrayList<>();
      for (int i = from; i < to; i++) {
        perImage.add(new ArrayList<>());
        if (skipped.get(i) != null) {
          images.add(null);
          continue;
        }
        LabeledImage li = data.get(i);
        images.add(li);
        Scores s = clean.get(i);
        for (Goal g : targets.goalsFor(li.label(), k)) {
          AttackResult earlier = journal == null ? null
              : journal.finished(li.id(), g.describe(), li.image(), Prediction.of(s, 0), li.label());
          if (earlier != null) {
            perImage.get(i - from).add(earlier);
            done[0]++;
            done[1] += earlier.success() ? 1 : 0;
            resumedQueries += earlier.cost().queries() + 1; // and its final check, which every attack sends once
            resumedGradients += earlier.cost().gradients();
            if (listener != null) {
              listener.attempted(earlier, done[0], total, done[1]);
            }
            continue;
          }
          long seed = targets.matrix() ? Seeds.forImage(attack.seed(), li.id(), g)
              : Seeds.forImage(attack.seed(), li.id());
          tasks.add(new AttackTask(li.id(), li.image(), g, s, seed));
          taskImage.add(i - from);
        }
      }
      int all = total;
      List<AttackResult> results = tasks.isEmpty() ? List.of() : runWith(attack, counted, tasks, execution, r -> {
        if (journal != null) {
          journal.record(r);
        }
        done[0]++;
        done[1] += r.success() ? 1 : 0;
        if (listener != null) {
          listener.attempted(r, done[0], all, done[1]);
        }
      });
      for (int t = 0; t < results.size(); t++) {
        perImage.get(taskImage.get(t)).add(results.get(t));
      }
      for (int i = from; i < to; i++) {
        List<AttackResult> attempts = perImage.get(i - from);
        if (targets.matrix() && !attempts.isEmpty()) { // resumed and new attempts of one image back in goal order
          List<String> order = targets.goalsFor(labels[i], k).stream().map(Goal::describe).toList();
          attempts.sort(java.util.Comparator.comparingInt(a -> order.indexOf(a.goal().describe())));
        }
        ImageOutcome o = new ImageOutcome(i, ids.get(i), labels[i], Prediction.of(clean.get(i), 0), skipped.get(i),
            attempts);
        outcomes.add(sink == null ? o : sink.accept(o));
      }
    }
    boolean logits = !clean.isEmpty() && clean.get(0).hasLogits();
    return new EvaluationResult(model.info(), logits, data.name(), attack.name(), attack.settings(), targets,
        attack.seed(), execution, outcomes, new EvaluationResult.Totals(counted.queries() + resumedQueries,
            cleanQueries, counted.gradients() + resumedGradients, counted.modelNanos(), System.nanoTime() - t0));
  }

  /** Bytes of images and results a window may hold: the window's size follows from the model's input. */
  static final long WINDOW_BYTES = 128L << 20;

  /**
   * Images attacked per window: as many as fit {@link #WINDOW_BYTES} at about 8 bytes per input value (the image,
   * its adversarial and the attack's working copies), at least 4 times the concurrency, so windows stay full;
   * every image of a CIFAR-10-sized dataset at once (5,461 at 32x32), 111 at 224x224 RGB.
   */
  public static int window(dev.pixelguard.model.ModelInfo info, Execution execution) {
    long perImage = 8L * info.channels() * info.height() * info.width();
    return (int) Math.max(4L * execution.concurrency(), Math.min(Integer.MAX_VALUE, WINDOW_BYTES / Math.max(1, perImage)));
  }

  /** Runs {@code attack} on the counting view, which is of the attack's model type whenever the model is. */
  private static <T extends Classifier> List<AttackResult> runWith(Attack<T> attack, CountingClassifier counted,
      List<AttackTask> tasks, Execution execution, java.util.function.Consumer<AttackResult> onResult) {
    return attack.run(attack.modelType().cast(counted), tasks, execution, onResult);
  }
}
