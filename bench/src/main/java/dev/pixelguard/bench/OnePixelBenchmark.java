package dev.pixelguard.bench;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 2's benchmark: Su et al.'s one-pixel attack (paper settings, untargeted) on the first N CIFAR-10
 * fixture images that ResNet-20 (ONNX) classifies correctly. Prints success, queries, seconds per image,
 * and the attack's query throughput against the raw model throughput at batch 400 measured in this run.
 *
 * <p>Arguments: {@code SHARED_DIR [N=100] [SEED=1] [RESULTS_JSON]}.
 */
public final class OnePixelBenchmark {
  private OnePixelBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args.length > 0 ? args[0] : "../shared");
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    Path results = args.length > 3 ? Path.of(args[3]) : null;
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    try (OnnxClassifier model = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      double raw = rawThroughput(model, cifar);
      List<Scores> clean = CleanPass.score(model, cifar, 400);
      List<LabeledImage> chosen = new ArrayList<>();
      for (int i = 0; i < cifar.size() && chosen.size() < n; i++) {
        if (clean.get(i).top(0) == cifar.get(i).label()) {
          chosen.add(cifar.get(i));
        }
      }
      Dataset data = new Dataset("first " + chosen.size() + " correctly classified of " + cifar.name(), chosen,
          cifar.classNames());
      PixelAttack attack = PixelAttack.builder().build();
      System.out.printf(Locale.ROOT, "machine: %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
          System.getProperty("java.version"), System.getProperty("os.arch"));
      System.out.printf(Locale.ROOT, "raw model throughput (ONNX Runtime, batch 400): %.0f images/s%n", raw);
      System.out.printf(Locale.ROOT, "attack: %s%n", attack.settings());
      long t0 = System.nanoTime();
      EvaluationResult r = Evaluation.of(model, data, attack).seed(seed).execution(new Execution(400, 4))
          .listener((res, done, total, ok) -> {
        if (done % 10 == 0) {
          System.out.printf(Locale.ROOT, "  %d/%d images, %d flipped, %.0f s%n", done, total, ok,
              (System.nanoTime() - t0) / 1e9);
        }
      }).run();
      Summary s = r.summary();
      double wall = r.totals().seconds();
      double model_s = r.totals().modelNanos() / 1e9;
      int attacked = s.attacked();
      double attackQps = r.totals().queries() / wall;
      System.out.printf(Locale.ROOT, "images attacked: %d%n", attacked);
      System.out.printf(Locale.ROOT, "flipped: %d (%.1f%%), seed %d%n", s.successes(), 100 * s.successRate(), seed);
      System.out.printf(Locale.ROOT, "queries on success: mean %.0f, median %.0f%n", s.meanQueriesOnSuccess(),
          s.medianQueriesOnSuccess());
      System.out.printf(Locale.ROOT, "total attack queries: %,d%n", s.attackQueries());
      System.out.printf(Locale.ROOT, "seconds per image: %.2f (of which outside the model: %.3f)%n", wall / attacked,
          (wall - model_s) / attacked);
      System.out.printf(Locale.ROOT, "attack throughput: %.0f queries/s = %.3f of raw model throughput%n", attackQps,
          attackQps / raw);
      System.out.printf(Locale.ROOT, "success rate by budget:");
      for (long b : new long[] {500, 2_000, 10_000, 40_000}) {
        System.out.printf(Locale.ROOT, " %d: %.0f%%", b, 100 * s.successRateByBudget().get(b));
      }
      System.out.println();
      if (results != null) {
        ResultsJson.write(r, results);
        System.out.println("results: " + results);
      }
    }
  }

  /** Images per second at batch 400 on real fixture images, after warm-up. */
  static double rawThroughput(OnnxClassifier model, Dataset cifar) {
    List<Image> ims = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      ims.add(cifar.get(i).image());
    }
    ImageBatch batch = ImageBatch.of(ims);
    for (int i = 0; i < 3; i++) {
      model.classify(batch);
    }
    int reps = 15;
    long t0 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      model.classify(batch);
    }
    return reps * 400 / ((System.nanoTime() - t0) / 1e9);
  }
}
