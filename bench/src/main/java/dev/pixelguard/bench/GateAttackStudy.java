package dev.pixelguard.bench;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.TransferAttack;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Exploration: harm through a gate (accepted and wrong) on the 100-image benchmark set, by attacks that know
 * the gate (guided search with the harm goal, the exhaustive corner scan through the gate) and by one that
 * ignores it. Arguments: SHARED FUSION MINCONF [ATTACKS=oblivious,guided,scan].
 */
public final class GateAttackStudy {
  private GateAttackStudy() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    Gate.Fusion fusion = Gate.Fusion.parse(args[1]);
    double minConf = Double.parseDouble(args[2]);
    String attacks = args.length > 3 ? args[3] : "oblivious,guided,scan";
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT);
        OnnxClassifier r32 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet32.onnx"), ModelSpec.DEFAULT)) {
      Dataset data = Fixture100.firstCorrect(r20, shared, 100);
      Gate gate = new Gate(List.of(new Gate.View("r20", r20), new Gate.View("r32", r32)),
          new Gate.Settings(fusion, false, minConf, Double.POSITIVE_INFINITY, Fallback.ABSTAIN), List.of());
      Classifier gated = gate.asClassifier();
      Targets harm = new Targets.Harm(gate.abstainClass(), null);
      Execution ex = new Execution(400, 8);
      for (String a : attacks.split(",")) {
        Attack<Classifier> attack = switch (a) {
          case "oblivious" -> new TransferAttack<>(GuidedPixelAttack.builder().build(), r20);
          case "guided" -> GuidedPixelAttack.builder().build();
          case "scan" -> new PixelScan(2, true, 400);
          default -> throw new IllegalArgumentException(a);
        };
        EvaluationResult r = Evaluation.run(gated, data, attack, harm, ex, null);
        List<String> harmed = new ArrayList<>();
        for (AttackResult x : r.attempts()) {
          if (x.success()) {
            harmed.add(x.imageId().substring(x.imageId().indexOf('#')));
          }
        }
        System.out.printf(Locale.ROOT, "%s: %s; accepted and correct %d of %d, harmed %d (%.1f%%) in %.0f s: %s%n", a,
            gate.describe(), r.summary().attacked(), data.size(), harmed.size(),
            100.0 * harmed.size() / Math.max(1, r.summary().attacked()), r.totals().seconds(), harmed);
      }
    }
  }
}
