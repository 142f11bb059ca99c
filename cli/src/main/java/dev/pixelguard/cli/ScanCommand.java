package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.attack.scan.ScanJson;
import dev.pixelguard.attack.scan.ScanResult;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
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

/** {@code pixelguard scan}: the exhaustive one-pixel oracle over a dataset. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {"Find every one-pixel weakness: try every position with every colour of a grid.",
        "The grid defaults to the colour cube's corners (--levels 3 for 27 colours). This is the ground truth for "
        + "one-pixel attacks: which correctly classified images one pixel can flip, every position and colour that "
        + "does it, and how far each position moves the true class's probability (the vulnerability map)."})
final class ScanCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;

  @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", description = "Dataset (default: the embedded samples).")
  Path dataset;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Scan only the first N images.")
  Integer limit;

  @Option(names = "--levels", description = "Values per channel, spread over [0,255]; 2 = corners "
      + "(8 RGB colours), 3 = 27 colours (default: ${DEFAULT-VALUE}).")
  int levels = 2;

  @Option(names = "--early-exit", description = "Stop each image at its first flip (faster; fewer flips recorded).")
  boolean earlyExit;

  @Option(names = "--target", paramLabel = "CLASS", description = "Look for flips to CLASS instead of any wrong class.")
  String target;

  @Option(names = "--results", paramLabel = "FILE.json", description = "Write flips and vulnerability maps as JSON.")
  Path results;

  @Option(names = "--report", paramLabel = "DIR", description = "Write a self-contained HTML report with vulnerability maps.")
  Path report;

  @Option(names = "--batch", description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batch = 400;

  @Option(names = "--quiet", description = "No progress bar and no per-image lines.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    CliFiles.requireFolders(results, report);
    PixelScan scan;
    try {
      scan = new PixelScan(levels, earlyExit, batch);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    Dataset data = CliFiles.datasetOrSamples(dataset);
    if (limit != null) {
      data = data.limit(Math.max(1, limit));
    }
    Image first = data.get(0).image();
    try (Classifier c = model.open(new int[] {first.channels(), first.height(), first.width()}, data.classNames())) {
      ModelInfo info = c.info();
      Integer t = target == null ? null : info.classIndex(target);
      List<Scores> clean = CleanPass.score(c, data, batch);
      List<PixelScan.Task> tasks = new ArrayList<>();
      List<Integer> indices = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        var li = data.get(i);
        if (li.hasLabel() && clean.get(i).top(0) == li.label() && (t == null || t != li.label())) {
          tasks.add(new PixelScan.Task(li.id(), li.image(), t == null ? new Goal.Untargeted(li.label()) : new Goal.Targeted(t)));
          indices.add(i);
        }
      }
      long t0 = System.nanoTime();
      List<ScanResult> rs;
      int[] vulnerable = {0, 0};
      try (Progress bar = Progress.start("scanning", tasks.size(), !quiet)) {
        rs = scan.run(c, tasks, batch, 2, r -> {
          vulnerable[1]++;
          if (r.vulnerable()) {
            vulnerable[0]++;
          }
          bar.step("vulnerable " + vulnerable[0] + "/" + vulnerable[1]);
        });
      }
      int colours = scan.colours(first.channels()).size();
      if (!quiet) {
        for (int i = 0; i < rs.size(); i++) {
          ScanResult r = rs.get(i);
          if (r.vulnerable()) {
            ScanResult.Flip f = r.flips().get(0);
            o.printf(Locale.ROOT, "vulnerable #%d %s: %d position%s, %d flipping change%s%s; e.g. (%d,%d) -> %s makes '%s' (%.3f)%n",
                indices.get(i), r.imageId(), r.vulnerablePositions(), r.vulnerablePositions() == 1 ? "" : "s",
                r.flips().size(), r.flips().size() == 1 ? "" : "s", r.complete() ? "" : " (early exit)", f.x(), f.y(),
                Text.colour(f.colour()), info.className(f.adversarialClass()), f.confidence());
          }
        }
      }
      long vul = rs.stream().filter(ScanResult::vulnerable).count();
      o.printf(Locale.ROOT, "scanned:  %d correctly classified of %d images, %d positions x %d colours each%n",
          rs.size(), data.size(), first.width() * first.height(), colours);
      o.printf(Locale.ROOT, "result:   %d of %d are one-pixel vulnerable (%.1f%%) for this colour grid%n", vul, rs.size(),
          rs.isEmpty() ? 0.0 : 100.0 * vul / rs.size());
      o.printf(Locale.ROOT, "cost:     %s queries in %.1f s%n", Text.count(rs.stream().mapToLong(ScanResult::queries).sum()),
          (System.nanoTime() - t0) / 1e9);
      var tree = ScanJson.toJson(info, data.name(), scan, indices, rs, tasks.stream().map(PixelScan.Task::image).toList());
      if (results != null) {
        ScanJson.write(tree, results);
        o.printf("results: %s%n", results);
      }
      if (report != null) {
        o.printf("report:   %s%n", dev.pixelguard.report.HtmlReport.write(tree, report));
      }
    }
    return ExitCode.OK;
  }
}
