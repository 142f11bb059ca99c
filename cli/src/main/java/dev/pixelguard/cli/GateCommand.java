package dev.pixelguard.cli;

import dev.pixelguard.io.GateFile;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.defence.RiskCoverage;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard gate}: the safe-fallback gate. */
@Command(name = "gate", mixinStandardHelpOptions = true,
    description = {"The safe-fallback gate: accept a prediction or abstain. 'gate fit' fits one and writes gate.json;",
        "'predict --gate' and 'evaluate --gate' use it (docs/defences.md)."},
    subcommands = {GateCommand.Fit.class, CommandLine.HelpCommand.class})
final class GateCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: gate fit");
  }

  /** {@code pixelguard gate fit}. */
  @Command(name = "fit", mixinStandardHelpOptions = true,
      description = {"Fit a safe-fallback gate on labelled images and write it as gate.json.",
          "Each model is calibrated (temperature scaling by NLL on the fit images) and looked at plain and through "
              + "every --view transform; the views are fused by --fusion; the squeeze detector's threshold is set "
              + "for --squeeze-fpr false positives and the confidence threshold for --coverage, both on the fit "
              + "images only. Then it reports clean coverage, selective risk (error among accepted images) and the "
              + "risk-coverage curve on the --report-on images, which never overlap the fit images."})
  static final class Fit implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", required = true,
        description = "A model of the gate (repeat for redundancy; the first is the reference). Conventions come from "
            + "the descriptor beside each model (docs/model-descriptor.md).")
    List<String> models = new ArrayList<>();

    @Option(names = "--view", paramLabel = "SPEC",
        description = "A transform every model is also looked at through (repeatable): crop:P, rescale:F, blur:SIGMA, "
            + "jpeg:Q, median:S, impulse:T (replaces only outlier pixels), bitdepth:B, or a chain such as "
            + "median:2,jpeg:75.")
    List<String> views = new ArrayList<>();

    @Option(names = "--frame-view", paramLabel = "M[:SPEC]",
        description = "Also look at another frame of the scene (a second camera's), which an attacker of the image "
            + "does not control: model M (its position among -m, from 0), plain or through a transform, e.g. 0 or "
            + "1:impulse:0.3 (repeatable). The gate then decides on the image and that frame together.")
    List<String> frameViews = new ArrayList<>();

    @Option(names = "--second-frame", paramLabel = "SPEC",
        description = "With --frame-view: how the fit and report images' second frames are simulated from each "
            + "clean image: shift:S (an offset of up to S pixels, drawn per image, edges replicated), noise:N "
            + "(Gaussian sensor noise in 8-bit levels), then rounded to 8 bits; seeded by --seed and the image. "
            + "Default: shift:1,noise:2.")
    String secondFrame;

    @Option(names = "--fusion", paramLabel = "RULE",
        description = "How views are fused: all-agree (every view must put the same class on top), majority, or "
            + "product (of calibrated probabilities). Default: ${DEFAULT-VALUE}.")
    String fusion = "all-agree";

    @Option(names = "--alarm", description = "Abstain whenever any view disagrees, whatever the fusion rule.")
    boolean alarm;

    @Option(names = "--coverage", paramLabel = "C",
        description = "Target clean coverage on the fit images, in (0, 1] (default: ${DEFAULT-VALUE}).")
    double coverage = 0.9;

    @Option(names = "--squeeze-fpr", paramLabel = "F",
        description = "Turn the squeeze detector on, its threshold flagging at most this share of clean fit images.")
    Double squeezeFpr;

    @Option(names = "--no-calibrate", negatable = false, description = "Do not fit temperatures.")
    boolean noCalibrate;

    @Option(names = "--fallback", paramLabel = "POLICY",
        description = "What to do on abstention: abstain (hand over; default) or class:NAME (act on a safe class).")
    String fallback = "abstain";

    @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", required = true,
        description = "Labelled images to fit on and report on.")
    Path dataset;

    @Mixin SplitOptions splitOptions;

    @Mixin SeedOption seed;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.json", required = true, description = "Where to write the gate.")
    Path out;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      if (!(coverage > 0 && coverage <= 1)) {
        throw new InputException("--coverage must be in (0, 1], was " + coverage);
      }
      if (squeezeFpr != null && !(squeezeFpr >= 0 && squeezeFpr < 1)) {
        throw new InputException("--squeeze-fpr must be in [0, 1), was " + squeezeFpr);
      }
      Gate.Fusion rule = Gate.Fusion.parse(fusion);
      views.forEach(dev.pixelguard.transform.Transforms::parse);
      List<GateSpec.FrameView> frames = frameViews.stream().map(GateSpec.FrameView::parse).toList();
      for (GateSpec.FrameView f : frames) {
        if (f.model() >= models.size()) {
          throw new InputException("--frame-view " + f.describe() + " names model " + f.model() + " but there are "
              + models.size() + " -m, numbered from 0");
        }
      }
      if (secondFrame != null && frames.isEmpty()) {
        throw new InputException("--second-frame simulates the frame that --frame-view looks at; give --frame-view");
      }
      Camera camera = frames.isEmpty() ? null : Camera.parse(secondFrame == null ? "" : secondFrame, seed.seed);
      CliFiles.requireWritable(out);
      splitOptions.check();
      Dataset all = CliFiles.datasetOrSamples(dataset);
      Split split = splitOptions.of(all, "fitting a gate");
      GateFit.Request request = GateFit.Request.builder(models).views(views).fusion(rule).alarm(alarm)
          .calibrate(!noCalibrate).coverage(coverage).squeezeFpr(squeezeFpr == null ? Double.NaN : squeezeFpr)
          .fallback(fallback).seed(seed.seed).frameViews(frames, camera).build();
      GateFit.Result fitted = GateFit.fit(request, split.fit());
      GateSpec gs = fitted.spec();
      try (Gate gate = gs.open(all.classNames(), DataOptions.shape(all))) {
        ModelInfo info = gate.info();
        gs.fallback(info); // refuses an unknown class name before anything is written
        GateFit.Figures report = GateFit.measure(gate, split.report(), camera);
        o.printf(Locale.ROOT, "gate:      %s%n", gate.describe());
        if (camera != null) {
          o.printf(Locale.ROOT, "frames:    %s (fit and report images)%n", camera.describe());
        }
        for (GateSpec.Member m : gs.models()) {
          o.printf(Locale.ROOT, "model:     %s%s%n", m.location(), Double.isNaN(m.temperature()) ? ""
              : String.format(Locale.ROOT, ", temperature %.4f (NLL-optimal on the fit images)", m.temperature()));
        }
        o.printf(Locale.ROOT, "fit:       %s: %s%n", split.fit().name(), fitted.onFit().describe());
        o.printf(Locale.ROOT, "report:    %s: %s%n", split.report().name(), report.describe());
        o.printf(Locale.ROOT, "           without the gate the reference model errs on %.1f%% (%d of %d)%n",
            100.0 * report.modelErrors() / Math.max(1, report.images()), report.modelErrors(), report.images());
        o.println("risk-coverage on the report images (moving the confidence threshold, other checks fixed):");
        for (double c : new double[] {1.0, 0.95, 0.9, 0.85, 0.8, 0.7}) {
          RiskCoverage.Point p = pointAt(report.curve(), c);
          if (p != null) {
            o.printf(Locale.ROOT, "           coverage %5.1f%%  risk %5.2f%%  (confidence >= %.4f)%n",
                100 * p.coverage(), 100 * p.risk(), p.threshold());
          }
        }
        GateFile.write(gs, out);
        o.printf("wrote:     %s%n", out);
      }
      return ExitCode.OK;
    }

    /** The curve's point of largest coverage at most {@code c}, or null. */
    private static RiskCoverage.Point pointAt(List<RiskCoverage.Point> curve, double c) {
      for (RiskCoverage.Point p : curve) {
        if (p.coverage() <= c + 1e-12) {
          return p;
        }
      }
      return null;
    }
  }
}
