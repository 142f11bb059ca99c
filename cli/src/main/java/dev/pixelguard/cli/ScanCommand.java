package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.model.AdmitsColours;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
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
        + "does it, and how far each position moves the true class's probability (the vulnerability map). It runs "
        + "through the same evaluation as evaluate, so --results, --report, --junit and --fail-under work alike."})
final class ScanCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin RunOptions run;
  @Mixin OutputOptions outputs;
  @Mixin GateOption gate;

  @Option(names = "--levels", description = "Values per channel, spread over [0,255]; 2 = corners "
      + "(8 RGB colours), 3 = 27 colours (default: ${DEFAULT-VALUE}).")
  int levels = 2;

  @Option(names = "--early-exit", description = "Stop each image at its first flip (faster; fewer flips recorded).")
  boolean earlyExit;

  @Option(names = "--target", paramLabel = "CLASS", description = "Look for flips to CLASS instead of any wrong class.")
  String target;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    outputs.journaled = true;
    outputs.check();
    PixelScan scan;
    run.execution();
    try {
      scan = new PixelScan(levels, earlyExit, run.execution().batchSize());
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage().replace("levels", "--levels"));
    }
    if (gate.given()) {
      if (target != null) {
        throw new InputException("--gate scans for harm (the gate accepts a wrong class); --target does not apply");
      }
      gate.spec(model);
    }
    Dataset data = dataOptions.load();
    try (Gate g = gate.given() ? gate.open(model, DataOptions.namesForModel(data), DataOptions.shape(data)) : null;
        Classifier c = g != null ? g.asClassifier() : model.open(DataOptions.shape(data), DataOptions.namesForModel(data))) {
      ModelInfo info = c.info();
      data = dataOptions.fit(data, g != null ? g.info() : info);
      Targets targets = g != null ? new Targets.Harm(g.abstainClass(), null)
          : target == null ? Targets.untargeted() : new Targets.Target(info.classIndex(target), null);
      ObjectNode settings = JournalFile.settings(info, data.name(), scan, Seeds.DEFAULT_ROOT, targets);
      settings.put("labelOnly", model.labelOnly);
      settings.put("gate", g == null ? "none" : g.describe());
      // The results file first: a journal is left behind only by a run that got as far as the work.
      try (dev.pixelguard.io.ResultsJson.Writer stream = outputs.stream();
          JournalFile journal = outputs.openJournal(settings)) {
        EvaluationResult r = Evaluations.run("scanning", Evaluation.of(c, data, scan).targets(targets)
            .execution(run.execution(info)).journal(journal).sink(stream), data, false,
            run.console(spec), (i, a) -> vulnerable(i, a, info));
        // a gate whose filters let some pixels through only within a box: the scan covers each box too
        Image first = data.get(0).image();
        boolean boxes = c.unwrap(AdmitsColours.class).map(a -> !a.admitted(first).isFull()).orElse(false);
        return report(o, r, g, info, journal, scan.colours(info.channels()).size(), boxes);
      }
    }
  }

  /** Prints the scan's outcome, writes its outputs and ends the journal; returns the exit code. */
  private int report(PrintWriter o, EvaluationResult r, Gate g, ModelInfo info, JournalFile journal, int colours,
      boolean boxes) {
    if (journal != null) {
      OutputOptions.printResumed(o, "attempts", List.of(journal), journal.file().toString());
    }
    Summary s = r.summary();
    if (g != null) {
      o.printf(Locale.ROOT, "gate:     %s%n", g.describe());
    }
    o.printf(Locale.ROOT, "scanned:  %d %s of %d images, %d positions x %d colours each%s%n",
        s.attacked(), g != null ? "accepted and correctly classified" : "correctly classified", s.evaluated(),
        info.width() * info.height(), colours, boxes ? ", and the same grid inside each box of colours the gate's "
            + "filters let through (where it is not the whole cube)" : "");
    o.printf(Locale.ROOT, "result:   %d of %d %s (%.1f%%) for this colour grid%n", s.successes(), s.attacked(),
        g != null ? "have a pixel the gate accepts a wrong class for" : "are one-pixel vulnerable",
        s.attacked() == 0 ? 0.0 : 100.0 * s.successRate());
    Evaluations.printCost(o, r);
    int code = outputs.write(o, spec.commandLine().getErr(), r);
    if (journal != null) {
      journal.finish(); // every output is written
    }
    return code;
  }

  /** "vulnerable #6 fashion-mnist-test#6: 2 positions, 3 flipping changes; e.g. (26,10) -> 255 makes 'Shirt' (0.610)". */
  private static String vulnerable(int index, AttackResult a, ModelInfo info) {
    ScanFindings f = a.findings();
    if (!f.vulnerable()) {
      return null;
    }
    ScanFindings.Flip first = f.flips().get(0);
    return String.format(Locale.ROOT, "vulnerable #%d %s: %d position%s, %d flipping change%s%s; e.g. (%d,%d) -> %s "
            + "makes '%s' (%.3f)", index, a.imageId(), f.vulnerablePositions(), f.vulnerablePositions() == 1 ? "" : "s",
        f.flips().size(), f.flips().size() == 1 ? "" : "s", f.complete() ? "" : " (early exit)", first.x(), first.y(),
        Text.colour(first.colour()), info.className(first.adversarialClass()), first.confidence());
  }
}
