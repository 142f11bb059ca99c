package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Issue 14's Sparse-RS figures on the 100-image set (ResNet-20, ONNX Runtime), untargeted: k pixels anywhere
 * (beside the guided search's 86 / 100 at k = 3 and 98 / 100 at k = 5, 10,000 queries) and image-specific
 * patches. Arguments: {@code SHARED [SEED...]}. System properties: {@code threat} (pixels, patch or frame;
 * default pixels), {@code sizes} (comma-separated k, patch sides or frame widths; default 3,5,10), {@code alpha}
 * (alpha_init; default the attack's), {@code budget} (default 10,000) and {@code from} (466: the tuning set of
 * the first 100 correct images from image 466 on, kept apart from the benchmark set). Per-image results go
 * to {@code bench/results/sparse-rs-THREATSIZE-seedN.json}.
 */
public final class SparseRsBenchmark {
  private SparseRsBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(args[0]);
    long[] seeds = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToLong(Long::parseLong).toArray()
        : new long[] {1};
    String threat = System.getProperty("threat", "pixels");
    int[] sizes = Arrays.stream(System.getProperty("sizes", "3,5,10").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      Dataset data = Fixture100.firstCorrect(r20, shared, 100, Integer.getInteger("from", 0));
      System.out.println("images: " + data.name());
      for (int size : sizes) {
        for (long seed : seeds) {
          SparseRs.Builder b = SparseRs.builder().budget(Long.getLong("budget", 10_000));
          switch (threat) {
            case "pixels" -> b.pixels(size);
            case "patch" -> b.patch(size);
            case "frame" -> b.frame(size);
            default -> throw new IllegalArgumentException("threat must be pixels, patch or frame, was " + threat);
          }
          if (System.getProperty("alpha") != null) {
            b.alphaInit(Double.parseDouble(System.getProperty("alpha")));
          }
          SparseRs attack = b.build();
          long t0 = System.nanoTime();
          EvaluationResult r = Evaluation.of(r20, data, attack).seed(seed).execution(new Execution(400, 100)).run();
          double s = (System.nanoTime() - t0) / 1e9;
          Summary sum = r.summary();
          int most = r.attempts().stream().mapToInt(a -> a.perturbation().pixels()).max().orElse(0);
          System.out.printf(Locale.ROOT, "seed %d: %s%n  flipped %d / %d (judged on the image returned); queries on "
              + "success mean %.1f, median %.0f; %,d queries in all; by budget 500: %d, 2,000: %d; most pixels "
              + "changed %d; exact in 8 bits: %b; %.1f s%n", seed, attack.describe(), sum.successes(),
              sum.attempts(), sum.meanQueriesOnSuccess(), sum.medianQueriesOnSuccess(), sum.attackQueries(),
              Math.round(sum.successRateByBudget().get(500L) * sum.attempts()),
              Math.round(sum.successRateByBudget().get(2_000L) * sum.attempts()), most,
              r.attempts().stream().allMatch(AttackResult::exactIn8Bits), s);
          // Per-image results beside the guided search's (bench/guided-cifar10.sh), for comparisons image by image.
          Files.createDirectories(GuidedBenchmark.RESULTS);
          int from = Integer.getInteger("from", 0);
          ResultsJson.write(r, GuidedBenchmark.RESULTS.resolve(String.format(Locale.ROOT,
              "sparse-rs-%s%d%s-seed%d.json", threat, size, from > 0 ? "-from" + from : "", seed)));
        }
      }
    }
  }
}
