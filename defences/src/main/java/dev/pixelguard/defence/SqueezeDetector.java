package dev.pixelguard.defence;

import dev.pixelguard.transform.Transform;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The feature-squeezing detector (Xu, Evans &amp; Qi, "Feature Squeezing: Detecting Adversarial Examples in
 * Deep Neural Networks", NDSS 2018): an image is suspicious when the model's probabilities on it and on a
 * squeezed copy (median filter, reduced bit depth) lie far apart. With several squeezers the score is the
 * largest of the distances (the paper's joint detector):
 *
 * <pre>score(x) = max over squeezers s of || p(x) - p(s(x)) ||_1, in [0, 2]</pre>
 *
 * where {@code p} are the model's probabilities (calibrated or not, as the classifier gives them). An image is
 * flagged when its score is strictly above the threshold, which {@link #fit} sets from clean images only, for
 * a chosen false-positive rate ({@link Roc#thresholdFor}).
 *
 * <p>It is a {@link Gate} with views {@code model, model + squeezer 1, ...} whose only check is the squeeze
 * distance ({@link Gate.Evidence#squeeze()} is the score, computed in one place), and {@link #gate()} hands it
 * to anything that takes a gate (an adaptive attack with the harm goal included).
 *
 * <pre>{@code
 * SqueezeDetector d = SqueezeDetector.of(model, List.of(Transforms.parse("median:2")), 1L)
 *     .fit(cleanFitImages, 0.05);          // threshold: 5% of these clean images score above it
 * boolean[] flagged = d.isAdversarial(batch);
 * }</pre>
 *
 * <p>Immutable; {@link #fit} returns a new detector. It does not own the model: the caller closes it.
 *
 * <p><b>Known limits.</b> The threshold is only as good as the attack it was measured against. Figures
 * against an attack that ignores the detector (as in {@link DetectorEvaluation}) are an upper bound: an attack
 * that knows it can look for adversarials that survive squeezing, and feature squeezing was bypassed that way
 * (He, Wei, Chen, Carlini &amp; Song 2017). Clean images whose prediction is fragile score high too, so the
 * false positives fall mostly on the images the model is least sure of.
 */
public final class SqueezeDetector {
  private final Classifier model;
  private final List<Transform> squeezers;
  private final long seed;
  private final double threshold;
  private final double falsePositiveRate;
  private final Gate gate;

  private SqueezeDetector(Classifier model, List<Transform> squeezers, long seed, double threshold,
      double falsePositiveRate) {
    this.model = Objects.requireNonNull(model);
    if (squeezers.isEmpty()) {
      throw new InputException("a squeeze detector needs at least one squeezer, e.g. median:2");
    }
    this.squeezers = List.copyOf(squeezers);
    this.seed = seed;
    this.threshold = threshold;
    this.falsePositiveRate = falsePositiveRate;
    List<Gate.View> views = new ArrayList<>();
    views.add(new Gate.View(model.info().name(), model));
    for (Transform t : this.squeezers) {
      views.add(new Gate.View(model.info().name() + " + " + t.describe(), TransformedClassifier.of(model, t, seed)));
    }
    double max = Double.isNaN(threshold) ? Double.POSITIVE_INFINITY : threshold;
    this.gate = new Gate(views, new Gate.Settings(Gate.Fusion.ALL_AGREE, false, 0, max, Fallback.ABSTAIN), List.of());
  }

  /**
   * An unfitted detector.
   *
   * @param model the protected model (not closed by the detector)
   * @param squeezers at least one; random ones draw per image from {@code seed}
   *     ({@link TransformedClassifier#imageSeed})
   * @param seed root seed of random squeezers (median and bit depth draw nothing)
   */
  public static SqueezeDetector of(Classifier model, List<Transform> squeezers, long seed) {
    return new SqueezeDetector(model, squeezers, seed, Double.NaN, Double.NaN);
  }

  /** The squeezers, in the order given. */
  public List<Transform> squeezers() {
    return squeezers;
  }

  public Classifier model() {
    return model;
  }

  public long seed() {
    return seed;
  }

  /** The same model and seed with only squeezer {@code index}, unfitted: to see what each squeezer alone does. */
  public SqueezeDetector only(int index) {
    return of(model, List.of(squeezers.get(index)), seed);
  }

  /**
   * The score of every image of a batch: the largest L1 distance between the model's probabilities on the
   * image and on a squeezed copy, in [0, 2] (one entry per image).
   */
  public double[] score(ImageBatch batch) {
    List<Gate.Evidence> ev = gate.assess(batch);
    double[] s = new double[ev.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = ev.get(i).squeeze();
    }
    return s;
  }

  /**
   * This detector with the threshold that flags at most a fraction {@code fpr} of {@code clean}: the
   * smallest clean score with at most {@code floor(fpr * n)} clean scores above it ({@link Roc#thresholdFor}).
   *
   * @param clean clean images only (never the images the figures are reported on)
   * @param fpr the false-positive rate, in [0, 1)
   */
  public SqueezeDetector fit(ImageBatch clean, double fpr) {
    return fit(score(clean), fpr);
  }

  /** As {@link #fit(ImageBatch, double)}, from clean images' scores already computed by {@link #score}. */
  public SqueezeDetector fit(double[] cleanScores, double fpr) {
    if (cleanScores.length == 0) {
      throw new InputException("the squeeze detector is fitted on clean images; none were given");
    }
    if (!(fpr >= 0 && fpr < 1)) {
      throw new InputException("the false-positive rate must be in [0, 1), was " + fpr);
    }
    return new SqueezeDetector(model, squeezers, seed, Roc.thresholdFor(cleanScores, fpr), fpr);
  }

  /** Whether {@link #fit} has set the threshold. */
  public boolean fitted() {
    return !Double.isNaN(threshold);
  }

  /** The threshold: scores strictly above it are flagged; NaN before {@link #fit}. */
  public double threshold() {
    return threshold;
  }

  /** The false-positive rate the threshold was fitted for; NaN before {@link #fit}. */
  public double falsePositiveRate() {
    return falsePositiveRate;
  }

  /**
   * Whether each image of a batch is flagged: its score is strictly above the threshold.
   *
   * @throws IllegalStateException before {@link #fit}
   */
  public boolean[] isAdversarial(ImageBatch batch) {
    requireFitted();
    double[] s = score(batch);
    boolean[] out = new boolean[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = s[i] > threshold;
    }
    return out;
  }

  /**
   * The detector as a gate (views: the model, then the model behind each squeezer; all-agree fusion with no
   * other check than the squeeze distance). It abstains on every image {@link #isAdversarial} flags, and also,
   * through its all-agree fusion, where a squeezed view changes the top class while the distance stays under
   * the threshold. Before {@link #fit} its squeeze check is off.
   */
  public Gate gate() {
    return gate;
  }

  /** One line for reports, e.g. "max L1 over [median(size=2), bitdepth(bits=5)], threshold 0.1234 (5.0% FP)". */
  public String describe() {
    List<String> names = new ArrayList<>();
    squeezers.forEach(t -> names.add(t.describe()));
    String base = (squeezers.size() > 1 ? "max L1 over [" : "L1 to [") + String.join(", ", names) + "]";
    return fitted() ? base + String.format(Locale.ROOT, ", threshold %.6f (fitted for %.1f%% false positives)",
        threshold, 100 * falsePositiveRate) : base;
  }

  private void requireFitted() {
    if (!fitted()) {
      throw new IllegalStateException("the squeeze detector has no threshold yet; fit it on clean images first");
    }
  }
}
