package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.GradientEvaluation;
import dev.pixelguard.eval.GradientEvaluationResult;
import dev.pixelguard.eval.ResultsJson;
import dev.pixelguard.eval.TargetedEvaluation;
import dev.pixelguard.report.HtmlReport;
import dev.pixelguard.report.JUnitXml;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard evaluate}: robustness over a dataset. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = {"Attack every correctly classified image of a dataset and report how robust the model is.",
        "It reports how many images one changed pixel (or k) can flip (guided search by default, --method su for "
        + "Su et al.'s): success rate, confidence of the wrong class, queries, success by query budget, and which "
        + "classes turn into which. --method pgd or fgsm runs a white-box gradient attack within --eps instead and "
        + "reports accuracy under attack and perturbation sizes. --results writes every image's outcome as JSON, "
        + "--report an HTML report; --fail-under makes it a CI gate.",
        "Datasets: a folder of class folders, a CIFAR-10 .bin batch, an IDX images file, or an image file."})
final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin AttackOptions attackOptions;

  @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", description = "Dataset (default: the embedded samples).")
  Path dataset;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Evaluate only the first N images.")
  Integer limit;

  @Option(names = "--results", paramLabel = "FILE.json", description = "Write all outcomes as JSON (docs/results-schema.md).")
  Path results;

  @Option(names = "--batch", description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batch = 400;

  @Option(names = "--concurrency", description = "Images attacked at once, sharing batches (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(names = "--resize", description = "Resize and convert images to the model's input shape.")
  boolean resize;

  @Option(names = "--quiet", description = "No progress bar and no per-image lines, only the summary.")
  boolean quiet;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write a self-contained HTML report (DIR/index.html) and its results.json.")
  Path report;

  @Option(names = "--fail-under", paramLabel = "R",
      description = "Robustness gate for CI: exit with code 3 when robust accuracy (share of attacked images that "
          + "resisted) is below R, in [0, 1].")
  Double failUnder;

  @Option(names = "--junit", paramLabel = "FILE.xml",
      description = "Write a JUnit-XML summary (a test case per attacked image, and one for the gate) for CI servers.")
  Path junit;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (limit != null && limit < 1) {
      throw new InputException("--limit must be at least 1, was " + limit);
    }
    if (batch < 1 || concurrency < 1) {
      throw new InputException("--batch and --concurrency must be at least 1");
    }
    CliFiles.requireFolders(results, junit, report);
    if (failUnder != null && !(failUnder >= 0 && failUnder <= 1)) {
      throw new InputException("--fail-under must be in [0, 1], was " + failUnder);
    }
    SparseAttack attack = attackOptions.gradient() ? null : attackOptions.attack();
    Pgd pgd = attackOptions.gradient() ? attackOptions.gradientAttack() : null;
    if (pgd != null && "all".equalsIgnoreCase(attackOptions.target)) {
      throw new InputException("--target all applies to the pixel attacks (guided, su), not to --method "
          + attackOptions.method);
    }
    Dataset data = CliFiles.datasetOrSamples(dataset);
    if (limit != null) {
      data = data.limit(limit);
    }
    Image first = data.get(0).image();
    try (Classifier c = model.open(new int[] {first.channels(), first.height(), first.width()}, data.classNames())) {
      ModelInfo info = c.info();
      if (first.channels() != info.channels() || first.height() != info.height() || first.width() != info.width()) {
        if (!resize) {
          throw new InputException("the dataset's images are " + first.shape() + " but the model takes "
              + info.inputShape() + " (use --resize to convert them)");
        }
        data = Datasets.convert(data, info.channels(), info.height(), info.width());
      }
      if ("all".equalsIgnoreCase(attackOptions.target)) {
        return allTargets(o, c, data, attack);
      }
      Integer target = attackOptions.target == null ? null : info.classIndex(attackOptions.target);
      if (pgd != null) {
        return gradient(o, attackOptions.requireGradients(c, model.labelOnly), data, pgd, target);
      }
      EvaluationResult r;
      try (Progress bar = Progress.start("attacking", data.size(), !quiet)) {
        r = Evaluation.run(c, data, attack, target, batch, concurrency,
            (res, done, total, successes) -> {
              bar.total(total);
              bar.step("flipped " + successes + "/" + done);
            });
      }
      if (!quiet) {
        for (EvaluationResult.ImageOutcome io : r.images()) {
          PixelAttackResult a = io.result();
          if (a != null && a.success()) {
            o.printf(Locale.ROOT, "flipped #%d %s: %s (%s queries)%n", io.index(), io.id(), Text.flip(a, info),
                Text.count(a.queries()));
          }
        }
      }
      printSummary(o, r, info, attack, target, data);
      return outputs(o, ResultsJson.toJson(r), r.attacked().isEmpty() ? 1.0 : r.robustAccuracy());
    }
  }

  /** Writes --results, --report and --junit from the results tree, then applies the gate. */
  private int outputs(PrintWriter o, com.fasterxml.jackson.databind.node.ObjectNode tree, double robust) {
    if (results != null) {
      ResultsJson.write(tree, results);
      o.printf("results: %s%n", results);
    }
    if (report != null) {
      o.printf("report:   %s%n", HtmlReport.write(tree, report));
    }
    if (junit != null) {
      JUnitXml.write(tree, failUnder, junit);
      o.printf("junit:    %s%n", junit);
    }
    if (failUnder != null) {
      if (robust < failUnder) {
        spec.commandLine().getErr().printf(Locale.ROOT,
            "pixelguard: gate failed: robust accuracy %.3f is below --fail-under %.3f%n", robust, failUnder);
        return ExitCode.GATE_FAILED;
      }
      o.printf(Locale.ROOT, "gate:     passed, robust accuracy %.3f >= %.3f%n", robust, failUnder);
    }
    return ExitCode.OK;
  }

  /** {@code --method pgd|fgsm}: the gradient attack on every correctly classified image. */
  private int gradient(PrintWriter o, GradientClassifier c, Dataset data, Pgd pgd, Integer target) {
    ModelInfo info = c.info();
    GradientEvaluationResult r;
    try (Progress bar = Progress.start("attacking", data.size(), !quiet)) {
      r = GradientEvaluation.run(c, data, pgd, target, batch, (done, total, successes) -> {
        bar.total(total);
        bar.stepTo(done, "fooled " + successes + "/" + done);
      });
    }
    if (!quiet) {
      for (GradientEvaluationResult.Outcome io : r.images()) {
        if (io.attacked() && io.success()) {
          o.printf(Locale.ROOT, "fooled #%d %s: '%s' (%.3f) -> '%s' (%.3f), L-inf %.4f, L2 %.4f%n", io.index(), io.id(),
              info.className(io.cleanClass()), io.cleanConfidence(), info.className(io.adversarialClass()),
              io.adversarialConfidence(), io.linf(), io.l2());
        }
      }
    }
    printHeader(o, info, data, r.evaluated(), r.cleanAccuracy(), r.cleanCorrect());
    o.printf(Locale.ROOT, "attack:   %s%n", Text.describe(pgd, target == null ? "untargeted"
        : "targeted at '" + info.className(target) + "'"));
    int n = r.attackedCount();
    o.printf(Locale.ROOT, "fooled:   %d of %d attacked images (%.1f%%); robust accuracy %.1f%% of attacked, "
            + "accuracy under attack %.1f%% of all images%n", r.successes(), n, n == 0 ? 0 : 100 * r.successRate(),
        n == 0 ? 100 : 100 * r.robustAccuracy(), 100 * r.accuracyUnderAttack());
    if (r.successes() > 0) {
      o.printf(Locale.ROOT, "          mean confidence of the adversarial class %.3f; mean perturbation L-inf %.4f, "
          + "L2 %.4f%n", r.meanAdversarialConfidence(), r.meanLinfOnSuccess(), r.meanL2OnSuccess());
    }
    o.printf(Locale.ROOT, "cost:     %s gradient batches in %.1f s%n", Text.count(r.gradients()), r.wallNanos() / 1e9);
    return outputs(o, ResultsJson.toJson(r), n == 0 ? 1.0 : r.robustAccuracy());
  }

  /** {@code --target all}: every correctly classified image toward every other class, and the matrix. */
  private int allTargets(PrintWriter o, Classifier c, Dataset data, SparseAttack attack) {
    if (failUnder != null || junit != null) {
      throw new InputException("--fail-under and --junit judge a single goal; they do not apply to --target all");
    }
    ModelInfo info = c.info();
    TargetedEvaluation.Result r;
    int k = info.numClasses();
    try (Progress bar = Progress.start("targeting", (long) data.size() * (k - 1), !quiet)) {
      r = TargetedEvaluation.run(c, data, attack, batch, concurrency,
          (res, done, total, successes) -> {
            bar.total(total);
            bar.step("reached " + successes + "/" + done);
          });
    }
    o.printf(Locale.ROOT, "targeted:  %d pixel%s toward every other class, at most %s queries per pair, seed %d%n",
        attack.pixels(), attack.pixels() == 1 ? "" : "s", Text.count(attack.budget()), attack.seed());
    long ok = r.results().stream().filter(PixelAttackResult::success).count();
    o.printf(Locale.ROOT, "reached:   %d of %d (image, target) pairs (%.1f%%); %d of %d images reach at least one target%n",
        ok, r.results().size(), 100 * r.successRate(), r.imagesWithAnyTarget(), r.results().size() / Math.max(1, k - 1));
    o.println("original \\ target (successes/tried):");
    int w = 10;
    StringBuilder head = new StringBuilder(String.format("%-" + w + "s", ""));
    for (int t = 0; t < k; t++) {
      head.append(String.format(" %" + w + "." + w + "s", info.className(t)));
    }
    o.println(head);
    int[][] ok2 = r.successes();
    int[][] tried = r.tried();
    for (int f = 0; f < k; f++) {
      StringBuilder row = new StringBuilder(String.format("%-" + w + "." + w + "s", info.className(f)));
      for (int t = 0; t < k; t++) {
        row.append(String.format(" %" + w + "s", tried[f][t] == 0 ? "-" : ok2[f][t] + "/" + tried[f][t]));
      }
      o.println(row);
    }
    o.printf(Locale.ROOT, "cost:      %s queries in %.1f s%n", Text.count(r.totalQueries()), r.wallNanos() / 1e9);
    if (results != null) {
      TargetedEvaluation.write(r, results);
      o.printf("results: %s%n", results);
    }
    if (report != null) {
      Path tmp = report.toAbsolutePath().resolve("results.json");
      try {
        java.nio.file.Files.createDirectories(report);
      } catch (java.io.IOException e) {
        throw new InputException("cannot create report folder " + report + ": " + e.getMessage());
      }
      TargetedEvaluation.write(r, tmp);
      o.printf("report:   %s%n", HtmlReport.write(HtmlReport.readResults(tmp), report));
    }
    return ExitCode.OK;
  }

  /** The summary's first lines, the same for every method. */
  private static void printHeader(PrintWriter o, ModelInfo info, Dataset data, int evaluated, double cleanAccuracy,
      int cleanCorrect) {
    o.printf(Locale.ROOT, "model:    %s (%s, %d classes)%n", info.name(), info.inputShape(), info.numClasses());
    o.printf(Locale.ROOT, "data:     %s, %d images%n", data.name(), evaluated);
    o.printf(Locale.ROOT, "clean:    %.1f%% correct (%d/%d); only correct images are attacked%n",
        100 * cleanAccuracy, cleanCorrect, evaluated);
  }

  private static void printSummary(PrintWriter o, EvaluationResult r, ModelInfo info, SparseAttack attack,
      Integer target, Dataset data) {
    printHeader(o, info, data, r.evaluated(), r.cleanAccuracy(), r.cleanCorrect());
    o.printf(Locale.ROOT, "attack:   %s, %d pixel%s, %s, at most %s queries per image, objective %s, seed %d%n",
        attack instanceof dev.pixelguard.attack.pixel.PixelAttack ? "su (differential evolution)" : "guided",
        attack.pixels(), attack.pixels() == 1 ? "" : "s",
        target == null ? "untargeted" : "targeted at '" + info.className(target) + "'",
        Text.count(attack.budget()), String.valueOf(attack.settings().get("objective")).split(" ")[0], attack.seed());
    int n = r.attacked().size();
    o.printf(Locale.ROOT, "flipped:  %d of %d attacked images (%.1f%%); robust accuracy %.1f%%%n", r.successes(), n,
        n == 0 ? 0 : 100 * r.successRate(), n == 0 ? 100 : 100 * r.robustAccuracy());
    if (r.successes() > 0) {
      o.printf(Locale.ROOT, "          mean confidence of the adversarial class %.3f; queries on success: mean %s, "
              + "median %s%n", r.meanAdversarialConfidence(), Text.count(Math.round(r.meanQueriesOnSuccess())),
          Text.count(Math.round(r.medianQueriesOnSuccess())));
    }
    o.printf(Locale.ROOT, "cost:     %s queries in %.1f s (%.0f%% inside the model)%n", Text.count(r.totalQueries()),
        r.wallNanos() / 1e9, r.wallNanos() == 0 ? 0 : 100.0 * r.modelNanos() / r.wallNanos());
  }
}
