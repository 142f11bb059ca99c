package dev.pixelguard.eval;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.LazyImages;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything an evaluation's outcomes depend on, as a value that can be written down and sent elsewhere: what
 * is attacked (a model by its {@link ModelRequest}, or a gate by its {@link GateSpec}), the images, the attack
 * with its settings, the goals, the root seed, and how to run it. The command line builds one from its options;
 * an engine that spreads the images over machines (pixelguard-spark) ships it to each of them, where
 * {@link #open()} makes the same model, images, attack and goals. An image's outcome depends only on the plan
 * and the image, so any split of the images gives the outcomes of one run, image for image.
 *
 * <pre>{@code
 * EvaluationPlan plan = EvaluationPlan.builder(new EvaluationPlan.Model(Models.request("resnet20.onnx")),
 *     EvaluationPlan.DataSource.of("cifar10/test_batch.bin").limit(100), GuidedPixelAttack.builder().build())
 *     .seed(7).build();
 * try (EvaluationPlan.Opened run = plan.open()) {
 *   EvaluationResult r = run.evaluation().run();
 * }
 * }</pre>
 *
 * @param subject what is attacked
 * @param data the images
 * @param attack the attack; it must be {@link Serializable}, as pixelguard's attacks are
 * @param goals the goals of every image
 * @param seed the root seed
 * @param batching batch size, concurrency and batches in flight; never changes an outcome
 * @param labelOnly whether the attack sees only the top class
 */
public record EvaluationPlan(Subject subject, DataSource data, Attack<?> attack, Goals goals, long seed,
    Batching batching, boolean labelOnly) implements Serializable {
  private static final long serialVersionUID = 1L;

  public EvaluationPlan {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(attack, "attack");
    Objects.requireNonNull(goals, "goals");
    Objects.requireNonNull(batching, "batching");
    if (!(attack instanceof Serializable)) {
      throw new IllegalArgumentException("a plan's attack must be Serializable, " + attack.getClass().getName()
          + " is not");
    }
    if (subject instanceof Gated && goals.target() != null) {
      throw new InputException("a gate is attacked with the harm goal (it accepts a wrong class); a target does "
          + "not apply");
    }
  }

  /** What an evaluation attacks. */
  public sealed interface Subject extends Serializable permits Model, Gated {}

  /**
   * A model, opened through the model backends ({@link Models#open(ModelRequest)}).
   *
   * @param request the model's location, resolved descriptor and backend settings
   */
  public record Model(ModelRequest request) implements Subject {
    private static final long serialVersionUID = 1L;

    public Model {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A gate in front of models ({@link GateSpec#open}), attacked three ways ({@link GateEvaluation}).
   *
   * @param gate the gate
   * @param camera how each image's second frame is simulated, for a gate that looks at another frame; null for
   *     {@link Camera#DEFAULT} seeded by the plan's root seed
   */
  public record Gated(GateSpec gate, Camera camera) implements Subject {
    private static final long serialVersionUID = 1L;

    public Gated {
      Objects.requireNonNull(gate, "gate");
    }
  }

  /**
   * The images: a dataset file or folder ({@link Datasets#open}), or the bundled samples ({@link Datasets#samples})
   * when {@code path} is null; the first {@code limit}, cycled to {@code repeat} images, and converted to the
   * model's input shape when {@code resize}.
   *
   * @param path a dataset path, or null for the bundled samples
   * @param limit the first images only, or null for all
   * @param repeat cycle to this many images (each repeat an id and a seed of its own), or null
   * @param resize whether images of another shape are converted to the model's
   */
  public record DataSource(String path, Integer limit, Integer repeat, boolean resize) implements Serializable {
    private static final long serialVersionUID = 1L;

    public DataSource {
      if (limit != null && limit < 1) {
        throw new InputException("--limit must be at least 1, was " + limit);
      }
      if (repeat != null && repeat < 1) {
        throw new InputException("--repeat must be at least 1, was " + repeat);
      }
    }

    /** Every image of the dataset at {@code path} (null: the bundled samples), as they are. */
    public static DataSource of(String path) {
      return new DataSource(path, null, null, false);
    }

    /** The first {@code n} images only. */
    public DataSource limit(int n) {
      return new DataSource(path, n, repeat, resize);
    }

    /** Images of another shape converted to the model's. */
    public DataSource resized() {
      return new DataSource(path, limit, repeat, true);
    }

    /** The images, limited and repeated, as read (not yet matched or fitted to a model). */
    public Dataset load() {
      Dataset d = path == null ? Datasets.samples() : Datasets.open(Path.of(path));
      d = limit == null ? d : d.limit(limit);
      return repeat == null ? d : d.repeat(repeat);
    }

    /**
     * The class names a model without its own may take from the data: none from a folder of class folders,
     * whose alphabetical order says nothing about the model's outputs.
     */
    public static List<String> namesForModel(Dataset data) {
      return data.namedByFolder() ? List.of() : data.classNames();
    }

    /** [C, H, W] of the dataset's first image. */
    public static int[] shape(Dataset data) {
      Image first = data.get(0).image();
      return new int[] {first.channels(), first.height(), first.width()};
    }

    /**
     * {@code data} labelled by the model's classes: class folders matched by name ({@link Dataset#matchedTo}), or
     * refused in one line when the model has no class names to match them to.
     */
    public static Dataset matched(Dataset data, ModelInfo info) {
      if (data.namedByFolder() && !info.hasNames()) {
        throw new InputException("the model has no class names, so the class folders of " + data.name() + " cannot "
            + "be matched to its outputs; give its class names with --classes FILE|LIST");
      }
      return data.matchedTo(info.classNames());
    }

    /**
     * {@code data} labelled by the model's classes (class folders matched by name) and in the model's input
     * shape: every image converted when {@link #resize} (each when it is used; one already of that shape is kept
     * as it is), or else as is when every image has that shape, or refused in one line naming an image that has
     * not. The images of a dataset held in memory are checked at once; those of one read when used (a large
     * folder) each when it is read.
     */
    public Dataset fit(Dataset data, ModelInfo info) {
      data = matched(data, info);
      if (resize) {
        return Datasets.convert(data, info.channels(), info.height(), info.width());
      }
      Image first = data.get(0).image();
      if (!fits(first, info)) {
        throw new InputException("the dataset's images are " + first.shape() + " but the model takes "
            + info.inputShape() + " (use --resize to convert them)");
      }
      if (data.images() instanceof LazyImages lazy) {
        return new Dataset(data.name(), lazy.map(li -> requireFits(li, info)), data.classNames(),
            data.namedByFolder());
      }
      data.images().forEach(li -> requireFits(li, info));
      return data;
    }

    private static boolean fits(Image im, ModelInfo info) {
      return im.channels() == info.channels() && im.height() == info.height() && im.width() == info.width();
    }

    private static LabeledImage requireFits(LabeledImage li, ModelInfo info) {
      if (!fits(li.image(), info)) {
        throw new InputException("image " + li.id() + " is " + li.image().shape() + " but the model takes "
            + info.inputShape() + ", as the dataset's first image is (use --resize to convert every image)");
      }
      return li;
    }
  }

  /**
   * The goal of every image: untargeted, a class (a name or a number), or every other class ({@code all}, Su et
   * al.'s matrix); harm (accepted and wrong) for a system that may abstain, whatever is given. A success may
   * also need a confident mistake.
   *
   * @param target null (untargeted), {@code all}, or a class
   * @param minConfidence the top class's probability every success needs, in (0, 1], or null
   */
  public record Goals(String target, Double minConfidence) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Untargeted, any mistake. */
    public static final Goals UNTARGETED = new Goals(null, null);

    public Goals {
      criterion(minConfidence); // refuses an out-of-range confidence before any work
    }

    /** Whether every image is attacked toward every other class. */
    public boolean matrix() {
      return "all".equalsIgnoreCase(target);
    }

    /** The criterion every success must also meet, or null. */
    public Criterion criterion() {
      return criterion(minConfidence);
    }

    private static Criterion criterion(Double minConfidence) {
      if (minConfidence == null) {
        return null;
      }
      try {
        return Criterion.topConfidenceAtLeast(minConfidence);
      } catch (IllegalArgumentException e) {
        throw new InputException("--min-confidence must be in (0, 1], was " + minConfidence);
      }
    }

    /** The goals for a model with {@code info}: harm for a model that may abstain, else the target's. */
    public Targets resolve(ModelInfo info) {
      int abstain = info.abstainClass();
      if (abstain >= 0 && target != null) {
        throw new InputException("the model may abstain (its last class is 'abstain', as a served gate's is), so "
            + "the attack seeks harm: accepted and wrong; --target does not apply");
      }
      Criterion c = criterion();
      return abstain >= 0 ? new Targets.Harm(abstain, c) : matrix() ? new Targets.EveryOther(c)
          : target == null ? new Targets.Untargeted(c) : new Targets.Target(info.classIndex(target), c);
    }
  }

  /**
   * How the evaluations use the engine ({@link Execution}), with the batch size left to the model when null: as
   * many images as hold {@link Execution#BATCH_VALUES} input values, at most 400.
   *
   * @param batchSize images per model call, or null for the model's default
   * @param concurrency images attacked at once
   * @param inFlight model batches of a query attack scored at once
   */
  public record Batching(Integer batchSize, int concurrency, int inFlight) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The model's batch, 16 images at once, one batch in flight. */
    public static final Batching DEFAULT = new Batching(null, 16, 1);

    public Batching {
      if ((batchSize != null && batchSize < 1) || concurrency < 1 || inFlight < 1) {
        throw new InputException("--batch, --concurrency and --in-flight must be at least 1");
      }
    }

    /** The execution for a model with {@code info}. */
    public Execution execution(ModelInfo info) {
      return new Execution(batchSize != null ? batchSize
          : Execution.defaultBatchSize(info.channels(), info.height(), info.width()), concurrency, inFlight);
    }
  }

  /** A builder: untargeted, root seed {@link Seeds#DEFAULT_ROOT}, the model's default batching, all scores. */
  public static Builder builder(Subject subject, DataSource data, Attack<?> attack) {
    return new Builder(subject, data, attack);
  }

  /**
   * The same plan with {@code threads} inference threads for a model that was given none (0), as a worker with
   * that many cores opens it; as it is otherwise.
   */
  public EvaluationPlan withThreads(int threads) {
    if (!(subject instanceof Model m) || m.request().threads() != 0) {
      return this;
    }
    return new EvaluationPlan(new Model(m.request().toBuilder().threads(threads).build()), data, attack, goals, seed,
        batching, labelOnly);
  }

  /** Whether the plan attacks a gate. */
  public boolean gated() {
    return subject instanceof Gated;
  }

  /** The names of the evaluations the plan makes: one for a model, {@link GateEvaluation#PARTS} for a gate. */
  public List<String> parts() {
    return gated() ? GateEvaluation.PARTS : List.of("evaluation");
  }

  /**
   * Opens what the plan names: the images, then the model (or the gate's models) with the images' shape and
   * class names where the model records none, then the images fitted to it, and the goals. Close it.
   *
   * @throws InputException for anything a user can fix, in one line
   */
  public Opened open() {
    return new Opened();
  }

  /** A plan opened: its model or gate, its images fitted to it, its attack and goals. Thread-safe to evaluate. */
  public final class Opened implements AutoCloseable {
    private final Classifier model;
    private final Gate gate;
    private final Dataset images;
    private final Targets targets;

    private Opened() {
      Dataset raw = data.load();
      int[] shape = DataSource.shape(raw);
      List<String> names = DataSource.namesForModel(raw);
      if (subject instanceof Gated g) {
        gate = g.gate().open(names, shape);
        model = gate.looksAtOtherFrame() ? null : gate.asClassifier(); // such a gate is a classifier per scene
      } else {
        gate = null;
        ModelRequest r = ((Model) subject).request();
        model = named(Models.open(r.dataShape() != null ? r : r.toBuilder().dataShape(shape).build()), names);
      }
      try {
        images = data.fit(raw, gate != null ? gate.info() : model.info());
        targets = gate != null ? new Targets.Harm(gate.abstainClass(), goals.criterion())
            : goals.resolve(model.info());
      } catch (RuntimeException e) {
        close();
        throw e;
      }
    }

    /** The plan that was opened. */
    public EvaluationPlan plan() {
      return EvaluationPlan.this;
    }

    /**
     * The model; for a gate, the gated system as a classifier, or null for a gate that also looks at another frame
     * of the scene (it is a classifier only together with each scene's frame: {@link #gateEvaluation()}).
     */
    public Classifier model() {
      return model;
    }

    /** The gate, or null when a model is attacked. */
    public Gate gate() {
      return gate;
    }

    /** The model's (or gate's) input shape, classes and name. */
    public ModelInfo info() {
      return gate != null ? gate.info() : model.info();
    }

    /** The images, labelled by the model's classes and in its input shape. */
    public Dataset images() {
      return images;
    }

    /** The goals of every image. */
    public Targets targets() {
      return targets;
    }

    /** The execution: the plan's batching for this model. */
    public Execution execution() {
      return batching.execution(info());
    }

    /** The evaluation of a model's plan over {@code over}, set up but not run (add a journal, a sink, a listener). */
    public Evaluation evaluation(Dataset over) {
      if (gate != null) {
        throw new IllegalStateException("a gate's plan makes three evaluations: use gateEvaluation()");
      }
      Classifier seen = labelOnly ? Classifiers.labelOnly(model) : model;
      return Evaluation.of(seen, over, attack).targets(targets).seed(seed).execution(execution());
    }

    /** The evaluation of a model's plan over every image, set up but not run. */
    public Evaluation evaluation() {
      return evaluation(images);
    }

    /** The evaluation of a gate's plan over {@code over}, set up but not run (add journals, a monitor). */
    public GateEvaluation gateEvaluation(Dataset over) {
      if (gate == null) {
        throw new IllegalStateException("a model's plan makes one evaluation: use evaluation()");
      }
      return GateEvaluation.of(gate, over, attack).criterion(goals.criterion()).labelOnly(labelOnly)
          .camera(((Gated) subject).camera()).seed(seed).execution(execution());
    }

    /** The evaluation of a gate's plan over every image, set up but not run. */
    public GateEvaluation gateEvaluation() {
      return gateEvaluation(images);
    }

    /**
     * Runs every evaluation of the plan ({@link #parts()}) over some of the images, in the order given, each
     * journaled: what an engine that splits the images runs for one share of them.
     *
     * @param indices the images, by index in {@link #images()}
     * @param journals the journal of each part, by name, or null for none
     * @param listener progress of each attempt, of every part, or null
     * @return one result per part, in {@link #parts()} order; image indices count within the share
     */
    public List<EvaluationResult> evaluate(List<Integer> indices, Function<String, Journal> journals,
        Evaluation.Listener listener) {
      List<LabeledImage> share = new ArrayList<>(indices.size());
      indices.forEach(i -> share.add(images.get(i)));
      Dataset over = new Dataset(images.name(), share, images.classNames(), images.namedByFolder());
      if (gate == null) {
        return List.of(evaluation(over).journal(journals == null ? null : journals.apply(parts().get(0)))
            .listener(listener).run());
      }
      return gateEvaluation(over)
          .journals(journals == null ? null : (part, info, a, s, t) -> journals.apply(part))
          .monitor(listener == null ? null : part -> listener).run().all();
    }

    /**
     * Every evaluation of the plan ({@link #parts()}) run over no image: each says what its result will say of
     * itself (the model seen, the attack and its settings, the goals, the root seed), with no outcome. An
     * engine that runs the images elsewhere fills them in ({@link EvaluationResult#withImages}); a journal's
     * settings are taken from them.
     */
    public List<EvaluationResult> blankResults() {
      return evaluate(List.of(), null, null);
    }

    /** The gate evaluation's result made of the three results of its parts, for the defence report. */
    public GateEvaluation.Result gateResult(List<EvaluationResult> parts) {
      return gateEvaluation().result(parts);
    }

    @Override
    public void close() {
      if (gate != null) {
        gate.close();
      } else {
        model.close();
      }
    }
  }

  /**
   * A model without class names of its own takes the data's when the counts agree; a system that may abstain (a
   * gate served over HTTP) takes the data's classes, then "abstain".
   */
  private static Classifier named(Classifier c, List<String> dataNames) {
    if (c.info().hasNames() || dataNames == null) {
      return c;
    }
    int k = c.info().numClasses();
    if (dataNames.size() == k) {
      return Classifiers.withClassNames(c, dataNames);
    }
    if (c.info().abstainClass() == k - 1 && dataNames.size() == k - 1) {
      List<String> names = new ArrayList<>(dataNames);
      names.add(ModelInfo.ABSTAIN);
      return Classifiers.withClassNames(c, names);
    }
    return c;
  }

  /** Builds an {@link EvaluationPlan}. */
  public static final class Builder {
    private final Subject subject;
    private final DataSource data;
    private final Attack<?> attack;
    private Goals goals = Goals.UNTARGETED;
    private long seed = Seeds.DEFAULT_ROOT;
    private Batching batching = Batching.DEFAULT;
    private boolean labelOnly;

    private Builder(Subject subject, DataSource data, Attack<?> attack) {
      this.subject = subject;
      this.data = data;
      this.attack = attack;
    }

    /** The goals (default untargeted, any mistake). */
    public Builder goals(Goals g) {
      goals = Objects.requireNonNull(g, "goals");
      return this;
    }

    /** The root seed (default {@link Seeds#DEFAULT_ROOT}). */
    public Builder seed(long rootSeed) {
      seed = rootSeed;
      return this;
    }

    /** Batch size, concurrency and batches in flight (default {@link Batching#DEFAULT}). */
    public Builder batching(Batching b) {
      batching = Objects.requireNonNull(b, "batching");
      return this;
    }

    /** Whether the attack sees only the top class (default false). */
    public Builder labelOnly(boolean v) {
      labelOnly = v;
      return this;
    }

    public EvaluationPlan build() {
      return new EvaluationPlan(subject, data, attack, goals, seed, batching, labelOnly);
    }
  }
}
