package dev.pixelguard.bench;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Issues 11 and 15: how much of the two cores the query attack uses. Raw ONNX Runtime throughput of ResNet-20 at
 * batch 400 with 1 and 2 intra-op threads, then the guided search on the first correctly classified images
 * with each engine-thread and batches-in-flight setting, in interleaved rounds so that drift in the machine's
 * load touches every setting alike. Run by {@code bench/in-flight.sh}.
 */
public final class InFlightBenchmark {
  private InFlightBenchmark() {}

  private record Setting(int threads, int inFlight) {
    String label() {
      return threads + " engine thread" + (threads == 1 ? "" : "s") + ", " + inFlight + " batch"
          + (inFlight == 1 ? "" : "es") + " in flight";
    }
  }

  public static void main(String[] args) throws Exception {
    Path shared = Path.of(args[0]);
    int images = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    Path model = shared.resolve("models/cifar10-resnet20.onnx");
    System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; load average %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), load());
    Setting[] settings = {new Setting(1, 1), new Setting(2, 1), new Setting(1, 2), new Setting(2, 2)};
    Map<Setting, OnnxClassifier> models = new LinkedHashMap<>();
    for (Setting s : settings) {
      models.computeIfAbsent(s, k -> OnnxClassifier.load(model, ModelSpec.DEFAULT, k.threads()));
    }
    Dataset data;
    try (OnnxClassifier any = OnnxClassifier.load(model, ModelSpec.DEFAULT)) {
      data = Fixture100.firstCorrect(any, shared, images);
    }
    double raw1 = DefaultEngineBenchmark.throughput(models.get(settings[0]), data, 400);
    double raw2 = DefaultEngineBenchmark.throughput(models.get(settings[1]), data, 400);
    System.out.printf(Locale.ROOT, "raw ONNX Runtime, ResNet-20, batch 400: 1 thread %.0f images/s, 2 threads %.0f "
        + "(%.2fx)%n", raw1, raw2, raw2 / raw1);
    GuidedPixelAttack attack = GuidedPixelAttack.builder().build();
    Map<Setting, double[]> qps = new LinkedHashMap<>();
    Map<Setting, Integer> flipped = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Setting s : settings) {
        EvaluationResult r = Evaluation.of(models.get(s), data, attack)
            .execution(new Execution(400, 16, s.inFlight())).run();
        double q = r.totals().queries() / r.totals().seconds();
        qps.computeIfAbsent(s, k -> new double[rounds])[round] = q;
        flipped.put(s, r.summary().successes());
        System.out.printf(Locale.ROOT, "round %d, %-40s %,d queries in %.1f s: %.0f queries/s, %d flipped%n", round + 1,
            s.label(), r.totals().queries(), r.totals().seconds(), q, r.summary().successes());
      }
    }
    System.out.printf(Locale.ROOT, "%nguided search, %d images, mean over %d rounds (load average now %s):%n", images,
        rounds, load());
    double base = mean(qps.get(settings[0]));
    for (Setting s : settings) {
      double m = mean(qps.get(s));
      System.out.printf(Locale.ROOT, "  %-40s %6.0f queries/s = %.2fx one thread, %.3f of raw 2-thread ONNX Runtime%n",
          s.label(), m, m / base, m / raw2);
    }
    models.values().forEach(OnnxClassifier::close);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static String load() throws Exception {
    String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
