package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.TransferAttack;
import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.model.TemperatureScaled;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.defence.SimulatedScenes;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import dev.pixelguard.report.DefenceReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate --gate}: the undefended reference model, the gate against an attack that ignores it, and the
 * gate against the adaptive attack that queries (or differentiates) the whole defended system, side by side.
 */
final class GatedEvaluation {
  private GatedEvaluation() {}

  /** The three evaluations, the adaptive one last. */
  record Outcome(EvaluationResult undefended, EvaluationResult oblivious, EvaluationResult adaptive) {
    List<EvaluationResult> all() {
      return List.of(undefended, oblivious, adaptive);
    }
  }

  /** The three evaluations' names, in order: each keeps a journal of its own ({@code r.json.PART.journal}). */
  static final List<String> PARTS = List.of("undefended", "oblivious", "adaptive");

  /** Opens the journal of one of the {@link #PARTS}, for its model, attack and goals; null for none. */
  interface Journals {
    JournalFile open(String part, ModelInfo info, Attack<?> attack, Targets targets);
  }

  /**
   * @param labelOnly whether the attacks see only the top class (of the reference model, and of the gated
   *     system: a class or "abstain")
   * @param camera for a gate that also looks at another frame of the scene: how each image's second frame is
   *     simulated from the clean image (the attacks never change it); ignored for other gates
   * @param journals the journals of the three evaluations, or null for none
   */
  static Outcome run(Gate gate, Dataset data, Attack<?> attack, AttackOptions options, Execution execution,
      Evaluations.Console console, boolean labelOnly, Camera camera, Journals journals) {
    Classifier reference = gate.views().get(0).classifier();
    SimulatedScenes scenes = gate.looksAtOtherFrame() ? new SimulatedScenes(gate, camera) : null;
    Classifier gated = scenes == null ? gate.asClassifier() : scenes.classifier();
    if (labelOnly) {
      reference = Classifiers.labelOnly(reference);
      gated = Classifiers.labelOnly(gated);
    }
    ModelInfo info = gate.info();
    Targets harm = new Targets.Harm(gate.abstainClass(), options.criterion());
    Evaluations.Line line = (i, a) -> Evaluations.success(i, a, info);
    ModelInfo gatedInfo = gated.info();
    Targets untargeted = new Targets.Untargeted(options.criterion());
    EvaluationResult undefended = Evaluations.run("undefended", reference, labelOnly, data, attack, untargeted,
        execution, quiet(console), line,
        journals == null ? null : journals.open(PARTS.get(0), reference.info(), attack, untargeted));
    Attack<Classifier> oblique = framed(scenes, transfer(attack, reference, labelOnly));
    EvaluationResult oblivious = Evaluations.run("gate, attack ignores it", gated, labelOnly, data, oblique, harm,
        execution, quiet(console), line, journals == null ? null : journals.open(PARTS.get(1), gatedInfo, oblique, harm));
    Attack<?> adaptiveAttack = framed(scenes, attack);
    EvaluationResult adaptive = Evaluations.run("gate, adaptive attack", gated, labelOnly, data, adaptiveAttack, harm,
        execution, console, (i, a) -> !a.success() ? null
            : String.format(Locale.ROOT, "harmed #%d %s: %s", i, a.imageId(), Text.outcome(a, gatedInfo)),
        journals == null ? null : journals.open(PARTS.get(2), gatedInfo, adaptiveAttack, harm));
    return new Outcome(undefended, oblivious, adaptive);
  }

  /** {@code attack} with each task's second frame fixed, for a gate that looks at one; else as it is. */
  private static <M extends Classifier> Attack<M> framed(SimulatedScenes scenes, Attack<M> attack) {
    return scenes == null ? attack : scenes.attack(attack);
  }

