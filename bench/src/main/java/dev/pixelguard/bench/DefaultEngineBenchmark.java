package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 11's benchmark: the bundled default network on its two engines. Run by {@code bench/default-onnx.sh}.
 *
 * <ul>
 *   <li>{@code raw [THREADS=0]}: images per second of the bundled ONNX export in ONNX Runtime and of the same
 *       network in DJL's PyTorch engine, at batch 400 and 50, on the bundled images after warm-up;
 *   <li>{@code calls [PER=100]}: the DJL network on 400 bundled images as one call and as calls of PER images,
 *       alternated (50 rounds each after 10 of warm-up), images per second of each: whether libtorch slows on the
 *       large call ({@code NetworkClassifier} splits a large batch into calls of {@code CALL_VALUES} input values);
 *   <li>{@code compare ONNX.json DJL.json RAW_ONNX_400}: the same evaluation run on each engine (results JSON of
 *       {@code evaluate}): images flipped, queries, time, the attack's query throughput against the raw
 *       throughput, and every image whose outcome differs, with its pixel and queries on both.
 * </ul>
 */
public final class DefaultEngineBenchmark {
  private DefaultEngineBenchmark() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("compare")) {
      compare(ResultsJson.read(Path.of(args[1])), ResultsJson.read(Path.of(args[2])), Double.parseDouble(args[3]));
      return;
    }
    if (args.length > 0 && args[0].equals("calls")) {
      calls(args.length > 1 ? Integer.parseInt(args[1]) : 100);
      return;
    }
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Dataset samples = Datasets.samples();
    System.out.printf(Locale.ROOT, "machine: %d cores, Java %s; ONNX Runtime intra-op threads: %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        threads == 0 ? "one per core" : Integer.toString(threads));
    byte[] onnx = DefaultBundle.bytes(DefaultBundle.onnxFile(DefaultBundle.MODEL));
    try (OnnxClassifier ort = OnnxClassifier.load(onnx, DefaultBundle.onnxFile(DefaultBundle.MODEL), ModelSpec.DEFAULT,
        threads); NetworkClassifier djl = DefaultBundle.model()) {
      for (int batch : new int[] {400, 50}) {
        double a = throughput(ort, samples, batch);
        double b = throughput(djl, samples, batch);
        System.out.printf(Locale.ROOT, "batch %d: ONNX Runtime %.0f images/s, DJL (PyTorch) %.0f images/s, ratio %.2f%n",
            batch, a, b, a / b);
        if (batch == 400) {
          System.out.printf(Locale.ROOT, "raw-onnx-400 %.1f%n", a);
        }
      }
    }
  }

  private static void calls(int per) {
    List<Image> ims = new ArrayList<>(Datasets.samples().images().stream().map(LabeledImage::image).toList()
        .subList(0, 400));
    ImageBatch whole = ImageBatch.of(ims);
    List<ImageBatch> parts = new ArrayList<>();
    for (int from = 0; from < ims.size(); from += per) {
      parts.add(ImageBatch.of(ims.subList(from, Math.min(ims.size(), from + per))));
    }
    long[] ns = new long[2];
    try (NetworkClassifier djl = DefaultBundle.model()) {
      for (int round = 0; round < 60; round++) {
        for (int k = 0; k < 2; k++) {
          long t0 = System.nanoTime();
          if (k == 0) {
            djl.classify(whole);
          } else {
            parts.forEach(djl::classify);
          }
          if (round >= 10) {
            ns[k] += System.nanoTime() - t0;
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "DJL, 400 images: one call %.0f images/s, calls of %d %.0f images/s (%.2f times)%n",
        50 * 400 / (ns[0] / 1e9), per, 50 * 400 / (ns[1] / 1e9), (double) ns[0] / ns[1]);
  }

  /** Images per second at {@code batch}, over at least 2 seconds after warm-up, on the bundled images. */
  static double throughput(Classifier model, Dataset samples, int batch) {
    List<Image> ims = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      ims.add(samples.get(i % samples.size()).image());
    }
    ImageBatch b = ImageBatch.of(ims);
    long warm = System.nanoTime();
    while (System.nanoTime() - warm < 1_000_000_000L) {
      model.classify(b);
    }
    long images = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() - t0 < 3_000_000_000L) {
      model.classify(b);
      images += batch;
    }
    return images / ((System.nanoTime() - t0) / 1e9);
  }

  private static void compare(EvaluationResult onnx, EvaluationResult djl, double raw) {
    for (Map.Entry<String, EvaluationResult> e : Map.of("ONNX Runtime", onnx, "DJL", djl).entrySet().stream()
        .sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())).toList()) {
      EvaluationResult r = e.getValue();
      var s = r.summary();
      double qps = r.totals().queries() / r.totals().seconds();
      System.out.printf(Locale.ROOT, "%s (%s): %d attacked, %d flipped, %,d queries in %.1f s (%.1f s in the model): "
          + "%.0f queries/s%s%n", e.getKey(), r.model().name(), s.attacked(), s.successes(), r.totals().queries(),
          r.totals().seconds(), r.totals().modelNanos() / 1e9, qps,
          e.getKey().equals("ONNX Runtime") ? String.format(Locale.ROOT, " = %.3f of raw ONNX Runtime at batch 400", qps / raw)
              : "");
    }
    Map<String, ImageOutcome> other = new LinkedHashMap<>();
    djl.images().forEach(o -> other.put(o.id(), o));
    int same = 0;
    List<String> differ = new ArrayList<>();
    for (ImageOutcome a : onnx.images()) {
      ImageOutcome b = other.get(a.id());
      String da = describe(a);
      String db = b == null ? "absent" : describe(b);
      if (da.equals(db)) {
        same++;
      } else {
        differ.add(a.id() + ": ONNX Runtime " + da + "; DJL " + db);
      }
    }
    System.out.printf(Locale.ROOT, "images with the same outcome (flip, pixel, colour, queries): %d of %d%n", same,
        onnx.images().size());
    differ.forEach(d -> System.out.println("  differs: " + d));
    List<String> flippedA = flipped(onnx);
    List<String> flippedB = flipped(djl);
    System.out.println("flipped on ONNX Runtime: " + flippedA);
    System.out.println("flipped on DJL:          " + flippedB);
    System.out.println(flippedA.equals(flippedB) ? "the same images flip on both engines"
        : "the flipped images differ between the engines");
  }

  private static List<String> flipped(EvaluationResult r) {
    List<String> out = new ArrayList<>();
    for (ImageOutcome o : r.images()) {
      if (o.attempts().stream().anyMatch(AttackResult::success)) {
        out.add(o.id());
      }
    }
    return out;
  }

  private static String describe(ImageOutcome o) {
    if (o.attempts().isEmpty()) {
      return o.skipped() != null ? "skipped (" + o.skipped() + ")" : "not attacked (clean class " + o.clean().top() + ")";
    }
    StringBuilder sb = new StringBuilder();
    for (AttackResult a : o.attempts()) {
      sb.append(a.success() ? "flipped to " + a.adversarialClass() + " by " + a.changes().stream()
          .map(c -> "(" + c.x() + "," + c.y() + ")" + java.util.Arrays.toString(c.after())).toList() : "resisted")
          .append(" in ").append(a.queries()).append(" queries");
    }
    return sb.toString();
  }
}
