package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.square.SquareAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Issue 14's Square figure: the L-inf Square attack at 8/255 with 5,000 queries on the 100-image set
 * (ResNet-20, ONNX Runtime), beside torchattacks 3.5.1's figures measured on this machine (100 / 100, mean
 * queries on success 223, median 115, 22,282 in all). Arguments: {@code SHARED [SEED...]}; system properties
 * {@code pInit} (default 0.1, pixelguard's; the paper's is 0.8) and {@code from} (466: the tuning set of the first 100 correct images from image
 * 466 on, kept apart from the benchmark set).
 */
public final class SquareBenchmark {
  private SquareBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    long[] seeds = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
        : new long[] {1};
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      // -Dfrom=466 runs on the tuning set, apart from the benchmark set (images 0-465).
      Dataset data = Fixture100.firstCorrect(r20, shared, 100, Integer.getInteger("from", 0));
      System.out.println("images: " + data.name());
      for (long seed : seeds) {
        SquareAttack.Builder b = SquareAttack.builder()
            .pInit(Double.parseDouble(System.getProperty("pInit", "0.1")));
        if ("l2".equalsIgnoreCase(System.getProperty("norm", "linf"))) {
          b.norm(dev.pixelguard.attack.gradient.Norm.L2);
        }
        if (System.getProperty("eps") != null) {
          b.eps(Double.parseDouble(System.getProperty("eps")));
        }
        SquareAttack attack = b.build();
        long t0 = System.nanoTime();
        EvaluationResult r = Evaluation.of(r20, data, attack).seed(seed).execution(new Execution(400, 100)).run();
        double s = (System.nanoTime() - t0) / 1e9;
        long[] q = r.attempts().stream().filter(AttackResult::success).mapToLong(AttackResult::queries).sorted()
            .toArray();
        long all = r.attempts().stream().mapToLong(AttackResult::queries).sum();
        double linf = r.attempts().stream().filter(AttackResult::success)
            .mapToDouble(a -> a.perturbation().linf()).max().orElse(0);
        double l2 = r.attempts().stream().filter(AttackResult::success)
            .mapToDouble(a -> a.perturbation().l2()).max().orElse(0);
        System.out.printf(Locale.ROOT, "seed %d: %s%n  flipped %d / %d (judged on the image returned); queries on "
            + "success mean %.1f, median %d; %,d queries in all; largest change L-inf %.5f, L2 %.4f; "
            + "exact in 8 bits: %b; %.1f s%n", seed, attack.describe(), q.length, r.attempts().size(),
            Arrays.stream(q).average().orElse(0), q.length == 0 ? 0 : q[(q.length - 1) / 2], all, linf, l2,
            r.attempts().stream().allMatch(AttackResult::exactIn8Bits), s);
      }
    }
  }
}
