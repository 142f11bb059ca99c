package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.defence.SqueezeDetector;
import dev.pixelguard.eval.DetectorEvaluation;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.transform.Transform;
import dev.pixelguard.transform.Transforms;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard detect}: the feature-squeezing detector against an attack that ignores it. */
@Command(name = "detect", mixinStandardHelpOptions = true,
    description = {"Measure the feature-squeezing detector (Xu, Evans & Qi 2018): an image is flagged when the L1 "
        + "distance between the model's probabilities on it and on a squeezed copy (--squeeze, e.g. median:2, "
        + "bitdepth:5; with several, the largest distance) lies above a threshold fitted on clean images for a "
        + "false-positive rate.",
        "The attack (--method) runs on the model alone, ignoring the detector, over the report images. The ROC "
        + "compares the report images the model classifies correctly with their successful adversarials: AUC, and "
        + "detection at 1%% and 5%% false positives. The thresholds for those rates are fitted on the --fit-on images "
        + "the model classifies correctly (clean images only), and the detection and false positives they reach on the report images are printed beside "
        + "the ROC's. With several squeezers each is also measured alone. By default, of N images the first N/2 are "
        + "reported on and the rest fitted on.",
        "An attack that knows the detector can evade it; these figures are an upper bound."})
final class DetectCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin AttackOptions attackOptions;
  @Mixin RunOptions run;
  @Mixin SeedOption seed;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--squeeze", paramLabel = "SPEC", description = "A squeezer: a transform spec (impulse:0.3, median:2, "
      + "median:3, bitdepth:5, jpeg:75, a chain such as median:2,bitdepth:5; docs/defences.md). Repeat for the "
      + "joint detector (default: impulse:0.3, which replaces only outlier pixels: the one that detects one-pixel "
      + "attacks).")
  List<String> squeeze = new ArrayList<>(List.of("impulse:0.3"));

  @Mixin SplitOptions splitOptions;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE.json",
      description = "Write the figures and every ROC point (threshold, false-positive rate, detection) as JSON.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    if (model.labelOnly) {
      throw new InputException("detect compares the model's probabilities; --label-only hides them");
    }
    if (attackOptions.target != null) {
      throw new InputException("detect runs an untargeted attack; --target does not apply");
    }
    List<Transform> squeezers = new ArrayList<>();
    for (String s : squeeze) {
      squeezers.add(Transforms.parse(s));
    }
    Attack<?> attack = attackOptions.build();
    splitOptions.check();
    CliFiles.requireWritable(out);
    Dataset data = dataOptions.load();
    try (Classifier c = model.open(DataOptions.shape(data), DataOptions.namesForModel(data))) {
      ModelInfo info = c.info();
      attackOptions.checkFits(info);
      AttackOptions.modelFor(attack, c, false); // a gradient attack on a model without gradients: refused now
      data = dataOptions.fit(data, info);
      Split split = splitOptions.of(data, "detect");
      Split.Range fitRange = split.fitRange();
      Split.Range reportRange = split.reportRange();
      int first = reportRange.from();
      SqueezeDetector detector = SqueezeDetector.of(c, squeezers, seed.seed);
      AttackOptions.modelFor(attack, c, false);
      EvaluationResult r = Evaluations.run("attacking", Evaluation.of(c, split.report(), attack)
          .targets(new Targets.Untargeted(attackOptions.criterion())).seed(seed.seed).execution(run.execution()),
          split.report(), false, run.console(spec), (i, a) -> Evaluations.success(first + i, a, info));
      DetectorEvaluation.Result res = DetectorEvaluation.measure(detector, split.fit(), split.report(), r,
          DetectorEvaluation.RATES);

      o.printf(Locale.ROOT, "model:    %s (%s, %d classes)%n", info.name(), info.inputShape(), info.numClasses());
      o.printf(Locale.ROOT, "data:     %s; thresholds fitted on images %s (the %d of %d classified correctly), "
          + "figures on images %s (%d)%n", data.name(), fitRange, res.fitImages(), fitRange.size(), reportRange,
          reportRange.size());
      o.printf(Locale.ROOT, "attack:   %s; untargeted, on the model alone (it ignores the detector)%n",
          Evaluation.describe(attack, seed.seed));
      o.printf(Locale.ROOT, "images:   %d report images classified correctly (the clean side), %d attacked, %d "
          + "adversarials (%.1f%%, the adversarial side)%n", res.clean(), res.attacked(), res.adversarials(),
          res.attacked() == 0 ? 0 : 100.0 * res.adversarials() / res.attacked());
      o.printf(Locale.ROOT, "score:    L1 distance between the model's probabilities on the image and on its squeezed "
          + "copy (the largest over squeezers); flagged above the threshold; seed %d%n", seed.seed);
      for (int i = 0; i < res.rows().size(); i++) {
        DetectorEvaluation.Row row = res.rows().get(i);
        o.printf(Locale.ROOT, "%s %s: AUC %.4f%n", i == 0 ? (res.rows().size() > 1 ? "joint:   " : "detector:")
            : "alone:   ", row.squeezers(), row.auc());
        for (DetectorEvaluation.AtRate a : row.rates()) {
          o.printf(Locale.ROOT, "          at %s FP: fitted threshold %.6f detects %s, false positives %s of correct "
              + "clean (%s of all); ROC on report: %s at %s FP%n", pct(a.fpr(), 0), a.threshold(),
              pct(a.detection(), 1), pct(a.falsePositives(), 1), pct(a.falsePositivesAll(), 1),
              pct(a.rocDetection(), 1), pct(a.rocFalsePositives(), 1));
        }
      }
      Evaluations.printCost(o, r);
      if (out != null) {
        ObjectNode json = json(info, data.name(), fitRange, reportRange, attack, squeezers, res);
        ImageFiles.writeAtomically(out, w -> JSON.writeValue(w, json));
        o.printf("results:  %s%n", out);
      }
    }
    return ExitCode.OK;
  }

  private static String pct(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * v);
  }

  private ObjectNode json(ModelInfo info, String dataName, Split.Range fitRange, Split.Range reportRange,
      Attack<?> attack, List<Transform> squeezers, DetectorEvaluation.Result res) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", info.name());
    root.put("dataset", dataName);
    root.put("fit_on", fitRange.toString());
    root.put("report_on", reportRange.toString());
    root.put("attack", Evaluation.describe(attack, seed.seed));
    root.set("attack_settings", JSON.valueToTree(attack.settings()));
    root.put("seed", seed.seed);
    ArrayNode sq = root.putArray("squeezers");
    squeezers.forEach(t -> sq.add(t.describe()));
    root.put("score", "max over squeezers of the L1 distance between the model's probabilities on the image and on "
        + "the squeezed image; flagged when above the threshold");
    root.put("fit_images_correct", res.fitImages());
    root.put("report_images", res.reportImages());
    root.put("clean", res.clean());
    root.put("attacked", res.attacked());
    root.put("adversarials", res.adversarials());
    ArrayNode rows = root.putArray("detectors");
    for (int i = 0; i < res.rows().size(); i++) {
      DetectorEvaluation.Row row = res.rows().get(i);
      ObjectNode r = rows.addObject();
      r.put("squeezers", row.squeezers());
      r.put("joint", i == 0);
      r.put("auc", row.auc());
      ArrayNode rates = r.putArray("rates");
      for (DetectorEvaluation.AtRate a : row.rates()) {
        ObjectNode n = rates.addObject();
        n.put("fpr", a.fpr());
        n.put("threshold_fitted", a.threshold());
        n.put("detection", a.detection());
        n.put("false_positives_correct_clean", a.falsePositives());
        n.put("false_positives_all_clean", a.falsePositivesAll());
        n.put("roc_threshold", a.rocThreshold());
        n.put("roc_detection", a.rocDetection());
        n.put("roc_false_positives", a.rocFalsePositives());
      }
      ArrayNode curve = r.putArray("roc");
      for (Roc.Point p : row.roc().curve()) {
        ArrayNode pt = curve.addArray();
        pt.add(p.threshold()).add(p.falsePositiveRate()).add(p.truePositiveRate());
      }
      r.put("roc_columns", "threshold, false-positive rate, detection rate");
    }
    return root;
  }
}
