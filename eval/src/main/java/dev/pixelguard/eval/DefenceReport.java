package dev.pixelguard.eval;

import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.Roc;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a defence report page shows (pixelguard-report's {@code DefenceReportPage}): one gate, attacked
 * three ways on the same images, and optionally its clean figures, the calibration of its model and a
 * detector's ROC. {@link GateEvaluation.Result#report()} assembles it for a gated evaluation.
 *
 * <pre>{@code
 * DefenceReport report = DefenceReport.builder(gate.describe(), undefended, oblivious, adaptive)
 *     .cleanFigures(GateFit.measure(gate, reportImages), reportImages.name())   // optional
 *     .calibration("cifar10-resnet20.onnx", before, after, temperature)         // optional
 *     .detector("squeeze, one-pixel adversarials", roc)                         // optional, repeatable
 *     .build();
 * DefenceReportPage.write(report, Path.of("report"));                         // pixelguard-report
 * }</pre>
 *
 * @param gate the gate's one-line description ({@link dev.pixelguard.defence.Gate#describe()})
 * @param undefended the reference model alone, attacked untargeted (any wrong class)
 * @param oblivious the gate, attacked by an attack that ignores it (it attacks the undefended model; the image is
 *     judged through the gate, with the harm goal)
 * @param adaptive the gate, attacked by the adaptive attack with the harm goal (the gate accepts a wrong class)
 * @param clean the gate's clean figures (coverage, selective risk, risk-coverage curve), or null
 * @param cleanData what the clean figures were measured on, e.g. {@code test_batch_subset.bin[0-465]}; null when
 *     {@code clean} is
 * @param calibration the reference model's calibration before and after scaling, or null
 * @param detectors detector ROCs, possibly none
 */
public record DefenceReport(String gate, EvaluationResult undefended, EvaluationResult oblivious,
    EvaluationResult adaptive, GateFit.Figures clean, String cleanData, Calibration calibration,
    List<Detector> detectors) {

  public DefenceReport {
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(undefended, "undefended");
    Objects.requireNonNull(oblivious, "oblivious");
    Objects.requireNonNull(adaptive, "adaptive");
    detectors = List.copyOf(detectors);
    int n = undefended.images().size();
    if (oblivious.images().size() != n || adaptive.images().size() != n) {
      throw new IllegalArgumentException("the three evaluations must cover the same images; they cover "
          + n + ", " + oblivious.images().size() + " and " + adaptive.images().size());
    }
  }

  /**
   * The reference model's calibration on labelled clean images, before and after temperature scaling.
   *
   * @param model the model's name
   * @param before figures with the model's own probabilities (T = 1)
   * @param after figures after scaling (with the same bins)
   * @param temperature the temperature, or NaN when not known
   */
  public record Calibration(String model, CalibrationSummary before, CalibrationSummary after, double temperature) {
    public Calibration {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (before.metrics().bins() != after.metrics().bins()) {
        throw new IllegalArgumentException("before and after must use the same bins, were "
            + before.metrics().bins() + " and " + after.metrics().bins());
      }
    }
  }

  /**
   * A detector's ROC: clean images are the negatives, adversarial ones the positives.
   *
   * @param label what was detected, e.g. "squeeze distance, one-pixel adversarials"
   * @param roc the curve
   */
  public record Detector(String label, Roc roc) {
    public Detector {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(roc, "roc");
    }
  }

  /** A builder for the three evaluations {@code evaluate --gate} runs, in its order. */
  public static Builder builder(String gate, EvaluationResult undefended, EvaluationResult oblivious,
      EvaluationResult adaptive) {
    return new Builder(gate, undefended, oblivious, adaptive);
  }

  /**
   * A builder for a comparison file of {@code evaluate --gate} ({@code ResultsJson.readAll}): undefended,
   * attack that ignores the gate, adaptive attack, in that order.
   *
   * @throws IllegalArgumentException unless there are exactly three evaluations
   */
  public static Builder builder(String gate, List<EvaluationResult> comparison) {
    if (comparison.size() != 3) {
      throw new IllegalArgumentException("a defence report needs the three evaluations of evaluate --gate "
          + "(undefended, attack that ignores the gate, adaptive attack); got " + comparison.size());
    }
    return builder(gate, comparison.get(0), comparison.get(1), comparison.get(2));
  }

  /** The three evaluations, in table order. */
  public List<EvaluationResult> comparison() {
    return List.of(undefended, oblivious, adaptive);
  }

  /**
   * One line stating the threat model of the adaptive attack: the attack, what it may change, its budget and
   * seed, e.g. {@code guided (...), 1 pixel, budget 2,000 queries per image, seed 1}.
   */
  public String threatModel() {
    Map<String, Object> s = adaptive.settings();
    List<String> parts = new ArrayList<>();
    Object name = s.get("attack");
    parts.add(name == null ? adaptive.attack() + (s.get("norm") == null ? "" : " (" + s.get("norm") + ")")
        : String.valueOf(name));
    if (s.get("pixels") instanceof Number p) {
      parts.add(p.intValue() + (p.intValue() == 1 ? " pixel" : " pixels") + " of any colour");
    }
    if (s.get("epsilon") instanceof Number e) {
      parts.add(String.format(Locale.ROOT, "epsilon %.4f (%.1f/255)", e.doubleValue(), 255 * e.doubleValue()));
    }
    if (s.get("steps") instanceof Number it) {
      parts.add(it + " steps" + (s.get("restarts") instanceof Number r && r.intValue() > 0 ? ", " + r + " restarts" : ""));
    }
    if (s.get("budget") instanceof Number b) {
      parts.add(String.format(Locale.ROOT, "budget %,d queries per image", b.longValue()));
    }
    parts.add("seed " + adaptive.seed());
    return String.join(", ", parts);
  }

  /** Builds a {@link DefenceReport}; every optional part may be left out. */
  public static final class Builder {
    private final String gate;
    private final EvaluationResult undefended;
    private final EvaluationResult oblivious;
    private final EvaluationResult adaptive;
    private GateFit.Figures clean;
    private String cleanData;
    private Calibration calibration;
    private final List<Detector> detectors = new ArrayList<>();

    private Builder(String gate, EvaluationResult undefended, EvaluationResult oblivious, EvaluationResult adaptive) {
      this.gate = gate;
      this.undefended = undefended;
      this.oblivious = oblivious;
      this.adaptive = adaptive;
    }

    /** The gate's clean figures on labelled images it was not fitted on, and those images' name. */
    public Builder cleanFigures(GateFit.Figures figures, String data) {
      this.clean = Objects.requireNonNull(figures, "figures");
      this.cleanData = data;
      return this;
    }

    /** The reference model's calibration before and after scaling ({@code temperature} NaN when unknown). */
    public Builder calibration(String model, CalibrationSummary before, CalibrationSummary after, double temperature) {
      this.calibration = new Calibration(model, before, after, temperature);
      return this;
    }

    /** Adds a detector's ROC; several are drawn in one chart. */
    public Builder detector(String label, Roc roc) {
      detectors.add(new Detector(label, roc));
      return this;
    }

    public DefenceReport build() {
      return new DefenceReport(gate, undefended, oblivious, adaptive, clean, cleanData, calibration, detectors);
    }
  }
}
