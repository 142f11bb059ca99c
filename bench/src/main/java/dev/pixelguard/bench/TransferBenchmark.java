package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 12's transfer figure: how often a one-pixel adversarial of ResNet-20 (guided search, seed 1, 9,600
 * queries) also fools ResNet-32, on the images of the 100-image set that both classify correctly, and the
 * other way round. Arguments: {@code SHARED}.
 */
public final class TransferBenchmark {
  private TransferBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT);
        OnnxClassifier r32 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet32.onnx"), ModelSpec.DEFAULT)) {
      Dataset data = Fixture100.firstCorrect(r20, shared, 100);
      report("ResNet-20 -> ResNet-32", r20, r32, data);
      report("ResNet-32 -> ResNet-20", r32, r20, data);
    }
  }

  private static void report(String name, OnnxClassifier from, OnnxClassifier to, Dataset data) {
    EvaluationResult r = Evaluation.of(from, data, GuidedPixelAttack.builder().build())
        .execution(new Execution(400, 8)).run();
    List<AttackResult> successes = new ArrayList<>();
    for (AttackResult a : r.attempts()) {
      if (a.success()) {
        successes.add(a);
      }
    }
    int bothRight = 0;
    int transferred = 0;
    int sameClass = 0;
    for (AttackResult a : successes) {
      int label = a.clean().top();
      Scores clean = to.classify(ImageBatch.of(List.of(a.original())));
      if (clean.top(0) != label) {
        continue; // the other model gets the original wrong already: not evidence of transfer
      }
      bothRight++;
      Scores adv = to.classify(ImageBatch.of(List.of(a.adversarial())));
      if (adv.top(0) != label) {
        transferred++;
        sameClass += adv.top(0) == a.adversarialClass() ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d of %d attacked images flipped; of the %d the other model also gets right, "
        + "%d also fool it (%.1f%%), %d into the same wrong class%n", name, successes.size(), r.summary().attacked(),
        bothRight, transferred, bothRight == 0 ? 0 : 100.0 * transferred / bothRight, sameClass);
  }
}
