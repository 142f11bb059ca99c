package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.defence.SimulatedScenes;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.io.GateFile;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Issue 12's risk-coverage-harm curve of a gate whose only moving threshold is the confidence: one complete
 * corner scan through the gate with the confidence check off records, for every pixel and corner colour of
 * every image of the 100-image set, whether the gate's fused class is wrong and at what fused confidence.
 * At threshold t the gate accepts a wrong class for an image exactly when some flip has confidence >= t, and
 * the image counts when the gate accepts its clean version correctly at t; so harm(t) is exact for every t
 * from one scan. Clean coverage and selective risk at t come from images 0-465 (the gate file's thresholds
 * were fitted on 466-931). A gate that also looks at another frame of the scene sees each image's second frame
 * simulated by {@link Camera#DEFAULT}, which the scan never changes ({@link SimulatedScenes}). Arguments:
 * {@code SHARED GATE.json}.
 */
public final class GateCurveBenchmark {
  private GateCurveBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    GateSpec spec = GateFile.read(Path.of(args[1]));
    Dataset set100;
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      set100 = Fixture100.firstCorrect(r20, shared, 100);
    }
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    Split split = Split.of(cifar, new Split.Range(466, 931), new Split.Range(0, 465));
    try (Gate fitted = spec.open(cifar.classNames())) {
      Gate open = fitted.with(fitted.settings().withMinConfidence(0));
      Camera camera = open.looksAtOtherFrame() ? Camera.DEFAULT : null;
      SimulatedScenes scenes = camera == null ? null : new SimulatedScenes(open, camera);
      long t0 = System.nanoTime();
      PixelScan scan = new PixelScan(2, false, 400);
      EvaluationResult r = scenes == null
          ? Evaluation.of(open.asClassifier(), set100, scan).targets(new Targets.Harm(open.abstainClass(), null))
              .execution(new Execution(400, 8)).run()
          : Evaluation.of(scenes.classifier(), set100, scenes.attack(scan))
              .targets(new Targets.Harm(open.abstainClass(), null)).execution(new Execution(400, 8)).run();
      double seconds = (System.nanoTime() - t0) / 1e9;
      List<AttackResult> attempts = r.attempts();
      double[] clean = new double[attempts.size()];
      double[] worst = new double[attempts.size()];
      for (int i = 0; i < attempts.size(); i++) {
        AttackResult a = attempts.get(i);
        clean[i] = a.clean().confidence();
        worst[i] = -1;
        for (ScanFindings.Flip f : a.findings().flips()) {
          worst[i] = Math.max(worst[i], f.confidence());
        }
      }
      System.out.println("gate: " + fitted.describe());
      if (camera != null) {
        System.out.println("frames: " + camera.describe() + "; the scan changes the image, never that frame");
      }
      System.out.printf(Locale.ROOT, "scan through the gate with the confidence check off: %d images accepted and "
          + "correct at threshold 0, %,d queries, %.0f s%n", attempts.size(), r.summary().attackQueries(), seconds);
      System.out.println("threshold  coverage(0-465)  risk(0-465)  harmed/accepted-correct (100-image set)");
      double[] ts = {0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, fitted.settings().minConfidence(), 0.96, 0.97,
          0.98, 0.99, 0.995};
      java.util.Arrays.sort(ts);
      for (double t : ts) {
        GateFit.Figures f = GateFit.measure(fitted.with(fitted.settings().withMinConfidence(t)), split.report(),
            camera);
        int accepted = 0;
        int harmed = 0;
        for (int i = 0; i < clean.length; i++) {
          if (clean[i] >= t) {
            accepted++;
            harmed += worst[i] >= t ? 1 : 0;
          }
        }
        System.out.printf(Locale.ROOT, "%9.4f  %14.1f%%  %10.2f%%  %d/%d (%.1f%%)%s%n", t, 100 * f.coverage(),
            100 * f.risk(), harmed, accepted, accepted == 0 ? 0 : 100.0 * harmed / accepted,
            t == fitted.settings().minConfidence() ? "   <- the gate file's threshold" : "");
      }
    }
  }
}