  private static Evaluations.Console quiet(Evaluations.Console c) {
    return new Evaluations.Console(c.out(), c.err(), true);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Attack<Classifier> transfer(Attack<?> attack, Classifier reference, boolean labelOnly) {
    Classifier surrogate = AttackOptions.modelFor(attack, reference, labelOnly);
    return new TransferAttack(attack, surrogate);
  }

  static void print(PrintWriter o, Gate gate, Attack<?> attack, Outcome r, Camera camera) {
    o.printf(Locale.ROOT, "gate:     %s%n", gate.describe());
    if (gate.looksAtOtherFrame()) {
      o.printf(Locale.ROOT, "frames:   %s; the attacks change the image, never that frame%n", camera.describe());
    }
    Summary u = r.undefended().summary();
    Summary b = r.oblivious().summary();
    Summary a = r.adaptive().summary();
    o.printf(Locale.ROOT, "data:     %s, %d images; the reference model gets %d right (%.1f%%); the gate accepts "
        + "%d of them%n", r.adaptive().dataset(), u.evaluated(), u.cleanCorrect(), 100 * u.cleanAccuracy(),
        a.attacked());
    String d = attack.describe();
    o.printf(Locale.ROOT, "attack:   %s%n", d.contains("seed") ? d : d + ", seed " + attack.seed());
    o.printf(Locale.ROOT, "%-34s %9s %8s %8s%n", "", "attacked", "harmed", "rate");
    row(o, "undefended model (wrong class)", u);
    row(o, "gate, attack that ignores it", b);
    row(o, "gate, adaptive attack", a);
    o.println("harmed: the system acts on a wrong class (undefended: any wrong class; gated: the gate accepts a wrong "
        + "class). attacked: images classified correctly (and, gated, accepted) before the attack.");
  }

  private static void row(PrintWriter o, String name, Summary s) {
    o.printf(Locale.ROOT, "%-34s %9d %8d %8s%n", name, s.attacked(), s.successes(),
        s.attacked() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * s.successRate()));
  }

  /**
   * The defence report of an outcome: the three runs, the gate's clean figures on the evaluated images, the
   * reference model's calibration on them (when the gate calibrates it), and the ROC of the gate's squeeze
   * distance between those clean images and the undefended run's adversarials (when the gate has several
   * views).
   */
  static DefenceReport report(Gate gate, Dataset data, Outcome r, Camera camera) {
    List<Gate.Evidence> ev = GateFit.assess(gate, data, camera); // every view once, for the figures and the ROC
    DefenceReport.Builder b = DefenceReport.builder(gate.describe(), r.undefended(), r.oblivious(), r.adaptive());
    Classifier reference = gate.views().get(0).classifier();
    int[] labels = new int[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.get(i).label();
    }
    boolean labelled = java.util.Arrays.stream(labels).allMatch(y -> y >= 0);
    if (labelled && labels.length > 0) {
      b.cleanFigures(GateFit.measure(gate, ev, data), data.name());
    }
    double t = TemperatureScaled.temperatureOf(reference);
    if (t != 1 && labelled && labels.length > 0) {
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
    if (gate.views().size() > 1) {
      List<Double> cleanScores = new ArrayList<>();
      for (int i = 0; i < ev.size(); i++) {
        if (labels[i] >= 0 && ev.get(i).top(0) == labels[i]) {
          cleanScores.add(ev.get(i).squeeze());
        }
      }
      List<float[]> adversarials = new ArrayList<>();
      List<float[]> scenes = new ArrayList<>(); // the second frame of each adversarial's clean image
      for (AttackResult a : r.undefended().attempts()) {
        if (a.success()) {
          adversarials.add(a.adversarialValues());
          if (gate.looksAtOtherFrame()) {
            float[] frame = new float[a.adversarialValues().length];
            camera.secondFrames(ImageBatch.of(List.of(a.original()))).copyTo(frame, 0);
            scenes.add(frame);
          }
        }
      }
      List<Double> advScores = new ArrayList<>();
      ModelInfo info = gate.info();
      int len = info.channels() * info.height() * info.width();
      for (int from = 0; from < adversarials.size(); from += 400) {
        int n = Math.min(400, adversarials.size() - from);
        float[] values = new float[n * len];
        float[] frames = new float[n * len];
        for (int i = 0; i < n; i++) {
          System.arraycopy(adversarials.get(from + i), 0, values, i * len, len);
          if (!scenes.isEmpty()) {
            System.arraycopy(scenes.get(from + i), 0, frames, i * len, len);
          }
        }
        ImageBatch batch = ImageBatch.wrap(n, info.channels(), info.height(), info.width(), values);
        List<Gate.Evidence> evidence = scenes.isEmpty() ? gate.assess(batch)
            : gate.assess(batch, ImageBatch.wrap(n, info.channels(), info.height(), info.width(), frames));
        for (Gate.Evidence e : evidence) {
          advScores.add(e.squeeze());
        }
      }
      if (!cleanScores.isEmpty() && !advScores.isEmpty()) {
        b.detector("squeeze distance of the gate's views: clean images against the adversarials of the attack on "
            + "the undefended model", new Roc(unbox(cleanScores), unbox(advScores)));
      }
    }
    return b.build();
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
