package dev.pixelguard.defence;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A safe-fallback gate: one object that looks at an image through several <em>views</em> (the model as
 * is, the model on a transformed image such as a 2x2 median filter, a second independently trained model,
 * each calibrated) and returns a {@link Decision}: accept (class, confidence) or abstain with every reason
 * that fired. The checks:
 *
 * <ul>
 *   <li><b>fusion and agreement</b>: the views' probabilities are fused by a stated {@link Fusion} rule; with
 *       {@code all-agree} (or the disagreement alarm) every view's top class must be the fused class, with
 *       {@code majority} more than half of them;
 *   <li><b>confidence</b>: the fused confidence must reach {@link Settings#minConfidence};
 *   <li><b>squeeze detector</b> (feature squeezing, Xu et al. 2018): the largest L1 distance between the first
 *       view's probabilities and any other view's must not exceed {@link Settings#maxSqueeze}.
 * </ul>
 *
 * <p>{@link #asClassifier()} is the whole defended system as a classifier with one more class,
 * {@code abstain}, so every attack can query it (and a gradient attack differentiate it, when every view
 * can be): attack it with {@link dev.pixelguard.attack.Goal.Harm} to search for an accepted wrong answer.
 * Its logits are each class's fused log-probability, and for {@code abstain} the fused class's minus the
 * smallest slack of the checks (how far the image is from tripping one), so abstention is on top exactly when
 * the gate abstains and a search has a signal on both sides of the decision. Its probabilities, for people,
 * are the fused ones when the gate accepts (so an accepted class shows its fused confidence).
 *
 * <p><b>Another frame of the scene.</b> A view may look at another frame of the same scene (a second camera, the
 * next video frame) instead of the image decided on ({@link View#otherFrame()}): an attacker who controls the
 * image does not control that frame. Such a gate decides on both, {@link #decide(ImageBatch, ImageBatch)}, and is
 * attacked bound to the frame ({@link #asClassifier(ImageBatch)}, or {@link SimulatedScenes} in an evaluation).
 *
 * <p>The gate owns the models it is given to close ({@link #close()}); views wrap them and are not closed
 * twice.
 */
public final class Gate implements AutoCloseable {

  /** How the views' probabilities are fused into one prediction. */
  public enum Fusion {
    /** Mean of the views' probabilities; accepted only when every view's top class agrees. */
    ALL_AGREE("all-agree"),
    /** The class most views put on top (ties by mean probability); accepted when more than half agree. */
    MAJORITY("majority"),
    /** The normalised product of the views' (calibrated) probabilities, a naive-Bayes fusion. */
    PRODUCT("product");

    private final String label;

    Fusion(String label) {
      this.label = label;
    }

    /** The name in gate files and on the command line. */
    public String label() {
      return label;
    }

    /** The rule {@code text} names (all-agree, majority, product; case-insensitive). */
    public static Fusion parse(String text) {
      for (Fusion f : values()) {
        if (f.label.equalsIgnoreCase(text.trim()) || f.name().equalsIgnoreCase(text.trim())) {
          return f;
        }
      }
      throw new InputException("unknown fusion rule '" + text + "'; give all-agree, majority or product");
    }
  }

  /**
   * The gate's thresholds and policies.
   *
   * @param fusion how the views' probabilities are fused
   * @param alarm whether any disagreement among the views abstains even when the rule would not require it
   *     ({@code majority}, {@code product})
   * @param minConfidence the smallest fused confidence accepted, in [0, 1]; 0 turns the check off
   * @param maxSqueeze the largest L1 distance accepted between the first view's probabilities and any
   *     other's, in [0, 2]; {@code Double.POSITIVE_INFINITY} turns the detector off
   * @param fallback what to do on abstention
   */
  public record Settings(Fusion fusion, boolean alarm, double minConfidence, double maxSqueeze, Fallback fallback) implements java.io.Serializable {
    public Settings {
      if (!(minConfidence >= 0 && minConfidence <= 1)) {
        throw new InputException("the minimum confidence must be in [0, 1], was " + minConfidence);
      }
      if (!(maxSqueeze >= 0)) {
        throw new InputException("the squeeze threshold must be at least 0, was " + maxSqueeze);
      }
    }

    /** These settings with another confidence threshold. */
    public Settings withMinConfidence(double c) {
      return new Settings(fusion, alarm, c, maxSqueeze, fallback);
    }

    /** These settings with another squeeze threshold. */
    public Settings withMaxSqueeze(double s) {
      return new Settings(fusion, alarm, minConfidence, s, fallback);
    }

    /** Whether every view must agree with the fused class. */
    boolean requiresAll() {
      return fusion == Fusion.ALL_AGREE || alarm;
    }

    /** One line for reports. */
    public String describe() {
      return String.format(Locale.ROOT, "%s%s, confidence >= %.4f, squeeze <= %s, fallback %s", fusion.label(),
          alarm && fusion != Fusion.ALL_AGREE ? " with disagreement alarm" : "", minConfidence,
          Double.isInfinite(maxSqueeze) ? "off" : String.format(Locale.ROOT, "%.4f", maxSqueeze),
          fallback.safeClass() < 0 ? "abstain" : "class " + fallback.safeClass());
    }
  }

  /**
   * A named way of looking at the scene: a (calibrated) model, possibly on a transformed image, looking at the
   * image decided on or at another frame of the same scene.
   *
   * @param name for reasons and reports, e.g. "cifar10-resnet20.onnx + median(size=2)"
   * @param classifier the view
   * @param otherFrame whether the view looks at the scene's other frame (a second camera's) rather than at the
   *     image decided on
   */
  public record View(String name, Classifier classifier, boolean otherFrame) {
    /** A view of the image decided on. */
    public View(String name, Classifier classifier) {
      this(name, classifier, false);
    }
  }

  private final List<View> views;
  private final Settings settings;
  private final List<? extends AutoCloseable> owned;
  private final ModelInfo info;
  private final ViewPlan plan;
  private final int parallelism; // 0: view by view, as before the shared evaluation

  /**
   * @param views at least one view; the first is the reference of the squeeze detector. All views must take
   *     the same input and give the same classes
   * @param settings thresholds and policies
   * @param owned what {@link #close()} closes (the models under the views)
   */
  public Gate(List<View> views, Settings settings, List<? extends AutoCloseable> owned) {
    this(views, settings, owned, Runtime.getRuntime().availableProcessors());
  }

  private Gate(List<View> views, Settings settings, List<? extends AutoCloseable> owned, int parallelism) {
    if (views.isEmpty()) {
      throw new IllegalArgumentException("a gate needs at least one view");
    }
    ModelInfo first = views.get(0).classifier().info();
    for (View v : views) {
      ModelInfo i = v.classifier().info();
      if (i.numClasses() != first.numClasses() || i.channels() != first.channels() || i.height() != first.height()
          || i.width() != first.width()) {
        throw new InputException("the gate's views differ: " + views.get(0).name() + " takes " + first.inputShape()
            + " with " + first.numClasses() + " classes, " + v.name() + " takes " + i.inputShape() + " with "
            + i.numClasses());
      }
      if (i.hasNames() && first.hasNames() && !i.classNames().equals(first.classNames())) {
        throw new InputException("the gate's views name their classes differently: " + v.name() + " has "
            + i.classNames() + ", " + views.get(0).name() + " has " + first.classNames());
      }
    }
    this.views = List.copyOf(views);
    this.settings = settings;
    this.owned = List.copyOf(owned);
    this.info = first;
    this.plan = new ViewPlan(this.views);
    this.parallelism = parallelism;
  }

  /** The gate's views, the reference first. */
  public List<View> views() {
    return views;
  }

  public Settings settings() {
    return settings;
  }

  /** The same views under other settings; the new gate owns nothing (close this one). */
  public Gate with(Settings other) {
    return new Gate(views, other, List.of(), parallelism);
  }

  /**
   * The same gate running its model passes on at most {@code threads} threads (default: one per processor);
   * decisions do not depend on it. A gate opened from a {@link GateSpec} runs each model call on one engine
   * thread ({@link GateSpec#ENGINE_THREADS}), so fewer threads here use fewer cores. The new gate owns nothing
   * (close this one).
   */
  public Gate withParallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + threads);
    }
    return new Gate(views, settings, List.of(), threads);
  }

  /**
   * The same gate evaluated view by view, as before the shared evaluation: every view runs on its own, one after
   * another, on the calling thread, each transform once per view. The reference {@link #assess} is tested and
   * measured against; it decides exactly alike, only slower. The new gate owns nothing (close this one).
   */
  public Gate viewByView() {
    return new Gate(views, settings, List.of(), 0);
  }

  /** The most threads {@link #assess} runs model passes on; 0 when the gate is evaluated {@link #viewByView()}. */
  public int parallelism() {
    return parallelism;
  }

  /** The protected model's input shape and classes (those of the first view). */
  public ModelInfo info() {
    return info;
  }

  /** The defended system's input shape and classes: the protected model's, then {@code abstain} last. */
  public ModelInfo gatedInfo() {
    List<String> names = new ArrayList<>(info.classNames());
    names.add(ModelInfo.ABSTAIN);
    return new ModelInfo(info.channels(), info.height(), info.width(), info.numClasses() + 1, names,
        "gated " + info.name());
  }

  /** Decides every image of a batch (of a gate that looks at no other frame). */
  public List<Decision> decide(ImageBatch batch) {
    return decisions(assess(batch));
  }

  /**
   * Decides every image of a batch together with the scene's other frame of each (same size and shape), which the
   * views that look at the other frame see ({@link View#otherFrame()}).
   */
  public List<Decision> decide(ImageBatch images, ImageBatch otherFrames) {
    return decisions(assess(images, otherFrames));
  }

  private List<Decision> decisions(List<Evidence> evidence) {
    List<Decision> out = new ArrayList<>();
    for (Evidence e : evidence) {
      out.add(e.decide(settings));
    }
    return out;
  }

  /** Whether some view looks at the scene's other frame, so that decisions need it. */
  public boolean looksAtOtherFrame() {
    return views.stream().anyMatch(View::otherFrame);
  }

  /** Refuses a call without frames on a gate that needs them. */
  private void requireNoOtherFrame(String what) {
    if (looksAtOtherFrame()) {
      throw new InputException("this gate also looks at another frame of the scene ("
          + views.stream().filter(View::otherFrame).map(View::name).findFirst().orElseThrow() + "), which is not "
          + "given here; " + what + ", or evaluate it on simulated frames with 'evaluate --gate'");
    }
  }

  /**
   * What every view says about every image of a batch, before any threshold. Each distinct transform is
   * applied once and shared by the models that look through it, each model scores each distinct image once,
   * and the model passes run in parallel ({@link #parallelism()}); the answers are those of
   * {@link #viewByView()}.
   */
  public List<Evidence> assess(ImageBatch batch) {
    requireNoOtherFrame("from Java give it with the images: decide(images, otherFrames)");
    return assessFrames(batch, null);
  }

  /** As {@link #assess(ImageBatch)}, with the scene's other frame of each image (same size and shape). */
  public List<Evidence> assess(ImageBatch images, ImageBatch otherFrames) {
    if (otherFrames.size() != images.size() || otherFrames.channels() != images.channels()
        || otherFrames.height() != images.height() || otherFrames.width() != images.width()) {
      throw new IllegalArgumentException("the other frames must match the images: " + otherFrames.size() + " of "
          + otherFrames.channels() + "x" + otherFrames.height() + "x" + otherFrames.width() + " for " + images.size()
          + " of " + images.channels() + "x" + images.height() + "x" + images.width());
    }
    return assessFrames(images, otherFrames);
  }

  /** The evidence, {@code frames} null when no view looks at another frame. */
  List<Evidence> assessFrames(ImageBatch images, ImageBatch frames) {
    if (parallelism == 0) {
      return assessEachView(images, frames);
    }
    return evidence(plan.probabilities(images, looksAtOtherFrame() ? frames : null, parallelism), images.size());
  }

  private List<Evidence> assessEachView(ImageBatch images, ImageBatch frames) {
    List<Scores> perView = new ArrayList<>(views.size());
    for (View v : views) {
      perView.add(v.classifier().classify(v.otherFrame() ? frames : images));
    }
    return evidence(perView, images.size());
  }

  private List<Evidence> evidence(float[][][] perView, int n) {
    List<Evidence> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[][] p = new float[perView.length][];
      for (int v = 0; v < p.length; v++) {
        p[v] = perView[v][i];
      }
      out.add(Evidence.of(p, settings.fusion()));
    }
    return out;
  }

  List<Evidence> evidence(List<Scores> perView, int n) {
    List<Evidence> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[][] p = new float[perView.size()][];
      for (int v = 0; v < p.length; v++) {
        p[v] = perView.get(v).probabilities(i);
      }
      out.add(Evidence.of(p, settings.fusion()));
    }
    return out;
  }

  /**
   * The defended system as a classifier with K + 1 classes, the last being {@code abstain}; a
   * {@link GradientClassifier} when every view is one (gradients: the mean of the views' loss gradients,
   * each through its own transform). Closing it does not close the gate.
   */
  public Classifier asClassifier() {
    requireNoOtherFrame("from Java attack one scene with asClassifier(otherFrame), or many with SimulatedScenes");
    return GatedClassifier.of(this, null);
  }

  /**
   * The defended system, as {@link #asClassifier()}, for one scene whose other frame is {@code otherFrame} (a batch
   * of one image): every image queried is decided on together with that frame, which the attacker does not
   * control. A {@link GradientClassifier} when every view of the image is one (the other frame's views add
   * evidence but no gradient). Closing it does not close the gate.
   */
  public Classifier asClassifier(ImageBatch otherFrame) {
    if (otherFrame.size() != 1) {
      throw new IllegalArgumentException("give the scene's other frame as a batch of one image, was "
          + otherFrame.size());
    }
    float[] frame = new float[otherFrame.imageLength()];
    otherFrame.copyTo(frame, 0);
    return GatedClassifier.of(this, images -> repeat(frame, images));
  }

  /** {@code frame} once per image of {@code images}. */
  static ImageBatch repeat(float[] frame, ImageBatch images) {
    int n = images.size();
    float[] data = new float[n * frame.length];
    for (int i = 0; i < n; i++) {
      System.arraycopy(frame, 0, data, i * frame.length, frame.length);
    }
    return ImageBatch.wrap(n, images.channels(), images.height(), images.width(), data);
  }

  /** The index of the abstain class in {@link #asClassifier()}: the number of the model's classes. */
  public int abstainClass() {
    return info.numClasses();
  }

  /** One line for reports: the views and the settings. */
  public String describe() {
    List<String> names = new ArrayList<>();
    for (View v : views) {
      names.add(v.name());
    }
    return "gate over [" + String.join("; ", names) + "]: " + settings.describe();
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (AutoCloseable c : owned) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * What the views say about one image, before any threshold: enough to decide under any settings with the
   * same fusion rule, so fitting a threshold costs no further model call.
   *
   * @param views each view's probabilities [V][K]
   * @param fused the fused probabilities [K]
   * @param predicted the fused class
   * @param votes how many views put {@code predicted} on top
   * @param agreementSlack the log-probability margin by which the views needed for agreement put
   *     {@code predicted} on top (all views under all-agree; the deciding one under majority); negative when
   *     they do not
   * @param majoritySlack the same for the majority rule
   * @param squeeze the largest L1 distance between view 0's probabilities and another view's (0 with one view)
   */
  public record Evidence(float[][] views, double[] fused, int predicted, int votes, double agreementSlack,
      double majoritySlack, double squeeze) {

    static Evidence of(float[][] p, Fusion fusion) {
      int k = p[0].length;
      int n = p.length;
      double[] fused = new double[k];
      if (fusion == Fusion.PRODUCT) {
        double[] logs = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          for (float[] row : p) {
            logs[c] += Math.log(Math.max(row[c], 1e-30));
          }
          max = Math.max(max, logs[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
          fused[c] = Math.exp(logs[c] - max);
          sum += fused[c];
        }
        for (int c = 0; c < k; c++) {
          fused[c] /= sum;
        }
      } else {
        for (float[] row : p) {
          for (int c = 0; c < k; c++) {
            fused[c] += row[c] / (double) n;
          }
        }
      }
      int[] votes = new int[k];
      for (float[] row : p) {
        votes[argmax(row)]++;
      }
      int predicted = 0;
      for (int c = 1; c < k; c++) {
        boolean better = fusion == Fusion.MAJORITY
            ? votes[c] > votes[predicted] || (votes[c] == votes[predicted] && fused[c] > fused[predicted])
            : fused[c] > fused[predicted];
        if (better) {
          predicted = c;
        }
      }
      double[] margins = new double[n];
      for (int v = 0; v < n; v++) {
        double other = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          if (c != predicted) {
            other = Math.max(other, p[v][c]);
          }
        }
        margins[v] = Math.log(Math.max(p[v][predicted], 1e-30)) - Math.log(Math.max(other, 1e-30));
        if (argmax(p[v]) != predicted) {
          margins[v] = Math.min(margins[v], -1e-9); // a tie lost on index is a disagreement
        } else {
          margins[v] = Math.max(margins[v], 1e-9);
        }
      }
      double[] sorted = margins.clone();
      java.util.Arrays.sort(sorted); // ascending: the (n/2 + 1)-th largest decides a majority
      double all = sorted[0];
      double majority = sorted[n - (n / 2 + 1)];
      double squeeze = 0;
      for (int v = 1; v < n; v++) {
        double l1 = 0;
        for (int c = 0; c < k; c++) {
          l1 += Math.abs(p[v][c] - p[0][c]);
        }
        squeeze = Math.max(squeeze, l1);
      }
      return new Evidence(p, fused, predicted, votes[predicted], all, majority, squeeze);
    }

    private static int argmax(float[] row) {
      int best = 0;
      for (int c = 1; c < row.length; c++) {
        if (row[c] > row[best]) {
          best = c;
        }
      }
      return best;
    }

    /** The class view {@code v} puts on top (lowest index on ties). */
    public int top(int v) {
      return argmax(views[v]);
    }

    /** The fused confidence of the predicted class. */
    public double confidence() {
      return fused[predicted];
    }

    /** Whether all views put the fused class on top. */
    public boolean unanimous() {
      return votes == views.length;
    }

    /** The decision under {@code s} (whose fusion rule must be the one this evidence was fused with). */
    public Decision decide(Settings s) {
      List<String> reasons = new ArrayList<>();
      int n = views.length;
      if (s.requiresAll() && votes < n) {
        reasons.add("views disagree (" + votes + " of " + n + " put class " + predicted + " on top)");
      } else if (s.fusion() == Fusion.MAJORITY && votes * 2 <= n) {
        reasons.add("no majority (" + votes + " of " + n + " views put class " + predicted + " on top)");
      }
      if (confidence() < s.minConfidence()) {
        reasons.add(String.format(Locale.ROOT, "confidence %.4f below %.4f", confidence(), s.minConfidence()));
      }
      if (squeeze > s.maxSqueeze()) {
        reasons.add(String.format(Locale.ROOT, "squeeze distance %.4f above %.4f", squeeze, s.maxSqueeze()));
      }
      return new Decision(reasons.isEmpty(), predicted, confidence(), reasons, s.fallback().safeClass());
    }

    /**
     * The smallest slack of the checks under {@code s}: positive when all pass (how far from tripping the
     * nearest), negative when one fails; in log units, +infinity when no check applies.
     */
    public double slack(Settings s) {
      double slack = Double.POSITIVE_INFINITY;
      int n = views.length;
      if (s.requiresAll() && n > 1) {
        slack = Math.min(slack, agreementSlack);
      } else if (s.fusion() == Fusion.MAJORITY && n > 1) {
        slack = Math.min(slack, majoritySlack);
      }
      if (s.minConfidence() > 0) {
        slack = Math.min(slack, Math.log(Math.max(confidence(), 1e-30)) - Math.log(s.minConfidence()));
      }
      if (!Double.isInfinite(s.maxSqueeze()) && n > 1) {
        slack = Math.min(slack, Math.log(Math.max(s.maxSqueeze(), 1e-12)) - Math.log(Math.max(squeeze, 1e-12)));
      }
      return slack;
    }

    /**
     * The gated probabilities [K + 1], for people: when the gate accepts, the fused probabilities and 0 for
     * abstain; when it abstains, the fused probabilities scaled by {@code 1 - a} and {@code a} for abstain, with
     * {@code a} just enough to put abstain on top.
     */
    public float[] gatedProbabilities(Settings s) {
      int k = fused.length;
      float[] p = new float[k + 1];
      double a = decide(s).accepted() ? 0 : Math.min(1, confidence() / (1 + confidence()) + 1e-4);
      for (int c = 0; c < k; c++) {
        p[c] = (float) (fused[c] * (1 - a));
      }
      p[k] = (float) a;
      return p;
    }

    /**
     * The gated logits [K + 1]: each class's fused log-probability, and for abstain the predicted class's
     * minus the slack, placed so that abstain is on top exactly when the decision abstains.
     */
    public float[] gatedLogits(Settings s) {
      int k = fused.length;
      float[] z = new float[k + 1];
      for (int c = 0; c < k; c++) {
        z[c] = (float) Math.log(Math.max(fused[c], 1e-30));
      }
      boolean accepted = decide(s).accepted();
      double slack = slack(s);
      double gap = Math.min(50, Math.max(1e-3, Math.abs(slack)));
      z[k] = (float) (z[predicted] + (accepted ? -gap : gap));
      return z;
    }
  }
}
