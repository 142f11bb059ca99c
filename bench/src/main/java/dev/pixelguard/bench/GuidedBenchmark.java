package dev.pixelguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ResultsJson;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        case "one" -> report(onnx, data, GuidedPixelAttack.builder().seed(seed).build(), "guided-seed" + seed);
        case "k3" -> report(onnx, data, GuidedPixelAttack.builder().pixels(3).budget(10_000).seed(seed).build(),
            "guided-k3-seed" + seed);
        case "k5" -> report(onnx, data, GuidedPixelAttack.builder().pixels(5).budget(10_000).seed(seed).build(),
            "guided-k5-seed" + seed);
        case "label" -> report(Classifiers.labelOnly(onnx), data, GuidedPixelAttack.builder().seed(seed).build(),
            "guided-label-only-seed" + seed);
        case "targeted" -> targeted(onnx, data.limit(20), seed);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
  }

  static EvaluationResult report(Classifier model, Dataset data, SparseAttack attack, String name) {
    long t0 = System.nanoTime();
    EvaluationResult r = Evaluation.run(model, data, attack, null, 400, 16, (res, done, total, ok) -> {
      if (done % 20 == 0) {
        System.out.printf(Locale.ROOT, "  %d/%d images, %d flipped, %.0f s%n", done, total, ok,
            (System.nanoTime() - t0) / 1e9);
      }
    });
    System.out.printf(Locale.ROOT, "%s: %s%n", name, attack.settings());
    System.out.printf(Locale.ROOT, "  flipped %d of %d; mean queries on success %.0f, median %.0f; total attack queries %,d;"
            + " %.2f s per image%n", r.successes(), r.attacked().size(), r.meanQueriesOnSuccess(),
        r.medianQueriesOnSuccess(), r.attackQueries(), r.wallNanos() / 1e9 / r.attacked().size());
    System.out.printf(Locale.ROOT, "  success by budget:");
    for (long b : BUDGETS) {
      System.out.printf(Locale.ROOT, " %d: %d", b, Math.round(r.successRateAt(b) * r.attacked().size()));
    }
    System.out.println();
    ResultsJson.write(r, RESULTS.resolve(name + ".json"));
    return r;
  }

  /** Targeted toward every other class: the original-to-target success matrix. */
  static void targeted(Classifier model, Dataset data, long seed) {
    int k = model.info().numClasses();
    int[][] success = new int[k][k];
    int[][] tried = new int[k][k];
    List<SparseAttack.Task> tasks = new ArrayList<>();
    for (LabeledImage li : data.images()) {
      Scores clean = model.classify(ImageBatch.of(List.of(li.image())));
      for (int t = 0; t < k; t++) {
        if (t != li.label()) {
          tasks.add(new SparseAttack.Task(li.id(), li.image(), new Goal.Targeted(t), clean));
        }
      }
    }
    GuidedPixelAttack attack = GuidedPixelAttack.builder().budget(4_000).seed(seed).build();
    long t0 = System.nanoTime();
    List<PixelAttackResult> rs = attack.run(model, tasks, 400, 16, r -> {});
    long queries = 0;
    int ok = 0;
    for (PixelAttackResult r : rs) {
      int from = r.cleanClass();
      int to = ((Goal.Targeted) r.goal()).target();
      tried[from][to]++;
      queries += r.queries();
      if (r.success()) {
        success[from][to]++;
        ok++;
      }
    }
    System.out.printf(Locale.ROOT, "targeted, 1 pixel, budget 4,000, %d images x %d targets: %d of %d succeed (%.1f%%),"
        + " %,d queries, %.0f s%n", data.size(), k - 1, ok, rs.size(), 100.0 * ok / rs.size(), queries,
        (System.nanoTime() - t0) / 1e9);
    System.out.println("original \\ target: successes / tried");
    StringBuilder head = new StringBuilder(String.format("%-11s", ""));
    for (int t = 0; t < k; t++) {
      head.append(String.format("%9.9s", data.classNames().get(t)));
    }
    System.out.println(head);
    for (int f = 0; f < k; f++) {
      StringBuilder row = new StringBuilder(String.format("%-11.11s", data.classNames().get(f)));
      for (int t = 0; t < k; t++) {
        row.append(tried[f][t] == 0 ? String.format("%9s", "-") : String.format("%9s", success[f][t] + "/" + tried[f][t]));
      }
      System.out.println(row);
    }
  }

  /** Reads result files and prints union, per-budget success and costs side by side. */
  static void compare() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> names = new ArrayList<>();
    try (var s = Files.list(RESULTS)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().forEach(names::add);
    }
    Set<String> union = new TreeSet<>();
    java.util.Map<String, Set<String>> solved = new java.util.LinkedHashMap<>();
    java.util.Map<String, java.util.Map<String, Long>> firstQ = new java.util.LinkedHashMap<>();
    for (String n : names) {
      JsonNode j = json.readTree(RESULTS.resolve(n).toFile());
      Set<String> ids = new TreeSet<>();
      java.util.Map<String, Long> q = new java.util.HashMap<>();
      if (j.path("kind").asText().equals("scan")) {
        for (JsonNode im : j.get("images")) {
          if (im.get("vulnerable").asBoolean()) {
            ids.add(im.get("id").asText());
          }
        }
      } else {
        if (j.path("attack").path("pixels").asInt() != 1 || n.contains("label-only")) {
          continue;
        }
        for (JsonNode im : j.get("images")) {
          if (im.path("success").asBoolean()) {
            ids.add(im.get("id").asText());
            q.put(im.get("id").asText(), im.get("queries").asLong());
          }
        }
        firstQ.put(n, q);
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
    if (!firstQ.containsKey(su)) {
      return;
    }
    for (String n : firstQ.keySet()) {
      if (n.equals(su)) {
        continue;
      }
      java.util.Map<String, Long> a = firstQ.get(n);
      java.util.Map<String, Long> b = firstQ.get(su);
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
    for (String n : firstQ.keySet()) {
      JsonNode j = json.readTree(RESULTS.resolve(n).toFile());
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-40s total queries %,d; successes within",
          n, j.get("summary").get("attackQueries").asLong()));
      for (long budget : BUDGETS) {
        int c = 0;
        for (JsonNode im : j.get("images")) {
          long f = im.path("firstSuccessQuery").asLong(-1);
          if (im.path("success").asBoolean() && f >= 0 && f <= budget) {
            c++;
          }
        }
        line.append(String.format(Locale.ROOT, " %,d: %d", budget, c));
      }
      System.out.println(line);
    }
  }
}
