package dev.pixelguard.bench;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Decision;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.RiskCoverage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Exploration: clean coverage and selective risk of gate configurations, fitted on 466-931, reported on 0-465. */
public final class GateStudy {
  private GateStudy() {}

  public static void main(String[] args) {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    double target = args.length > 1 ? Double.parseDouble(args[1]) : 0.9;
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    Split split = Split.of(cifar, new Split.Range(466, 931), new Split.Range(0, 465));
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT);
        OnnxClassifier r32 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet32.onnx"), ModelSpec.DEFAULT)) {
      List<List<Gate.View>> configs = new ArrayList<>();
      configs.add(List.of(new Gate.View("r20", r20)));
      configs.add(List.of(new Gate.View("r20", r20), new Gate.View("r32", r32)));
      for (List<Gate.View> views : configs) {
        for (Gate.Fusion f : Gate.Fusion.values()) {
          for (boolean alarm : new boolean[] {false, true}) {
            if (views.size() == 1 && (f != Gate.Fusion.PRODUCT || alarm)) {
              continue;
            }
            Gate g = new Gate(views, new Gate.Settings(f, alarm, 0, Double.POSITIVE_INFINITY, Fallback.ABSTAIN),
                List.of());
            Fit fit = fit(g, split.fit(), target);
            Gate fitted = g.with(g.settings().withMinConfidence(fit.threshold));
            Figures rep = figures(fitted, split.report());
            System.out.printf(Locale.ROOT, "%-12s alarm=%-5s threshold %.4f: fit coverage %.3f risk %.3f | report "
                + "coverage %.3f risk %.4f aurc %.4f%n", names(views) + " " + f.label(), alarm, fit.threshold,
                fit.coverage, fit.risk, rep.coverage, rep.risk, rep.aurc);
          }
        }
      }
    }
  }

  static String names(List<Gate.View> v) {
    List<String> n = new ArrayList<>();
    for (Gate.View x : v) {
      n.add(x.name());
    }
    return String.join("+", n);
  }

  record Fit(double threshold, double coverage, double risk) {}

  record Figures(double coverage, double risk, double aurc) {}

  static List<Gate.Evidence> evidence(Gate g, Dataset d) {
    List<Gate.Evidence> out = new ArrayList<>();
    for (int from = 0; from < d.size(); from += 400) {
      List<Image> ims = new ArrayList<>();
      for (int i = from; i < Math.min(d.size(), from + 400); i++) {
        ims.add(d.get(i).image());
      }
      out.addAll(g.assess(ImageBatch.of(ims)));
    }
    return out;
  }

  static Fit fit(Gate g, Dataset d, double target) {
    List<Gate.Evidence> ev = evidence(g, d);
    int n = ev.size();
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    boolean[] eligible = new boolean[n];
    for (int i = 0; i < n; i++) {
      conf[i] = ev.get(i).confidence();
      correct[i] = ev.get(i).predicted() == d.get(i).label();
      eligible[i] = ev.get(i).decide(g.settings().withMinConfidence(0)).accepted();
    }
    RiskCoverage.Point p = RiskCoverage.atCoverage(conf, correct, eligible, target);
    return new Fit(p.threshold(), p.coverage(), p.risk());
  }

  static Figures figures(Gate g, Dataset d) {
    List<Gate.Evidence> ev = evidence(g, d);
    int n = ev.size();
    int accepted = 0;
    int errors = 0;
    double[] conf = new double[n];
    boolean[] correct = new boolean[n];
    boolean[] eligible = new boolean[n];
    for (int i = 0; i < n; i++) {
      Decision dec = ev.get(i).decide(g.settings());
      if (dec.accepted()) {
        accepted++;
        errors += dec.predicted() != d.get(i).label() ? 1 : 0;
      }
      conf[i] = ev.get(i).confidence();
      correct[i] = ev.get(i).predicted() == d.get(i).label();
      eligible[i] = ev.get(i).decide(g.settings().withMinConfidence(0)).accepted();
    }
    return new Figures(accepted / (double) n, accepted == 0 ? 0 : errors / (double) accepted,
        RiskCoverage.area(conf, correct, eligible));
  }
}
