package dev.pixelguard.eval;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.attack.TransferAttack;
import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.defence.SimulatedScenes;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TemperatureScaled;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A gate under attack, three ways on the same images with the same seeds: the undefended reference model (the
 * gate's first view) under the untargeted attack, the gate under an attack that ignores it (run on the reference
 * model, each adversarial then judged through the gate), and the gate under the adaptive attack, which queries
 * the whole defended system with the harm goal: the gate accepts the image and answers a wrong class
 * ({@link Targets.Harm}). Abstaining is the defence working, not harm.
 *
 * <pre>{@code
 * try (Gate gate = GateFile.read(Path.of("gate.json")).open(classes)) {
 *   GateEvaluation.Result r = GateEvaluation.of(gate, images, GuidedPixelAttack.builder().build()).run();
 *   System.out.println(r.adaptive().summary().successes() + " harmed");
 *   DefenceReportPage.write(r.report(), Path.of("report"));   // pixelguard-report
 * }
 * }</pre>
 *
 * <p>A gate that also looks at another frame of the scene (a second camera, {@link Gate#looksAtOtherFrame()})
 * is attacked on the image alone: each image's second frame is simulated from the clean image by
 * {@link #camera} and never changed by the attacks.
 */
public final class GateEvaluation {
  /** The three evaluations' names, in order; each may keep a journal of its own. */
  public static final List<String> PARTS = List.of("undefended", "oblivious", "adaptive");

  private final Gate gate;
  private final Dataset data;
  private final Attack<?> attack;
  private Criterion criterion;
  private boolean labelOnly;
  private Camera camera;
  private long seed = Seeds.DEFAULT_ROOT;
  private Execution execution;
  private Journals journals;
  private Monitor monitor;

  private GateEvaluation(Gate gate, Dataset data, Attack<?> attack) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.data = Objects.requireNonNull(data, "images");
    this.attack = Objects.requireNonNull(attack, "attack");
  }

  /** The evaluation of {@code gate} on {@code images} under {@code attack}. */
  public static GateEvaluation of(Gate gate, Dataset images, Attack<?> attack) {
    return new GateEvaluation(gate, images, attack);
  }

  /** A criterion every success must also meet, such as a confident mistake; null for none (the default). */
  public GateEvaluation criterion(Criterion c) {
    criterion = c;
    return this;
  }

  /**
   * Whether the attacks see only the top class: of the reference model, and of the gated system (a class or
   * "abstain"). Default false.
   */
  public GateEvaluation labelOnly(boolean v) {
    labelOnly = v;
    return this;
  }

  /**
   * For a gate that looks at another frame: how each image's second frame is simulated from the clean image
   * (default {@link Camera#DEFAULT} seeded by the root seed); ignored for other gates.
   */
  public GateEvaluation camera(Camera c) {
    camera = c;
    return this;
  }

  /** The root seed of all three evaluations (default {@link Seeds#DEFAULT_ROOT}). */
  public GateEvaluation seed(long rootSeed) {
    seed = rootSeed;
    return this;
  }

  /** Batch size and concurrency, which never change an outcome (default: the gate's default batch, 16 at once). */
  public GateEvaluation execution(Execution e) {
    execution = e;
    return this;
  }

  /** Where each evaluation keeps its finished attempts, so that a killed run resumes; null for none. */
  public GateEvaluation journals(Journals j) {
    journals = j;
    return this;
  }

  /** Progress of each evaluation; null for none. */
  public GateEvaluation monitor(Monitor m) {
    monitor = m;
    return this;
  }

  /** Opens the journal of one of the {@link #PARTS}, for its model, attack, root seed and goals; null for none. */
  public interface Journals {
    Journal open(String part, ModelInfo info, Attack<?> attack, long seed, Targets targets);
  }

  /** Progress: a listener for each of the {@link #PARTS} as it starts (null for none). */
  public interface Monitor {
    Evaluation.Listener start(String part);
  }

  /** The camera the run uses: the one given, or {@link Camera#DEFAULT} seeded by the root seed. */
  public Camera camera() {
    return camera != null ? camera : Camera.DEFAULT.withSeed(seed);
  }

  /** Runs the three evaluations, the adaptive one last. */
  public Result run() {
    Camera cam = camera();
    Classifier reference = gate.views().get(0).classifier();
    SimulatedScenes scenes = gate.looksAtOtherFrame() ? new SimulatedScenes(gate, cam) : null;
    Classifier gated = scenes == null ? gate.asClassifier() : scenes.classifier();
    if (labelOnly) {
      reference = Classifiers.labelOnly(reference);
      gated = Classifiers.labelOnly(gated);
    }
    Targets harm = new Targets.Harm(gate.abstainClass(), criterion);
    EvaluationResult undefended = part(0, reference, attack, new Targets.Untargeted(criterion));
    EvaluationResult oblivious = part(1, gated, framed(scenes, transfer(attack, reference)), harm);
    EvaluationResult adaptive = part(2, gated, framed(scenes, attack), harm);
    return new Result(undefended, oblivious, adaptive, cam);
  }

  private EvaluationResult part(int p, Classifier model, Attack<?> a, Targets targets) {
    String name = PARTS.get(p);
    Evaluation e = Evaluation.of(model, data, a).targets(targets).seed(seed)
        .journal(journals == null ? null : journals.open(name, model.info(), a, seed, targets))
        .listener(monitor == null ? null : monitor.start(name));
    return (execution == null ? e : e.execution(execution)).run();
  }

  /**
   * The result of this evaluation made of its three parts run elsewhere (an engine that splits the images runs
   * each part over every share and merges them), in {@link #PARTS} order, for the defence report.
   */
  public Result result(List<EvaluationResult> parts) {
    if (parts.size() != PARTS.size()) {
      throw new IllegalArgumentException("a gate evaluation has " + PARTS.size() + " parts, got " + parts.size());
    }
    return new Result(parts.get(0), parts.get(1), parts.get(2), camera());
  }

  /** {@code attack} with each task's second frame fixed, for a gate that looks at one; else as it is. */
  private static <M extends Classifier> Attack<M> framed(SimulatedScenes scenes, Attack<M> attack) {
    return scenes == null ? attack : scenes.attack(attack);
  }

  /** The attack run on the reference model and judged through the gate. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Attack<Classifier> transfer(Attack<?> attack, Classifier reference) {
    return new TransferAttack(attack, Evaluation.modelFor(attack, reference));
  }

  /** The three evaluations of a gate, and the defence report built from them. */
  public final class Result {
    private final EvaluationResult undefended;
    private final EvaluationResult oblivious;
    private final EvaluationResult adaptive;
    private final Camera camera;

    private Result(EvaluationResult undefended, EvaluationResult oblivious, EvaluationResult adaptive,
        Camera camera) {
      this.undefended = undefended;
      this.oblivious = oblivious;
      this.adaptive = adaptive;
      this.camera = camera;
    }

    /** The reference model alone, untargeted. */
    public EvaluationResult undefended() {
      return undefended;
    }

    /** The gate under the attack that ignores it, with the harm goal. */
    public EvaluationResult oblivious() {
      return oblivious;
    }

    /** The gate under the adaptive attack, with the harm goal: the evaluation to report and gate on. */
    public EvaluationResult adaptive() {
      return adaptive;
    }

    /** The three, in {@link #PARTS} order. */
    public List<EvaluationResult> all() {
      return List.of(undefended, oblivious, adaptive);
    }

    /** The camera that made the second frames (used only by a gate that looks at another frame). */
    public Camera camera() {
      return camera;
    }

    /**
     * The defence report of the run: the three evaluations, the gate's clean figures on the evaluated images,
     * the reference model's calibration on them (when the gate calibrates it), and the ROC of the gate's squeeze
     * distance between those clean images and the undefended run's adversarials (when the gate has several
     * views). It runs the gate's views once over the images: call it while the gate is open.
     */
    public DefenceReport report() {
      List<Gate.Evidence> ev = GateFit.assess(gate, data, camera); // every view once, for the figures and the ROC
      DefenceReport.Builder b = DefenceReport.builder(gate.describe(), undefended, oblivious, adaptive);
      int[] labels = new int[data.size()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = data.get(i).label();
      }
      boolean labelled = labels.length > 0 && java.util.Arrays.stream(labels).allMatch(y -> y >= 0);
      if (labelled) {
        b.cleanFigures(GateFit.measure(gate, ev, data), data.name());
        calibration(b, labels);
      }
      if (gate.views().size() > 1) {
        detector(b, ev, labels);
      }
      return b.build();
    }

    private void calibration(DefenceReport.Builder b, int[] labels) {
      Classifier reference = gate.views().get(0).classifier();
      double t = TemperatureScaled.temperatureOf(reference);
      if (t == 1) {
        return;
      }
      List<Scores> clean = CleanPass.score(reference, data, 400); // with logits, to undo the temperature
      double[][] after = new double[labels.length][];
      double[][] before = new double[labels.length][];
      for (int i = 0; i < labels.length; i++) {
        after[i] = toDouble(clean.get(i).probabilities(0));
        before[i] = toDouble(TemperatureScaled.scale(clean.get(i), 1 / t).probabilities(0));
      }
      b.calibration(reference.info().name(), CalibrationSummary.measure(before, labels, 15, 1),
          CalibrationSummary.measure(after, labels, 15, 1), t);
    }

    private void detector(DefenceReport.Builder b, List<Gate.Evidence> ev, int[] labels) {
      List<Double> cleanScores = new ArrayList<>();
      for (int i = 0; i < ev.size(); i++) {
        if (labels[i] >= 0 && ev.get(i).top(0) == labels[i]) {
          cleanScores.add(ev.get(i).squeeze());
        }
      }
      List<AttackResult> fooled = undefended.attempts().stream().filter(AttackResult::success).toList();
      List<Double> advScores = new ArrayList<>();
      ModelInfo info = gate.info();
      int len = info.channels() * info.height() * info.width();
      for (int from = 0; from < fooled.size(); from += 400) {
        int n = Math.min(400, fooled.size() - from);
        float[] values = new float[n * len];
        float[] originals = new float[n * len];
        for (int i = 0; i < n; i++) {
          System.arraycopy(fooled.get(from + i).adversarialValues(), 0, values, i * len, len);
          fooled.get(from + i).original().writeUnit(originals, i * len);
        }
        ImageBatch batch = ImageBatch.wrap(n, info.channels(), info.height(), info.width(), values);
        List<Gate.Evidence> evidence = !gate.looksAtOtherFrame() ? gate.assess(batch) // the clean image's second frame
            : gate.assess(batch, camera.secondFrames(ImageBatch.wrap(n, info.channels(), info.height(), info.width(),
                originals)));
        evidence.forEach(e -> advScores.add(e.squeeze()));
      }
      if (!cleanScores.isEmpty() && !advScores.isEmpty()) {
        b.detector("squeeze distance of the gate's views: clean images against the adversarials of the attack on "
            + "the undefended model", new Roc(unbox(cleanScores), unbox(advScores)));
      }
    }
  }

  private static double[] toDouble(float[] p) {
    double[] d = new double[p.length];
    for (int k = 0; k < p.length; k++) {
      d[k] = p[k];
    }
    return d;
  }

  private static double[] unbox(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
