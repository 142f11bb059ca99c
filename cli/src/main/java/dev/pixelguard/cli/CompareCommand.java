package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.Classifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard compare}: both threat models, side by side, for several models on the same images. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Compare models under both threat models on the same images: clean accuracy, accuracy under "
        + "PGD (small changes everywhere) and the one-pixel attack's success (one large change in one place).",
        "Give --model once per model (with the same model options as the other commands). Default: the two bundled "
        + "Fashion-MNIST networks, trained normally and adversarially (PGD), on the 500 bundled test images, with the "
        + "usual Fashion-MNIST setting of PGD-20, L-inf eps 0.1, step 0.01. Models without gradients (ONNX) get the "
        + "one-pixel attack only. A model trained to resist one threat is not thereby safe against the other: this "
        + "table shows what each defence buys."})
final class CompareCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin SeedOption seed;
  @Mixin RunOptions run;

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

  @Option(names = "--results", paramLabel = "FILE.json",
      description = "Write every evaluation of the comparison as JSON (docs/results-schema.md).")
  Path results;

  @Option(names = "--no-images", description = "Write the images of --results as PNG files in a folder beside it "
      + "(RESULTS.images/) instead of base64 inside the JSON.")
  boolean noImages;

  /** One model's row: its PGD evaluation (null without gradients) and its one-pixel evaluation. */
  record Row(String name, EvaluationResult pgd, EvaluationResult pixel) {}

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    CliFiles.requireWritable(results);
    if (noImages && results == null) {
      throw new InputException("--no-images writes the images of --results beside it; give --results");
    }
    Pgd pgd;
    GuidedPixelAttack pixel;
    try {
      pgd = Pgd.builder(eps).iterations(steps).step(step).build();
      pixel = GuidedPixelAttack.builder().pixels(1).budget(budget).build();
    } catch (IllegalArgumentException e) {
      throw AttackOptions.refusal(e, true);
    }
    Dataset data = dataOptions.load();
    List<Row> rows = new ArrayList<>();
    for (String location : model.locations()) {
      try (Classifier c = model.open(location, DataOptions.shape(data), DataOptions.namesForModel(data))) {
        Dataset fitted = dataOptions.fit(data, c.info());
        String name = c.info().name();
        EvaluationResult g = pgd.modelType().isInstance(c) && !model.labelOnly
            ? Evaluations.run("PGD " + name, Evaluation.of(c, fitted, pgd).seed(seed.seed).execution(run.execution()),
                fitted, false, run.console(spec), (i, a) -> null)
            : null;
        EvaluationResult p = Evaluations.run("one pixel " + name, Evaluation.of(c, fitted, pixel).seed(seed.seed)
            .execution(run.execution()), fitted, false, run.console(spec), (i, a) -> null);
        rows.add(new Row(name, g, p));
      }
    }
    o.printf(Locale.ROOT, "data:      %s, %d images%n", data.name(), data.size());
    o.printf(Locale.ROOT, "PGD:       %s%n", Evaluation.describe(pgd, seed.seed));
    o.printf(Locale.ROOT, "one pixel: %s%n", Evaluation.describe(pixel, seed.seed));
    int w = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5));
    o.printf(Locale.ROOT, "%-" + w + "s  %7s  %13s  %22s  %13s%n", "model", "clean", "acc under PGD", "one pixel flips",
        "acc under 1px");
    for (Row r : rows) {
      Summary p = r.pixel().summary();
      String pgdCell = r.pgd() == null ? (model.labelOnly ? "label only" : "no gradients")
          : pct(r.pgd().summary().accuracyUnderAttack());
      String flips = String.format(Locale.ROOT, "%d/%d (%s)", p.successes(), p.attacked(), pct(p.successRate()));
      o.printf(Locale.ROOT, "%-" + w + "s  %7s  %13s  %22s  %13s%n", r.name(), pct(p.cleanAccuracy()), pgdCell, flips,
          pct(p.accuracyUnderAttack()));
    }
    o.println("acc under X: share of all images classified correctly and not fooled by X; one pixel flips: share of "
        + "correctly classified images one changed pixel flips.");
    if (results != null) {
      List<EvaluationResult> all = new ArrayList<>();
      for (Row r : rows) {
        if (r.pgd() != null) {
          all.add(r.pgd());
        }
        all.add(r.pixel());
      }
      ResultsJson.write(all, results, noImages);
      o.printf("results:   %s%n", results);
    }
    return ExitCode.OK;
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }
}
