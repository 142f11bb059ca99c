package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.defence.TransformedClassifier;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.io.GateFile;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.transform.Impulse;
import dev.pixelguard.transform.Transform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Before and after the gate's shared evaluation, in one run: the exhaustive corner scan through a gate (confidence
 * check off, as {@link GateCurveBenchmark} runs it) on the first N images of the 100-image set, evaluated
 *
 * <ul>
 *   <li><b>before</b>: view by view ({@link Gate#viewByView()}: every view on its own, one after another, each
 *       transform once per view), with the impulse filter as it was written before (sorting every window);
 *   <li><b>shared, 1 thread</b>: each distinct transform once per batch, each model scoring each distinct image
 *       once, on the calling thread;
 *   <li><b>shared</b>: the same with the model passes in parallel (one thread per processor), as gates now run;
 * </ul>
 *
 * <p>in the order before, shared 1 thread, shared, shared, shared 1 thread, before (so a change in the machine's
 * load falls on all alike), and checks that every run finds exactly the same flips, confidences and
 * vulnerability maps. Before the scan, two short measurements, each in 10 interleaved rounds with wall and
 * process CPU time (all threads, native ones included): whether the engine leaves a core idle (the reference model
 * on 400 fixture images in one call, and as two calls of 200 side by side), and the three ways on one batch of 400
 * one-pixel corner candidates. Arguments: {@code SHARED GATE.json [IMAGES=4]}.
 *
 * <p>The gate's models are opened as {@link GateSpec#open} opens them: since issue 28, one engine thread per call
 * ({@link GateSpec#ENGINE_THREADS}), so "before" and "shared, 1 thread" now use one core, where the figures of
 * 2026-11-27 in benchmarks.md had two-thread engines under every way.
 */
public final class GateSpeedBenchmark {
  private GateSpeedBenchmark() {}

  public static void main(String[] args) {
    Path shared = Path.of(args[0]);
    GateSpec spec = GateFile.read(Path.of(args[1]));
    int images = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Dataset set;
    try (OnnxClassifier r20 = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      set = Fixture100.firstCorrect(r20, shared, images);
    }
    try (Gate fitted = spec.open(set.classNames())) {
      Map<Classifier, CountingClassifier> counted = new IdentityHashMap<>();
      Gate open = counting(fitted.with(fitted.settings().withMinConfidence(0)), counted);
      Map<String, Gate> runs = new LinkedHashMap<>();
      runs.put("before", before(open).viewByView());
      runs.put("shared, 1 thread", open.withParallelism(1));
      runs.put("shared", open);
      System.out.println("gate: " + fitted.describe() + " (confidence check off)");
      System.out.printf(Locale.ROOT, "corner scan through the gate on %s; %d processors%n", set.name(),
          Runtime.getRuntime().availableProcessors());
      engine(open.views().get(0).classifier(), shared);
      batch(runs, shared);
      List<String> order = List.of("before", "shared, 1 thread", "shared", "shared", "shared, 1 thread", "before");
      Map<String, Double> seconds = new LinkedHashMap<>();
      String reference = null;
      long queries = 0;
      for (String name : order) {
        Gate g = runs.get(name);
        long sent = modelImages(counted);
        long t0 = System.nanoTime();
        EvaluationResult r = Evaluation.of(g.asClassifier(), set, new PixelScan(2, false, 400))
            .targets(new Targets.Harm(g.abstainClass(), null)).execution(new Execution(400, 8)).run();
        double s = (System.nanoTime() - t0) / 1e9;
        seconds.merge(name, s, Double::sum);
        queries = r.summary().attackQueries();
        String found = fingerprint(r);
        if (reference == null) {
          reference = found;
        } else if (!reference.equals(found)) {
          throw new IllegalStateException(name + " found something else than the first run");
        }
        long gateQueries = r.totals().queries();
        System.out.printf(Locale.ROOT, "%-18s %,d queries in %.1f s (%.0f queries/s); the models scored %.2f images "
            + "per gate query%n", name, queries, s, queries / s, (modelImages(counted) - sent) / (double) gateQueries);
        System.out.flush();
      }
      double base = seconds.get("before");
      System.out.println("every run found the same flips, confidences and vulnerability maps");
      for (Map.Entry<String, Double> e : seconds.entrySet()) {
        System.out.printf(Locale.ROOT, "%-18s %.1f s in all, %.0f queries/s, %.2fx the speed before%n", e.getKey(),
            e.getValue(), 2 * queries / e.getValue(), base / e.getValue());
      }
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /** Wall and process CPU time of {@code work}, in ms, added to {@code into[0]} and {@code into[1]}. */
  private static void time(Runnable work, double[] into) {
    long c0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    work.run();
    into[0] += (System.nanoTime() - t0) / 1e6;
    into[1] += (OS.getProcessCpuTime() - c0) / 1e6;
  }

  /** Whether the engine leaves a core idle: one call of 400 images against two calls of 200 side by side. */
  private static void engine(Classifier model, Path shared) {
    Dataset cifar = dev.pixelguard.data.Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    List<dev.pixelguard.image.Image> images = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      images.add(cifar.get(i).image());
    }
    ImageBatch all = ImageBatch.of(images);
    ImageBatch first = ImageBatch.of(images.subList(0, 200));
    ImageBatch second = ImageBatch.of(images.subList(200, 400));
    model.classify(all);
    double[] one = new double[2];
    double[] two = new double[2];
    for (int r = 0; r < 10; r++) {
      time(() -> model.classify(all), one);
      time(() -> {
        Thread t = new Thread(() -> model.classify(second));
        t.start();
        model.classify(first);
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, two);
    }
    System.out.printf(Locale.ROOT, "engine: %s on 400 images in one call %.0f ms (CPU %.0f ms), as two calls of 200 "
        + "side by side %.0f ms (CPU %.0f ms); mean of 10%n", model.info().name(), one[0] / 10, one[1] / 10,
        two[0] / 10, two[1] / 10);
  }

  /** The three ways on one batch: 400 one-pixel corner candidates (50 pixels of fixture image 12, 8 colours). */
  private static void batch(Map<String, Gate> runs, Path shared) {
    Dataset cifar = dev.pixelguard.data.Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    dev.pixelguard.image.Image im = cifar.get(12).image();
    List<dev.pixelguard.image.Image> candidates = new ArrayList<>();
    for (int p = 0; p < 50; p++) {
      int x = p * 7 % 32;
      int y = p * 3 % 32;
      for (int c = 0; c < 8; c++) {
        int[] colour = {(c >> 2 & 1) * 255, (c >> 1 & 1) * 255, (c & 1) * 255};
        candidates.add(im.withPixels(List.of(new dev.pixelguard.image.PixelChange(x, y, im.colour(x, y), colour))));
      }
    }
    ImageBatch batch = ImageBatch.of(candidates);
    List<String> names = new ArrayList<>(runs.keySet());
    Map<String, double[]> times = new LinkedHashMap<>();
    names.forEach(n -> runs.get(n).assess(batch));
    for (int r = 0; r < 10; r++) {
      for (int k = 0; k < names.size(); k++) {
        String n = names.get(r % 2 == 0 ? k : names.size() - 1 - k);
        time(() -> runs.get(n).assess(batch), times.computeIfAbsent(n, x -> new double[2]));
      }
    }
    for (Map.Entry<String, double[]> e : times.entrySet()) {
      System.out.printf(Locale.ROOT, "batch:  %-18s %.0f ms per 400 one-pixel candidates (CPU %.0f ms); mean of 10%n",
          e.getKey(), e.getValue()[0] / 10, e.getValue()[1] / 10);
    }
    System.out.flush();
  }

  /** The gate with every model wrapped in one counter (shared by the model's views). */
  private static Gate counting(Gate gate, Map<Classifier, CountingClassifier> counted) {
    List<Gate.View> views = new ArrayList<>();
    for (Gate.View v : gate.views()) {
      if (v.classifier() instanceof TransformedClassifier tc) {
        CountingClassifier c = counted.computeIfAbsent(tc.base(), CountingClassifier::of);
        views.add(new Gate.View(v.name(), TransformedClassifier.of(c, tc.transform(), tc.rootSeed()), v.otherFrame()));
      } else {
        views.add(new Gate.View(v.name(), counted.computeIfAbsent(v.classifier(), CountingClassifier::of),
            v.otherFrame()));
      }
    }
    return new Gate(views, gate.settings(), List.of());
  }

  private static long modelImages(Map<Classifier, CountingClassifier> counted) {
    return counted.values().stream().mapToLong(CountingClassifier::queries).sum();
  }

  /** The gate's views as before, the impulse filter replaced by the implementation it had then. */
  private static Gate before(Gate gate) {
    List<Gate.View> views = new ArrayList<>();
    for (Gate.View v : gate.views()) {
      if (v.classifier() instanceof TransformedClassifier tc && tc.transform() instanceof Impulse i) {
        views.add(new Gate.View(v.name(), TransformedClassifier.of(tc.base(), new SortingImpulse(i.threshold()),
            tc.rootSeed()), v.otherFrame()));
      } else {
        views.add(v);
      }
    }
    return new Gate(views, gate.settings(), List.of());
  }

  /** Every image's flips (position, colour, class, confidence) and vulnerability map, as text. */
  private static String fingerprint(EvaluationResult r) {
    StringBuilder b = new StringBuilder();
    for (AttackResult a : r.attempts()) {
      b.append(a.imageId()).append(a.success()).append(Arrays.toString(a.findings().map()));
      for (ScanFindings.Flip f : a.findings().flips()) {
        b.append(f.x()).append(',').append(f.y()).append(Arrays.toString(f.colour())).append(f.adversarialClass())
            .append(':').append(Float.floatToIntBits(f.confidence())).append(';');
      }
      b.append('\n');
    }
    return b.toString();
  }

  /** {@code impulse:T} as written before the shared evaluation (commit 4532aa8): every 8-neighbour window sorted. */
  private record SortingImpulse(double threshold) implements Transform {
    /** Named as the filter it stands for, so that the gate's views read the same before and after. */
    @Override
    public String name() {
      return new Impulse(threshold).name();
    }

    @Override
    public Map<String, Object> parameters() {
      return new Impulse(threshold).parameters();
    }

    @Override
    public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
        long seed) {
      int plane = height * width;
      float[] window = new float[8];
      float[] median = new float[channels];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          int at = y * width + x;
          double deviation = 0;
          for (int c = 0; c < channels; c++) {
            int base = srcOffset + c * plane;
            int n = 0;
            for (int dy = -1; dy <= 1; dy++) {
              int row = reflect(y + dy, height);
              for (int dx = -1; dx <= 1; dx++) {
                if (dy != 0 || dx != 0) {
                  window[n++] = src[base + row * width + reflect(x + dx, width)];
                }
              }
            }
            Arrays.sort(window);
            median[c] = window[4];
            deviation = Math.max(deviation, Math.abs(src[base + at] - median[c]));
          }
          boolean outlier = deviation > threshold;
          for (int c = 0; c < channels; c++) {
            dst[dstOffset + c * plane + at] = outlier ? median[c] : src[srcOffset + c * plane + at];
          }
        }
      }
    }

    private static int reflect(int i, int n) {
      int period = 2 * n;
      int m = Math.floorMod(i, period);
      return m < n ? m : period - 1 - m;
    }
  }
}
