package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.report.VerificationReport;
import dev.pixelguard.verify.Counterexample;
import dev.pixelguard.verify.ImageVerdict;
import dev.pixelguard.verify.PixelVerifier;
import dev.pixelguard.verify.VerificationJson;
import dev.pixelguard.verify.VerificationResult;
import dev.pixelguard.verify.Verdict;
import dev.pixelguard.verify.VerifySettings;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard verify}: proofs that no single pixel, of any colour, flips an image, or a counterexample. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Prove that no single pixel, of any colour, changes the model's class, or find one that does.",
        "For each correctly classified image: robust (proven for every position and every colour of the continuous "
        + "colour cube, which holds every 8-bit colour), vulnerable (a pixel and an 8-bit colour that flip it, "
        + "rechecked on the model) or unknown (time ran out; the positions cleared so far are reported). It attacks "
        + "first (the guided search), then bounds the model's margin over each position's colour box with bound "
        + "propagation through the model's own weights and splits the box where the bound is not enough. Reads ONNX "
        + "models, pixelguard networks and builtin: models; the proof is about the model in exact arithmetic, with "
        + "--margin logits to spare for the engine's float rounding. See docs/verification.md."})
final class VerifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin SeedOption seed;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Wall time per image; an image not decided by "
      + "then is unknown (default: ${DEFAULT-VALUE}).")
  double timeout = 60;

  @Option(names = "--margin", paramLabel = "LOGITS", description = "Logits the true class must keep over every other, "
      + "everywhere, for a position to be proven (default: ${DEFAULT-VALUE}); covers float32 rounding in the engine.")
  double margin = VerifySettings.DEFAULT.margin();

  @Option(names = "--workers", paramLabel = "N", description = "Positions bounded at once (default: ${DEFAULT-VALUE}).")
  int workers = VerifySettings.DEFAULT.threads();

  @Option(names = "--error-symbols", paramLabel = "N", description = "Per bound pass, give up to N unstable ReLUs an "
      + "error term of their own (DeepZ) instead of widening every later bound: much tighter bounds on deep networks "
      + "for narrow colour boxes, each costing a row in every later layer (default: ${DEFAULT-VALUE}; "
      + "docs/verification.md).")
  int errorSymbols = VerifySettings.DEFAULT.errorSymbols();

  @Option(names = "--results", paramLabel = "FILE", description = "Write every verdict, counterexample and margin "
      + "map as JSON (format in docs/verification.md).")
  Path results;

  @Option(names = "--report", paramLabel = "DIR", description = "Write DIR/verification.html: the summary and, per "
      + "image, the verdict, the counterexample and the map of certified lower bounds on the margin.")
  Path report;

  @Option(names = "--quiet", description = "No per-image lines, only the summary.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    if (!(timeout >= 0.001) || Double.isInfinite(timeout)) { // whole milliseconds: 1e-9 would be none at all
      throw new InputException("--timeout must be a number of seconds, at least 0.001, was " + given("--timeout"));
    }
    VerifySettings settings;
    try {
      settings = new VerifySettings(margin, Duration.ofMillis(Math.round(timeout * 1000)), workers,
          VerifySettings.DEFAULT.minWidth(), VerifySettings.DEFAULT.batchSize(), seed.seed, errorSymbols);
    } catch (InputException e) {
      throw new InputException(e.getMessage().replace("threads", "--workers").replace("margin must", "--margin must")
          .replace("error symbols must", "--error-symbols must"));
    }
    CliFiles.requireWritable(results);
    CliFiles.requireWritableFolder(report);
    model.refuseDefence("verify proves the bare network; certify proves a defended one");
    Dataset data = dataOptions.load();
    ModelGraph graph = Models.graph(ModelRequest.builder(model.location()).spec(model.descriptor())
        .backend(model.backend).build());
    Net net = OnnxNets.read(graph);
    try (Classifier c = model.open(DataOptions.shape(data), DataOptions.namesForModel(data));
        PixelVerifier verifier = new PixelVerifier(net, c, settings)) {
      ModelInfo info = c.info();
      data = dataOptions.fit(data, info);
      if (net.inputShape().c() != info.channels() || net.inputShape().h() != info.height()
          || net.inputShape().w() != info.width() || net.classes() != info.numClasses()) {
        throw new InputException("the model's graph takes " + net.inputShape() + " and gives " + net.classes()
            + " classes, but the model reports " + info.inputShape() + " and " + info.numClasses());
      }
      List<ImageVerdict> verdicts = new ArrayList<>();
      List<Image> images = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        LabeledImage im = data.get(i);
        ImageVerdict v = verifier.verify(i, im.id(), im.image(), im.label());
        verdicts.add(v);
        images.add(im.image());
        if (!quiet) {
          o.println(line(v, info));
          o.flush();
        }
      }
      VerificationResult r = new VerificationResult(model.name(), data.name(), info.classNames(), info.width(),
          info.height(), settings.describe(), net.describe(), verdicts);
      long correct = r.images().size() - r.count(Verdict.MISCLASSIFIED);
      o.printf(Locale.ROOT, "verified: %d correctly classified of %d images (%s, %d positions each)%n", correct,
          r.images().size(), info.inputShape(), info.width() * info.height());
      o.printf(Locale.ROOT, "result:   %d robust, %d vulnerable, %d unknown%n", r.count(Verdict.ROBUST),
          r.count(Verdict.VULNERABLE), r.count(Verdict.UNKNOWN));
      o.printf(Locale.ROOT, "accuracy: clean %.1f%%, certified robust %.1f%% (proven), empirical robust %.1f%% (no "
          + "counterexample found)%n", 100 * r.cleanAccuracy(), 100 * r.certifiedAccuracy(), 100 * r.empiricalAccuracy());
      o.printf(Locale.ROOT, "time:     %.2f s per correctly classified image (%.2f s per decided one)%n",
          r.meanSeconds(), r.meanSecondsDecided());
      if (results != null) {
        VerificationJson.write(r, results);
        o.println("results:  " + results);
      }
      if (report != null) {
        o.println("report:   " + VerificationReport.write(r, images, report));
      }
      return ExitCode.OK;
    }
  }

  /** The value of option {@code name} as the user wrote it. */
  private String given(String name) {
    var option = spec.commandLine().getParseResult().matchedOption(name);
    return option == null ? "its default" : option.stringValues().get(0);
  }

  private static String line(ImageVerdict v, ModelInfo info) {
    String head = String.format(Locale.ROOT, "%-13s #%d %s", v.verdict().key(), v.index(), v.id());
    return switch (v.verdict()) {
      case ROBUST -> String.format(Locale.ROOT, "%s: all %d positions proven, the true class ahead by at least %.3g "
          + "logits everywhere (a certified lower bound, not the model's smallest margin) (%.2f s)", head, v.cleared(),
          v.smallestMargin(), v.seconds());
      case VULNERABLE -> {
        Counterexample c = v.counterexample();
        yield String.format(Locale.ROOT, "%s: (%d,%d) -> %s makes '%s', found by %s (%.2f s)", head, c.x(), c.y(),
            Text.colour(c.colour()), info.className(c.newClass()), c.found(), v.seconds());
      }
      case UNKNOWN -> String.format(Locale.ROOT, "%s: %d positions proven; %s (%.2f s)", head, v.cleared(), v.note(),
          v.seconds());
      case MISCLASSIFIED -> String.format(Locale.ROOT, "%s: not verified, %s", head, v.note());
    };
  }
}
