package dev.pixelguard.eval;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.defence.SqueezeDetector;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * How well a {@link SqueezeDetector} tells a model's adversarials from clean images, against an attack that
 * ignores the detector (it attacks the model alone). On the report images:
 *
 * <ul>
 *   <li><b>negatives</b>: the clean images the model classifies correctly;
 *   <li><b>positives</b>: the successful adversarials the attack found for them (at most one per image), scored
 *       as the model judged them ({@link AttackResult#adversarialValues()}).
 * </ul>
 *
 * <p>Two kinds of figure, kept apart:
 *
 * <ul>
 *   <li>the <b>ROC on the report images</b> (curve, AUC, and the detection at 1% and 5% false positives with the
 *       threshold read off the report's own clean scores): what the score can separate;
 *   <li>the <b>fitted threshold</b>: set for the same rates on the fit split's clean images that the model
 *       classifies correctly (the same kind of image as the ROC's negatives), then applied to the report images:
 *       the detection rate and the false-positive rate it actually reaches there. Misclassified clean images are
 *       left out of the fit because flagging them is welcome, not a false alarm (they flip under squeezing more
 *       often than correct ones, and counting them would raise the threshold); the share of all report images
 *       flagged, misclassified ones included, is reported beside.
 * </ul>
 *
 * <p>With more than one squeezer the joint detector comes first, then each squeezer alone (its own threshold),
 * all measured on the same adversarials.
 */
public final class DetectorEvaluation {
  /** The false-positive rates reported by default: 1% and 5%. */
  public static final List<Double> RATES = List.of(0.01, 0.05);

  /** Images per model call while scoring. */
  public static final int BATCH = 256;

  private DetectorEvaluation() {}

  /**
   * The figures at one false-positive rate.
   *
   * @param fpr the rate asked for, in [0, 1)
   * @param threshold fitted for {@code fpr} on the fit split's clean images that the model classifies correctly
   * @param detection share of the report adversarials whose score is above {@code threshold}
   * @param falsePositives share of the report's correctly classified clean images above {@code threshold}
   * @param falsePositivesAll share of all report images (misclassified ones included, where a flag is welcome)
   *     above {@code threshold}
   * @param rocThreshold the threshold read off the report's clean scores for {@code fpr} (the ROC's point)
   * @param rocDetection detection at {@code rocThreshold}
   * @param rocFalsePositives false positives at {@code rocThreshold} (at most {@code fpr})
   */
  public record AtRate(double fpr, double threshold, double detection, double falsePositives,
      double falsePositivesAll, double rocThreshold, double rocDetection, double rocFalsePositives) {}

  /**
   * One detector's figures.
   *
   * @param squeezers what it squeezes with, e.g. "median(size=2)" or "median(size=2) + bitdepth(bits=5)"
   * @param roc clean (negative) against adversarial (positive) scores on the report images
   * @param rates one entry per rate asked for
   */
  public record Row(String squeezers, Roc roc, List<AtRate> rates) {
    public Row {
      rates = List.copyOf(rates);
    }

    public double auc() {
      return roc.auc();
    }

    /** The entry for {@code fpr}. */
    public AtRate at(double fpr) {
      return rates.stream().filter(r -> r.fpr() == fpr).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no figures at false-positive rate " + fpr));
    }
  }

  /**
   * @param attack the attack's short name ("guided", "su", "pgd", ...)
   * @param fitImages clean fit images the model classifies correctly, which the thresholds were fitted on
   * @param reportImages report images
   * @param clean report images the model classifies correctly (the negatives)
   * @param attacked images attacked
   * @param adversarials successful adversarials (the positives)
   * @param rows the joint detector first, then each squeezer alone when there are several
   */
  public record Result(String attack, int fitImages, int reportImages, int clean, int attacked, int adversarials,
      List<Row> rows) {
    public Result {
      rows = List.copyOf(rows);
    }

    /** The joint detector's figures. */
    public Row joint() {
      return rows.get(0);
    }
  }

  /**
   * Runs {@code attack} on the model alone over the report images (untargeted), then {@link #measure}s.
   *
   * @param listener progress of the attack, or null
   */
  public static <M extends Classifier> Result run(M model, SqueezeDetector detector, Split split,
      Attack<? super M> attack, Execution execution, Evaluation.Listener listener) {
    if (detector.model() != model) {
      throw new IllegalArgumentException("the detector must watch the attacked model");
    }
    EvaluationResult r = Evaluation.of(model, split.report(), attack).execution(execution).listener(listener).run();
    return measure(detector, split.fit(), split.report(), r, RATES);
  }

  /**
   * Measures {@code detector} on the adversarials of an evaluation that ignored it.
   *
   * @param fit labelled clean images to fit the thresholds on (those the model classifies correctly), disjoint
   *     from {@code report} (see {@link Split})
   * @param report the images {@code onReport} evaluated, in the same order
   * @param onReport an evaluation of the detector's model on {@code report}
   * @param rates false-positive rates, each in [0, 1)
   * @throws InputException when the attack found no adversarial or no report image is classified correctly
   */
  public static Result measure(SqueezeDetector detector, Dataset fit, Dataset report, EvaluationResult onReport,
      List<Double> rates) {
    if (onReport.images().size() != report.size()) {
      throw new IllegalArgumentException("the evaluation covers " + onReport.images().size() + " images, the report "
          + "set has " + report.size());
    }
    if (fit.size() == 0) {
      throw new InputException("the squeeze detector is fitted on clean images; the fit set is empty");
    }
    ModelInfo info = detector.model().info();
    List<float[]> fitImages = correctOnly(detector.model(), fit, info);
    if (fitImages.isEmpty()) {
      throw new InputException("the model classifies none of the " + fit.size() + " fit images correctly; there is "
          + "nothing to fit the thresholds on");
    }
    List<float[]> reportImages = new ArrayList<>();
    List<Integer> correct = new ArrayList<>();
    List<float[]> adversarials = new ArrayList<>();
    int attacked = 0;
    for (ImageOutcome o : onReport.images()) {
      reportImages.add(unit(report.get(o.index()).image()));
      if (o.correct()) {
        correct.add(o.index());
      }
      attacked += o.attacked() ? 1 : 0;
      for (AttackResult a : o.attempts()) {
        if (a.success()) {
          adversarials.add(a.adversarialValues());
          break; // one adversarial per image
        }
      }
    }
    if (correct.isEmpty()) {
      throw new InputException("the model classifies none of the " + report.size() + " report images correctly; "
          + "there are no clean images to compare with");
    }
    if (adversarials.isEmpty()) {
      throw new InputException("the attack found no adversarial among the " + attacked + " attacked images; there "
          + "is nothing to detect");
    }
    List<SqueezeDetector> detectors = new ArrayList<>();
    detectors.add(detector);
    if (detector.squeezers().size() > 1) {
      for (int s = 0; s < detector.squeezers().size(); s++) {
        detectors.add(detector.only(s));
      }
    }
    List<Row> rows = new ArrayList<>();
    for (SqueezeDetector d : detectors) {
      double[] fitScores = scores(d, fitImages, info);
      double[] all = scores(d, reportImages, info);
      double[] clean = new double[correct.size()];
      for (int i = 0; i < clean.length; i++) {
        clean[i] = all[correct.get(i)];
      }
      double[] adv = scores(d, adversarials, info);
      Roc roc = new Roc(clean, adv);
      List<AtRate> at = new ArrayList<>();
      for (double fpr : rates) {
        double t = d.fit(fitScores, fpr).threshold();
        at.add(new AtRate(fpr, t, above(adv, t), above(clean, t), above(all, t), Roc.thresholdFor(clean, fpr),
            roc.detectionAt(fpr), roc.falsePositivesAt(fpr)));
      }
      List<String> names = new ArrayList<>();
      d.squeezers().forEach(t -> names.add(t.describe()));
      rows.add(new Row(String.join(" + ", names), roc, at));
    }
    return new Result(onReport.attack(), fitImages.size(), report.size(), correct.size(),
        attacked, adversarials.size(), rows);
  }

  /** The planar values of the labelled images of {@code data} that {@code model} classifies correctly. */
  private static List<float[]> correctOnly(Classifier model, Dataset data, ModelInfo info) {
    List<float[]> all = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      if (!data.get(i).hasLabel()) {
        throw new InputException("fit image " + data.get(i).id() + " has no label; the thresholds are fitted on "
            + "the labelled images the model classifies correctly");
      }
      all.add(unit(data.get(i).image()));
    }
    List<float[]> out = new ArrayList<>();
    for (int from = 0; from < all.size(); from += BATCH) {
      int n = Math.min(BATCH, all.size() - from);
      Scores s = model.classify(batch(all, from, n, info));
      for (int i = 0; i < n; i++) {
        if (s.top(i) == data.get(from + i).label()) {
          out.add(all.get(from + i));
        }
      }
    }
    return out;
  }

  private static ImageBatch batch(List<float[]> images, int from, int n, ModelInfo info) {
    int len = info.channels() * info.height() * info.width();
    float[] nchw = new float[n * len];
    for (int i = 0; i < n; i++) {
      System.arraycopy(images.get(from + i), 0, nchw, i * len, len);
    }
    return ImageBatch.wrap(n, info.channels(), info.height(), info.width(), nchw);
  }

  private static float[] unit(dev.pixelguard.image.Image im) {
    float[] v = new float[im.channels() * im.height() * im.width()];
    im.writeUnit(v, 0);
    return v;
  }

  /** Share of {@code scores} strictly above {@code t}. */
  private static double above(double[] scores, double t) {
    int n = 0;
    for (double s : scores) {
      n += s > t ? 1 : 0;
    }
    return n / (double) scores.length;
  }

  /** The detector's scores of planar images ([C*H*W] each, in [0, 1]), {@link #BATCH} per model call. */
  static double[] scores(SqueezeDetector d, List<float[]> images, ModelInfo info) {
    double[] out = new double[images.size()];
    for (int from = 0; from < images.size(); from += BATCH) {
      int n = Math.min(BATCH, images.size() - from);
      double[] s = d.score(batch(images, from, n, info));
      System.arraycopy(s, 0, out, from, n);
    }
    return out;
  }
}
