package dev.pixelguard.bench;

import dev.pixelguard.attack.pixel.GuidedPixelAttack;

import ai.djl.pytorch.jni.JniUtils;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Issue 30's TorchScript speed: ResNet-20 as TorchScript through pixelguard (DJL's PyTorch engine) beside the same
 * network on ONNX Runtime, in one run: raw throughput at a fixed batch of 400, raw throughput over a seeded sequence
 * of batch sizes from 1 to 400 (what an attack sends), and the guided search on the first {@code -Dimages} (4)
 * images. The TorchScript rows run twice, with libtorch's graph executor optimizing (its default, which profiles and
 * specialises the graph per input shape) and with it off ({@code JniUtils.setGraphExecutorOptimize(false)}).
 * {@code bench/torchscript_speed.py} times the same file and sequences in Python PyTorch for the gap that is not
 * pixelguard's. Arguments: {@code SHARED [SECONDS=20]}: the time each raw row runs.
 */
public final class TorchScriptSpeedBenchmark {
  private TorchScriptSpeedBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args[0]);
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 20;
    int images = Integer.getInteger("images", 4);
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    List<Image> pool = cifar.limit(400).images().stream().map(LabeledImage::image).toList();
    System.out.printf(Locale.ROOT, "machine: %d processors, load %s%n", Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    try (Classifier onnx = Models.open(ModelRequest.builder(shared.resolve("models/cifar10-resnet20.onnx").toString()).build());
        Classifier pt = Models.open(ModelRequest.builder(shared.resolve("models/cifar10-resnet20.pt").toString())
            .dataShape(3, 32, 32).build())) {
      Dataset attacked = Fixture100.firstCorrect(onnx, shared, images);
      for (int size : new int[] {25, 50, 100, 200, 400}) {
        System.out.printf(Locale.ROOT, "batch %3d: onnx %,7.0f images/s, torchscript %,7.0f images/s%n", size,
            raw(onnx, pool.subList(0, size), seconds / 2, false), raw(pt, pool.subList(0, size), seconds / 2, false));
      }
      for (String row : List.of("onnx", "torchscript", "torchscript, optimizer off", "torchscript")) {
        Classifier c = row.equals("onnx") ? onnx : pt;
        JniUtils.setGraphExecutorOptimize(!row.endsWith("off"));
        double fixed = raw(c, pool, seconds, false);
        double varied = raw(c, pool, seconds, true);
        EvaluationResult r = Evaluation.of(c, attacked, GuidedPixelAttack.builder().build()).run();
        System.out.printf(Locale.ROOT, "%-27s batch 400: %,7.0f images/s; sizes 1-400: %,7.0f images/s; guided on %d "
                + "images: %,d queries in %.1f s, %,7.0f queries/s, %d flipped%n", row, fixed, varied, attacked.size(),
            r.totals().queries(), r.totals().seconds(), r.totals().queries() / r.totals().seconds(),
            r.summary().successes());
        System.out.flush();
      }
    }
  }

  /** Images per second over {@code seconds} after a warm-up: batches of the whole pool, or sizes drawn up to it (seed 1). */
  private static double raw(Classifier c, List<Image> pool, double seconds, boolean varied) {
    ImageBatch all = ImageBatch.of(pool);
    SplittableRandom rnd = new SplittableRandom(1);
    for (int i = 0; i < 5; i++) {
      c.classify(varied ? ImageBatch.of(pool.subList(0, 1 + rnd.nextInt(pool.size()))) : all);
    }
    rnd = new SplittableRandom(1);
    long images = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      int n = varied ? 1 + rnd.nextInt(pool.size()) : pool.size();
      c.classify(n == pool.size() ? all : ImageBatch.of(pool.subList(0, n))); // the copy is the same for every row
      images += n;
    }
    return images / ((System.nanoTime() - t0) / 1e9);
  }
}
