package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.GradientEvaluation;
import dev.pixelguard.eval.GradientEvaluationResult;
import dev.pixelguard.eval.ResultsJson;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard compare}: both threat models, side by side, for several models on the same images. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare models under both threat models on the same images: clean accuracy, accuracy under "
        + "PGD (small changes everywhere) and the one-pixel attack's success (one large change in one place).",
        "Default: the two bundled Fashion-MNIST networks, trained normally and adversarially (PGD), on the 500 "
        + "bundled test images, with the usual Fashion-MNIST setting of PGD-20, L-inf eps 0.1, step 0.01. "
        + "Models without gradients (ONNX) get the one-pixel attack only. A model trained to resist one threat "
        + "is not thereby safe against the other: this table shows what each defence buys."})
final class CompareCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "A model to compare (repeat the option); "
      + "files as for evaluate, or builtin:fashion-cnn and builtin:fashion-cnn-pgd. Default: both bundled models.")
  List<Path> models = new ArrayList<>();

  @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",",
      description = "Input shape for TorchScript models (default: the images' shape).")
  int[] inputShape;

  @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", description = "Dataset (default: the embedded samples).")
  Path dataset;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Use only the first N images.")
  Integer limit;

  @Option(names = "--eps", paramLabel = "E", description = "PGD L-inf budget in [0,1] pixel units (default: ${DEFAULT-VALUE}; "
      + "8/255 = 0.031 is usual on CIFAR-10).")
  double eps = 0.1;

  @Option(names = "--steps", paramLabel = "N", description = "PGD steps (default: ${DEFAULT-VALUE}).")
  int steps = 20;

  @Option(names = "--step", paramLabel = "S", description = "PGD step size (default: ${DEFAULT-VALUE}).")
  double step = 0.01;

  @Option(names = "--budget", paramLabel = "Q", description = "One-pixel attack (guided): most queries per image "
      + "(default: ${DEFAULT-VALUE}).")
  long budget = 9_600;

  @Option(names = {"-s", "--seed"}, description = "Seed of both attacks (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--batch", description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batch = 400;

  @Option(names = "--results", paramLabel = "FILE.json", description = "Write the comparison as JSON.")
  Path results;

  @Option(names = "--quiet", description = "No progress bars.")
  boolean quiet;

  /** One model's row. */
  record Row(String name, double clean, GradientEvaluationResult pgd, EvaluationResult pixel) {}

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (limit != null && limit < 1) {
      throw new InputException("--limit must be at least 1, was " + limit);
    }
    if (batch < 1) {
      throw new InputException("--batch must be at least 1");
    }
    CliFiles.requireFolders(results);
    Pgd pgd;
    GuidedPixelAttack pixel;
    try {
      pgd = Pgd.builder(eps).iterations(steps).step(step).seed(seed).build();
      pixel = GuidedPixelAttack.builder().pixels(1).budget(budget).seed(seed).build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage().replace("epsilon", "--eps").replace("iterations", "--steps"));
    }
    Dataset data = CliFiles.datasetOrSamples(dataset);
    if (limit != null) {
      data = data.limit(limit);
    }
    List<Path> which = models.isEmpty() ? DefaultBundle.names().stream().map(Path::of).toList() : models;
    Image first = data.get(0).image();
    List<Row> rows = new ArrayList<>();
    for (Path m : which) {
      ModelOptions opts = new ModelOptions();
      opts.model = m;
      opts.inputShape = inputShape;
      try (Classifier c = opts.open(new int[] {first.channels(), first.height(), first.width()}, data.classNames())) {
        String name = c.info().name();
        GradientEvaluationResult g = null;
        if (c instanceof GradientClassifier gc) {
          try (Progress bar = Progress.start("PGD " + name, data.size(), !quiet)) {
            g = GradientEvaluation.run(gc, data, pgd, null, batch, (done, total, ok) -> {
              bar.total(total);
              bar.stepTo(done, "fooled " + ok + "/" + done);
            });
          }
        }
        EvaluationResult p;
        try (Progress bar = Progress.start("one pixel " + name, data.size(), !quiet)) {
          p = Evaluation.run(c, data, pixel, null, batch, 16, (res, done, total, ok) -> {
            bar.total(total);
            bar.step("flipped " + ok + "/" + done);
          });
        }
        rows.add(new Row(name, p.cleanAccuracy(), g, p));
      }
    }
    o.printf(Locale.ROOT, "data:      %s, %d images%n", data.name(), data.size());
    o.printf(Locale.ROOT, "PGD:       %s%n", Text.describe(pgd, "untargeted"));
    o.printf(Locale.ROOT, "one pixel: guided, at most %s queries per image, seed %d%n", Text.count(budget), seed);
    int w = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5));
    o.printf(Locale.ROOT, "%-" + w + "s  %7s  %13s  %22s  %13s%n", "model", "clean", "acc under PGD", "one pixel flips",
        "acc under 1px");
    for (Row r : rows) {
      String pgdCell = r.pgd() == null ? "no gradients" : pct(r.pgd().accuracyUnderAttack());
      EvaluationResult p = r.pixel();
      String flips = String.format(Locale.ROOT, "%d/%d (%s)", p.successes(), p.attacked().size(), pct(p.successRate()));
      o.printf(Locale.ROOT, "%-" + w + "s  %7s  %13s  %22s  %13s%n", r.name(), pct(r.clean()), pgdCell, flips,
          pct(p.accuracyUnderAttack()));
    }
    o.println("acc under X: share of all images classified correctly and not fooled by X; one pixel flips: share of "
        + "correctly classified images one changed pixel flips.");
    if (results != null) {
      ObjectNode root = ResultsJson.newTree("comparison");
      root.putObject("dataset").put("name", data.name()).put("images", data.size());
      ObjectNode pg = root.putObject("pgd");
      pg.put("norm", "linf").put("epsilon", eps).put("steps", steps).put("step", step).put("seed", seed);
      ObjectNode px = root.putObject("onePixel");
      for (Map.Entry<String, Object> e : pixel.settings().entrySet()) {
        px.putPOJO(e.getKey(), e.getValue());
      }
      ArrayNode arr = root.putArray("models");
      for (Row r : rows) {
        ObjectNode m = arr.addObject();
        m.put("name", r.name());
        ResultsJson.number(m, "cleanAccuracy", r.clean());
        if (r.pgd() != null) {
          ObjectNode g = m.putObject("pgd");
          ResultsJson.number(g, "accuracyUnderAttack", r.pgd().accuracyUnderAttack());
          g.put("attacked", r.pgd().attackedCount()).put("successes", r.pgd().successes());
          ResultsJson.number(g, "successRate", r.pgd().successRate());
          ResultsJson.number(g, "seconds", r.pgd().wallNanos() / 1e9);
        } else {
          m.putNull("pgd");
        }
        EvaluationResult p = r.pixel();
        ObjectNode q = m.putObject("onePixel");
        ResultsJson.number(q, "accuracyUnderAttack", p.accuracyUnderAttack());
        q.put("attacked", p.attacked().size()).put("successes", p.successes());
        ResultsJson.number(q, "successRate", p.successRate());
        ResultsJson.number(q, "seconds", p.wallNanos() / 1e9);
      }
      ResultsJson.write(root, results);
      o.printf("results:   %s%n", results);
    }
    return ExitCode.OK;
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }
}
