package dev.pixelguard.bench;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issue 5's comparison on the first 100 correctly classified CIFAR-10 fixture images (ResNet-20, ONNX):
 * pixelguard's guided search against Su et al.'s configuration and the scans, whose results it reads from
 * earlier runs of bench/one-pixel-cifar10.sh and bench/scan-cifar10.sh.
 *
 * <p>Arguments: {@code SHARED_DIR MODE [SEED=1]}, MODE one of {@code one} (1 pixel), {@code k3}, {@code k5},
 * {@code label} (label-only model), {@code targeted} (every other class, first 20 images), {@code compare}
 * (no attack: union, budgets, costs from the result files).
 */
public final class GuidedBenchmark {
  static final Path RESULTS = Path.of("bench/results");
  static final long[] BUDGETS = {500, 2_000, 10_000, 40_000};

  private GuidedBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(args[0]);
    String mode = args[1];
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    Files.createDirectories(RESULTS);
    if (mode.equals("compare")) {
      compare();
      return;
    }
    try (OnnxClassifier onnx = OnnxClassifier.load(shared.resolve("models/cifar10-resnet20.onnx"), ModelSpec.DEFAULT)) {
      Dataset data = Fixture100.firstCorrect(onnx, shared, 100);
      switch (mode) {
        case "one" -> report(onnx, data, GuidedPixelAttack.builder().build(), seed, "guided-seed" + seed);
        case "k3" -> report(onnx, data, GuidedPixelAttack.builder().pixels(3).budget(10_000).build(), seed,
            "guided-k3-seed" + seed);
        case "k5" -> report(onnx, data, GuidedPixelAttack.builder().pixels(5).budget(10_000).build(), seed,
            "guided-k5-seed" + seed);
        case "label" -> report(Classifiers.labelOnly(onnx), data, GuidedPixelAttack.builder().build(), seed,
            "guided-label-only-seed" + seed);
        case "targeted" -> targeted(onnx, data.limit(20), seed);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
  }

  static EvaluationResult report(Classifier model, Dataset data, SparseAttack attack, long seed, String name) {
    return report(model, data, attack, seed, Targets.untargeted(), name);
  }

  static EvaluationResult report(Classifier model, Dataset data, SparseAttack attack, long seed, Targets targets,
      String name) {
    long t0 = System.nanoTime();
    EvaluationResult r = Evaluation.of(model, data, attack).targets(targets).seed(seed)
        .execution(new Execution(400, 16)).listener((res, done, total, ok) -> {
      if (done % 20 == 0) {
        System.out.printf(Locale.ROOT, "  %d/%d attempts, %d succeeded, %.0f s%n", done, total, ok,
            (System.nanoTime() - t0) / 1e9);
      }
    }).run();
    Summary s = r.summary();
    System.out.printf(Locale.ROOT, "%s: %s%n", name, attack.settings());
    System.out.printf(Locale.ROOT, "  succeeded %d of %d; mean queries on success %.0f, median %.0f; total attack queries %,d;"
            + " %.2f s per attempt%n", s.successes(), s.attempts(), s.meanQueriesOnSuccess(), s.medianQueriesOnSuccess(),
        s.attackQueries(), r.totals().seconds() / s.attempts());
    System.out.printf(Locale.ROOT, "  success by budget:");
    for (long b : BUDGETS) {
      System.out.printf(Locale.ROOT, " %d: %d", b, Math.round(s.successRateByBudget().get(b) * s.attempts()));
    }
    System.out.println();
    ResultsJson.write(r, RESULTS.resolve(name + ".json"));
    return r;
  }

  /** Targeted toward every other class: the original-to-target success matrix. */
  static void targeted(Classifier model, Dataset data, long seed) {
    EvaluationResult r = report(model, data, GuidedPixelAttack.builder().budget(4_000).build(), seed,
        new Targets.EveryOther(null), "guided-targeted-seed" + seed);
    Summary s = r.summary();
    int k = model.info().numClasses();
    System.out.println("original \\ target: successes / tried");
    StringBuilder head = new StringBuilder(String.format("%-11s", ""));
    for (int t = 0; t < k; t++) {
      head.append(String.format("%9.9s", data.classNames().get(t)));
    }
    System.out.println(head);
    for (int f = 0; f < k; f++) {
      StringBuilder row = new StringBuilder(String.format("%-11.11s", data.classNames().get(f)));
      for (int t = 0; t < k; t++) {
        int tried = s.targetTried()[f][t];
        row.append(String.format("%9s", tried == 0 ? "-" : s.targetSuccesses()[f][t] + "/" + tried));
      }
      System.out.println(row);
    }
  }

  /** Reads result files and prints union, per-budget success and costs side by side. */
  static void compare() throws IOException {
    List<String> names = new ArrayList<>();
    try (var st = Files.list(RESULTS)) {
      st.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().forEach(names::add);
    }
    Set<String> union = new TreeSet<>();
    Map<String, Set<String>> solved = new LinkedHashMap<>();
    Map<String, Map<String, Long>> firstQ = new LinkedHashMap<>();
    Map<String, EvaluationResult> runs = new LinkedHashMap<>();
    for (String n : names) {
      EvaluationResult r = ResultsJson.read(RESULTS.resolve(n));
      boolean scan = r.attack().equals("scan");
      boolean onePixel = scan || Integer.valueOf(1).equals(r.settings().get("pixels"));
      if (!onePixel || n.contains("label-only") || r.targets().matrix()) {
        continue;
      }
      Set<String> ids = new TreeSet<>();
      Map<String, Long> q = new HashMap<>();
      for (AttackResult a : r.attempts()) {
        if (a.success()) {
          ids.add(a.imageId());
          q.put(a.imageId(), a.queries());
        }
      }
      if (!scan) {
        firstQ.put(n, q);
        runs.put(n, r);
      }
      solved.put(n, ids);
      union.addAll(ids);
    }
    System.out.println("one-pixel vulnerable by any method: " + union.size());
    for (var e : solved.entrySet()) {
      Set<String> missed = new TreeSet<>(union);
      missed.removeAll(e.getValue());
      System.out.printf(Locale.ROOT, "  %-40s finds %d (%.1f%% of the union); misses %s%n", e.getKey(), e.getValue().size(),
          100.0 * e.getValue().size() / union.size(), missed);
    }
    // Against Su et al.'s configuration (seed 1): mean queries on the images both solve, success by budget, totals.
    String su = "one-pixel-cifar10-seed1.json";
    if (firstQ.containsKey(su)) {
      for (String n : firstQ.keySet()) {
        if (n.equals(su)) {
          continue;
        }
        Map<String, Long> a = firstQ.get(n);
        Map<String, Long> b = firstQ.get(su);
        double qa = 0;
        double qb = 0;
        int both = 0;
        for (String id : a.keySet()) {
          if (b.containsKey(id)) {
            qa += a.get(id);
            qb += b.get(id);
            both++;
          }
        }
        System.out.printf(Locale.ROOT, "  %s vs %s: %d images both solve; mean queries there %.0f vs %.0f (ratio %.3f)%n",
            n, su, both, qa / both, qb / both, qa / qb);
      }
    }
    for (var e : runs.entrySet()) {
      Summary s = e.getValue().summary();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-40s total queries %,d; successes within",
          e.getKey(), s.attackQueries()));
      for (long budget : BUDGETS) {
        line.append(String.format(Locale.ROOT, " %,d: %d", budget, Math.round(s.successRateByBudget().get(budget)
            * s.attempts())));
      }
      System.out.println(line);
    }
  }
}
