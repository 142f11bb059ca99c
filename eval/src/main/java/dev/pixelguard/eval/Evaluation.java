package dev.pixelguard.eval;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one evaluation pipeline, for every attack: a clean pass, then the attack on every image the model
 * classifies correctly, toward the goals {@link Targets} gives it. Images the model already gets wrong are
 * reported but not attacked: they are not evidence about robustness. Each attempt's seed derives from the
 * root seed and the image's identity ({@link Seeds}), so an image's outcome does not depend on which other
 * images are evaluated, the batch size, the concurrency or the window.
 *
 * <pre>{@code
 * EvaluationResult r = Evaluation.of(model, images, GuidedPixelAttack.builder().build())
 *     .seed(7)
 *     .journal(JournalFile.open(Path.of("r.json.journal"), settings, false))
 *     .run();
 * System.out.println(r.summary().robustAccuracy());
 * }</pre>
 *
 * <p>Every setting but the model, the images and the attack is optional: untargeted goals, root seed
 * {@link Seeds#DEFAULT_ROOT}, the model's default batch ({@link Execution#defaultBatchSize}) with 16 images
 * attacked at once, no listener, no journal, no sink.
 */
public final class Evaluation {
  private final Classifier model;
  private final Dataset data;
  private final Attack<?> attack;
  private Targets targets = Targets.untargeted();
  private long seed = Seeds.DEFAULT_ROOT;
  private Execution execution;
  private Listener listener;
  private Journal journal;
  private Sink sink;
  private int window;

  private Evaluation(Classifier model, Dataset data, Attack<?> attack) {
    this.model = Objects.requireNonNull(model, "model");
    this.data = Objects.requireNonNull(data, "images");
    this.attack = Objects.requireNonNull(attack, "attack");
  }

  /**
   * An evaluation of {@code model} on {@code images} under {@code attack}. The model must be of the kind the
   * attack needs ({@link Attack#modelType()}: a {@link dev.pixelguard.model.GradientClassifier} for FGSM and
   * PGD); {@link #run()} refuses it in one line otherwise.
   */
  public static Evaluation of(Classifier model, Dataset images, Attack<?> attack) {
    return new Evaluation(model, images, attack);
  }

  /** The goals of every image (default {@link Targets#untargeted()}). */
  public Evaluation targets(Targets t) {
    targets = Objects.requireNonNull(t, "targets");
    return this;
  }

  /** The root seed every image's seed derives from (default {@link Seeds#DEFAULT_ROOT}). */
  public Evaluation seed(long rootSeed) {
    seed = rootSeed;
    return this;
  }

  /**
   * Batch size, concurrency and batches in flight (default: the model's default batch, 16 images at once, one
   * batch). They never change an outcome.
   */
  public Evaluation execution(Execution e) {
    execution = Objects.requireNonNull(e, "execution");
    return this;
  }

  /** Progress, called on the evaluating thread after each attempt, and once at the end; null for none. */
  public Evaluation listener(Listener l) {
    listener = l;
    return this;
  }

  /**
   * Where finished attempts are kept (default none): attempts it holds from an earlier run are taken from it
   * instead of run again, and every attempt run now is recorded in it as it finishes. The outcomes equal an
   * uninterrupted run's.
   */
  public Evaluation journal(Journal j) {
    journal = j;
    return this;
  }

  /**
   * Where finished images go as the evaluation runs, in dataset order (a results file written as it comes); it
   * returns the outcome the evaluation keeps, the same or one whose images are loaded again from where it wrote
   * them. Default: kept as they are.
   */
  public Evaluation sink(Sink s) {
    sink = s;
    return this;
  }

  /**
   * Images attacked per window, at least 1 (default {@link #window(ModelInfo, Execution)}: about 128 MB of
   * images and results). The dataset is read image by image (a {@link dev.pixelguard.data.LazyImages} dataset
   * is never held whole) and each window's images are handed to the sink before the next starts.
   */
  public Evaluation window(int images) {
    if (images < 1) {
      throw new IllegalArgumentException("a window holds at least one image, was " + images);
    }
    window = images;
    return this;
  }

  /** Progress: called on the evaluating thread after each attempt. */
  public interface Listener {
    /**
     * Called once, before the clean pass, with the attack and the images the model has been sent so far in this
     * run (clean pass, attacks and final checks, readable from any thread as they are sent), for a live rate.
     * Default: nothing.
     */
    default void started(Attack<?> attack, java.util.function.LongSupplier queries) {}

    /**
     * @param done attempts finished so far
     * @param total attempts in all
     * @param successes successful attempts so far
     */
    void attempted(AttackResult result, int done, int total, int successes);

    /**
     * As {@link #attempted}, for an attempt taken from the journal rather than run now (it cost nothing here).
     * Default: {@link #attempted}.
     */
    default void resumed(AttackResult result, int done, int total, int successes) {
      attempted(result, done, total, successes);
    }

    /** Called once, after the last attempt, with the whole result. */
    default void finished(EvaluationResult result) {}
  }

  /**
   * Where finished images go as the evaluation runs, in dataset order: a results file written as it comes
   * ({@link dev.pixelguard.io.ResultsJson.Writer}), say. It returns the outcome the evaluation keeps for its
   * result: the same, or one whose images are loaded again from where it wrote them, so that memory does not
   * grow with the images.
   */
  public interface Sink {
    ImageOutcome accept(ImageOutcome outcome);
  }

  /**
   * Runs the evaluation.
   *
   * @throws InputException if the model is not of the kind the attack needs
   */
  public EvaluationResult run() {
    Execution exec = execution != null ? execution : new Execution(
        Execution.defaultBatchSize(model.info().channels(), model.info().height(), model.info().width()), 16);
    EvaluationResult r = runAs(attack, exec, window > 0 ? window : window(model.info(), exec));
    if (listener != null) {
      listener.finished(r);
    }
    return r;
  }

  private <M extends Classifier> EvaluationResult runAs(Attack<M> a, Execution exec, int images) {
    return run(modelFor(a, model), a, exec, images);
  }

  /**
   * {@code model} as the kind of classifier {@code attack} needs, or one clear line saying why it cannot be:
   * white-box attacks need input gradients, which ONNX models and label-only views do not give.
   *
   * @throws InputException if it is not
   */
  public static <M extends Classifier> M modelFor(Attack<M> attack, Classifier model) {
    if (attack.modelType().isInstance(model)) {
      return attack.modelType().cast(model);
    }
    throw new InputException(attack.name() + " needs " + (Classifiers.isLabelOnly(model) ? "the model's gradients; "
        + "a label-only model gives none" : "input gradients, which " + model.info().name() + " does not give (ONNX "
        + "Runtime has no gradients); use a TorchScript or pixelguard network, or a black-box attack"));
  }

  /**
   * The attack's settings as a run records them: the attack's own, then the root seed where the attack makes
   * random choices ({@link Attack#seeded()}).
   */
  public static Map<String, Object> settings(Attack<?> attack, long rootSeed) {
    Map<String, Object> m = new LinkedHashMap<>(attack.settings());
    if (attack.seeded()) {
      m.put("seed", rootSeed);
    }
    return m;
  }

  /** The attack in one line for people, with the root seed where the attack makes random choices. */
  public static String describe(Attack<?> attack, long rootSeed) {
    return attack.describe() + (attack.seeded() ? ", seed " + rootSeed : "");
  }

  private <M extends Classifier> EvaluationResult run(M model, Attack<? super M> attack, Execution execution,
      int window) {
    long t0 = System.nanoTime();
    CountingClassifier counted = CountingClassifier.of(model);
    if (listener != null) {
      listener.started(attack, counted::queries);
    }
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
      Scores scores = counted.classify(ImageBatch.of(
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
              listener.resumed(earlier, done[0], total, done[1]);
            }
            continue;
          }
          long imageSeed = targets.matrix() ? Seeds.forImage(seed, li.id(), g) : Seeds.forImage(seed, li.id());
          tasks.add(new AttackTask(li.id(), li.image(), g, s, imageSeed));
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
          attempts.sort(Comparator.comparingInt(a -> order.indexOf(a.goal().describe())));
        }
        ImageOutcome o = new ImageOutcome(i, ids.get(i), labels[i], Prediction.of(clean.get(i), 0), skipped.get(i),
            attempts);
        outcomes.add(sink == null ? o : sink.accept(o));
      }
    }
    boolean logits = !clean.isEmpty() && clean.get(0).hasLogits();
    return new EvaluationResult(model.info(), logits, data.name(), attack.name(), settings(attack, seed), targets,
        seed, execution, outcomes, new EvaluationResult.Totals(counted.queries() + resumedQueries,
            cleanQueries, counted.gradients() + resumedGradients, counted.modelNanos(), System.nanoTime() - t0));
  }

  /** Bytes of images and results a window may hold: the window's size follows from the model's input. */
  static final long WINDOW_BYTES = 128L << 20;

  /**
   * Images attacked per window: as many as fit {@link #WINDOW_BYTES} at about 8 bytes per input value (the image,
   * its adversarial and the attack's working copies), at least 4 times the concurrency, so windows stay full;
   * every image of a CIFAR-10-sized dataset at once (5,461 at 32x32), 111 at 224x224 RGB.
   */
  public static int window(ModelInfo info, Execution execution) {
    long perImage = 8L * info.channels() * info.height() * info.width();
    return (int) Math.max(4L * execution.concurrency(), Math.min(Integer.MAX_VALUE, WINDOW_BYTES / Math.max(1, perImage)));
  }

  /** Runs {@code attack} on the counting view, which is of the attack's model type whenever the model is. */
  private static <T extends Classifier> List<AttackResult> runWith(Attack<T> attack, CountingClassifier counted,
      List<AttackTask> tasks, Execution execution, Consumer<AttackResult> onResult) {
    return attack.run(attack.modelType().cast(counted), tasks, execution, onResult);
  }
}
