package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.Printability;
import dev.pixelguard.attack.patch.Sticker;
import dev.pixelguard.attack.patch.StickerEvaluation;
import dev.pixelguard.attack.patch.StickerFiles;
import dev.pixelguard.attack.patch.StickerRestarts;
import dev.pixelguard.attack.patch.StickerSearch;
import dev.pixelguard.attack.patch.StickerSettings;
import dev.pixelguard.attack.patch.StickerTrainer;
import dev.pixelguard.attack.patch.TrainedSticker;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.Split;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pixelguard sticker}: universal adversarial stickers under random viewing conditions. */
@Command(name = "sticker", mixinStandardHelpOptions = true,
    description = {"Learn a universal sticker that makes a model predict a chosen class wherever it is stuck on an "
        + "image and however the camera sees it (expectation over transformation), and evaluate it on held-out "
        + "images under transformations drawn independently of training. See docs/attacks.md."},
    subcommands = {StickerCommand.Train.class, StickerCommand.Evaluate.class})
final class StickerCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: sticker train or sticker evaluate");
  }

  /** The model or the gate as one classifier, and what to close. */
  private record Opened(Classifier classifier, Gate gate, String name) implements AutoCloseable {
    @Override
    public void close() {
      try (Gate g = gate; Classifier c = classifier) {
        // closes both
      }
    }
  }

  private static Opened open(ModelOptions model, GateOption gate, Dataset data) {
    if (gate.given()) {
      Gate g = gate.open(model, DataOptions.namesForModel(data), DataOptions.shape(data));
      try {
        return new Opened(g.asClassifier(), g, "gate " + gate.file.getFileName());
      } catch (RuntimeException e) {
        g.close();
        throw e;
      }
    }
    return new Opened(model.open(DataOptions.shape(data), DataOptions.namesForModel(data)), null, model.name());
  }

  /** {@code --dataset}: the labelled images both subcommands take their --report-on images from. */
  static final class LabelledDataset {
    @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", required = true, description = "Labelled images.")
    Path path;

    Dataset open() {
      return dev.pixelguard.data.Datasets.open(path);
    }
  }

  /** {@code pixelguard sticker train}. */
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = {"Learn a universal sticker on the --fit-on images and write it as a PNG (exact values), a print "
          + "version and a JSON file of its settings and seeds.",
          "With a model that gives gradients (TorchScript, pixelguard's networks) it follows them through the "
              + "placement and camera (through JPEG: the transpose of its chroma subsampling); otherwise (ONNX, a "
              + "server, a gate) it searches with queries only. Each step draws a fresh rotation, scale, position, "
              + "brightness, contrast, blur, noise and JPEG quality for every image."})
  static final class Train implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin GateOption gate;
    @Mixin ConditionsOptions conditions;

    @Mixin LabelledDataset dataset;

    @Mixin SplitOptions splitOptions;

    @Option(names = "--target", paramLabel = "CLASS", description = "The class the sticker should make the model "
        + "predict (name or number).")
    String target;

    @Option(names = "--untargeted", description = "Aim at any wrong class instead (through a gate: an accepted wrong "
        + "class).")
    boolean untargeted;

    @Option(names = "--size", paramLabel = "PIXELS", description = "The sticker's side (default: ${DEFAULT-VALUE}).")
    int size = 6;

    @Option(names = "--method", paramLabel = "gradient|search", description = "gradient (white-box) or search "
        + "(queries only); default: gradient when the model gives gradients, else search.")
    String method;

    @Option(names = "--steps", paramLabel = "N", description = "Gradient steps or search iterations (default: 300).")
    int steps = 300;

    @Option(names = "--batch", paramLabel = "N", description = "Images per gradient step, or the search's fixed "
        + "scoring images (default: 32).")
    int batch = 32;

    @Option(names = "--eot-samples", paramLabel = "N", description = "Transformation draws per image (default: 1).")
    int eotSamples = 1;

    @Option(names = "--tv", paramLabel = "W", description = "Weight of the total variation term (default: 0.01).")
    double tv = 0.01;

    @Option(names = "--nps", paramLabel = "W", description = "Weight of the non-printability score (default: 0.01).")
    double nps = 0.01;

    @Option(names = "--palette", paramLabel = "FILE", description = "Printable colours, one per line (#rrggbb or "
        + "0-255 values); default: a stand-in grid (docs/attacks.md).")
    Path palette;

    @Option(names = "--optimizer", paramLabel = "adam|sign", description = "Gradient method's steps (default: adam).")
    String optimizer = "adam";

    @Option(names = "--loss", paramLabel = "ce|probability", description = "Gradient method's loss per image: the "
        + "target's cross-entropy (ce, default) or minus its probability (probability: a smooth count of the images "
        + "fooled).")
    String loss = "ce";

    @Option(names = "--average", description = "Gradient method: return the moving average of the last ~50 "
        + "iterates (Polyak averaging) instead of the last one.")
    boolean average;

    @Option(names = "--jpeg-gradient", paramLabel = "chroma|identity", description = "Gradient method's backward "
        + "pass through the JPEG step: chroma (default; RGB: the transpose of JPEG's 4:2:0 chroma subsampling, so "
        + "colour finer than 2x2 pixels gets no gradient of its own) or identity (straight through).")
    String jpegGradient = "chroma";

    @Option(names = "--lr", paramLabel = "RATE", description = "Step size in [0,1] pixel units (default: 0.02).")
    double lr = 0.02;

    @Option(names = "--square-share", paramLabel = "P", description = "Search: initial window as a share of the "
        + "sticker (default: 0.3).")
    double squareShare = 0.3;

    @Option(names = "--restarts", paramLabel = "N", description = "Learn N stickers from seeds SEED, SEED+1, ... and "
        + "keep the one that reaches the goal on the most --fit-on views (one fresh draw per image, from a stream "
        + "neither training nor evaluation uses); N times the cost, plus two model calls per --fit-on image and "
        + "restart to judge them (default: 1).")
    int restarts = 1;

    @Option(names = "--print-scale", paramLabel = "N", description = "Print version: each sticker pixel as NxN "
        + "pixels (default: 40).")
    int printScale = 40;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE.png", required = true,
        description = "The sticker's PNG; FILE.print.png and FILE.json are written beside it.")
    Path out;

    @Mixin SeedOption seed;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
        throw new InputException("--out must name a .png file, was " + out);
      }
      CliFiles.requireWritable(out, StickerFiles.printFile(out), StickerFiles.settingsFile(out));
      if (untargeted == (target != null)) {
        throw new InputException("give --target CLASS or --untargeted");
      }
      if (method != null && !method.equals("gradient") && !method.equals("search")) {
        throw new InputException("--method is gradient or search, was '" + method + "'");
      }
      if (restarts < 1 || restarts > StickerRestarts.MAX) {
        throw new InputException("--restarts must be from 1 to " + StickerRestarts.MAX + ", was " + restarts);
      }
      if (printScale < 1 || printScale > 1000) {
        throw new InputException("--print-scale must be from 1 to 1000, was " + printScale);
      }
      StickerSettings.Builder settingsOf = settings();
      Conditions cond = conditions.conditions();
      if (gate.given()) {
        gate.spec(model);
      }
      splitOptions.check();
      Dataset all = dataset.open();
      Split split = splitOptions.of(all, "a sticker");
      try (Opened m = open(model, gate, all)) {
        ModelInfo info = m.classifier().info();
        Dataset fit = new DataOptions().fit(split.fit(), gate.given() ? m.gate().info() : info);
        int tgt = untargeted ? -1 : (gate.given() ? m.gate().info() : info).classIndex(target);
        Printability pal = palette == null ? null : Printability.read(palette, info.channels());
        StickerSettings settings = settingsOf.target(tgt).conditions(cond).palette(pal).build();
        // Checks the sticker fits (and the region has room) before any model work.
        cond.check(size, info.height(), info.width());
        boolean hasGradients = m.classifier() instanceof GradientClassifier;
        String how = method != null ? method : hasGradients ? "gradient" : "search";
        if (how.equals("gradient") && !hasGradients) {
          throw new InputException(m.name() + " gives no gradients; use --method search (queries only)");
        }
        o.printf(Locale.ROOT, "model:      %s%n", m.gate() != null ? m.gate().describe() : m.name());
        o.printf(Locale.ROOT, "sticker:    %dx%d (%.1f%% of a %dx%d image), %s%n", size, size,
            100.0 * size * size / (info.height() * info.width()), info.width(), info.height(),
            tgt < 0 ? "untargeted" : "target '" + info.className(tgt) + "' (" + tgt + ")");
        o.printf(Locale.ROOT, "learn on:   %s (%d images); kept apart: %s%n", fit.name(), fit.size(),
            split.reportRange());
        o.printf(Locale.ROOT, "conditions: %s%n", cond.describe());
        Learned l = learn(o, m, fit, settings, how, tgt < 0 ? "a wrong class" : "'" + info.className(tgt) + "'");
        write(o, l, settings, split, tgt, info);
      }
      return ExitCode.OK;
    }

    /** The settings of the options that need no model: all but the target, the conditions and the palette. */
    private StickerSettings.Builder settings() {
      StickerSettings.Optimizer opt = switch (optimizer.toLowerCase(Locale.ROOT)) {
        case "adam" -> StickerSettings.Optimizer.ADAM;
        case "sign" -> StickerSettings.Optimizer.SIGN;
        default -> throw new InputException("--optimizer is adam or sign, was '" + optimizer + "'");
      };
      StickerSettings.GoalLoss goalLoss = switch (loss.toLowerCase(Locale.ROOT)) {
        case "ce" -> StickerSettings.GoalLoss.CROSS_ENTROPY;
        case "probability" -> StickerSettings.GoalLoss.PROBABILITY;
        default -> throw new InputException("--loss is ce or probability, was '" + loss + "'");
      };
      StickerSettings.JpegGradient jpegBackward = switch (jpegGradient.toLowerCase(Locale.ROOT)) {
        case "chroma" -> StickerSettings.JpegGradient.CHROMA;
        case "identity" -> StickerSettings.JpegGradient.IDENTITY;
        default -> throw new InputException("--jpeg-gradient is chroma or identity, was '" + jpegGradient + "'");
      };
      return StickerSettings.builder(size).steps(steps).batch(batch).eotSamples(eotSamples).tvWeight(tv)
          .npsWeight(nps).optimizer(opt).learningRate(lr).squareShare(squareShare).seed(seed.seed).goalLoss(goalLoss)
          .average(average).jpegGradient(jpegBackward);
    }

    /** A learned sticker: the one kept, the restarts it was chosen from (null for one), and the cost. */
    private record Learned(TrainedSticker sticker, StickerRestarts.Result restarts, long modelImages) {}

    /** Learns the sticker, or the best of --restarts, printing progress. */
    private Learned learn(PrintWriter o, Opened m, Dataset fit, StickerSettings settings, String how, String goal) {
      PrintWriter err = spec.commandLine().getErr();
      int every = Math.max(1, steps / 10);
      java.util.function.Consumer<TrainedSticker.Step> progress = st -> {
        if (st.step() % every == 0 || st.step() == steps) {
          err.printf(Locale.ROOT, "step %d/%d: goal loss %.4f, reached %.1f%% of the step's images, TV %.4f, NPS %.4f%n",
              st.step(), steps, st.goalLoss(), 100 * st.reached(), st.totalVariation(), st.nonPrintability());
          err.flush();
        }
      };
      java.util.function.Function<StickerSettings, TrainedSticker> learn = how.equals("gradient")
          ? st -> StickerTrainer.train((GradientClassifier) m.classifier(), fit.images(), st, progress)
          : st -> StickerSearch.train(m.classifier(), fit.images(), st, Objective.LOG_PROBABILITY, progress);
      if (restarts == 1) {
        TrainedSticker t = learn.apply(settings);
        return new Learned(t, null, t.modelImages());
      }
      StickerRestarts.Result chosen = StickerRestarts.best(m.classifier(), fit.images(), settings, restarts, learn,
          c -> {
            o.printf(Locale.ROOT, "restart %d/%d (seed %d): reaches %s on %d of %d training views (%.1f%%)%n",
                c.restart() + 1, restarts, c.seed(), goal, c.reached(), c.eligible(), 100 * c.share());
            o.flush();
          });
      return new Learned(chosen.best(), chosen, chosen.modelImages());
    }

    /** Writes the sticker, its print version and its settings file, and prints what was learned. */
    private void write(PrintWriter o, Learned l, StickerSettings settings, Split split, int tgt, ModelInfo info) {
      TrainedSticker t = l.sticker();
      StickerRestarts.Result chosen = l.restarts();
      Sticker saved = t.sticker().rounded();
      Printability used = settings.paletteFor(info.channels());
      Map<String, Object> about = new LinkedHashMap<>();
      about.put("model", gate.given() ? "gate " + gate.file : model.location());
      about.put("dataset", dataset.path.toString());
      about.put("fitOn", split.fitRange().toString());
      about.put("reportOn", split.reportRange().toString());
      about.put("target", tgt);
      about.put("targetName", tgt < 0 ? null : info.className(tgt));
      about.put("method", t.method());
      about.put("modelImages", l.modelImages());
      about.put("settings", t.settings().parameters());
      if (chosen != null) {
        about.put("restarts", restarts(chosen, settings));
      }
      TrainedSticker.Step last = t.history().get(t.history().size() - 1);
      Map<String, Object> fin = new LinkedHashMap<>();
      fin.put("goalLoss", last.goalLoss());
      fin.put("reachedOnLastStep", last.reached());
      fin.put("totalVariation", Printability.totalVariation(saved, null, 0));
      fin.put("nonPrintability", used.nonPrintability(saved, null, 0));
      fin.put("meanDistanceToPalette", used.meanDistanceToPalette(saved));
      about.put("final", fin);
      StickerFiles.write(out, saved, printScale, about);
      o.printf(Locale.ROOT, "learned:    %s, %d steps%s, %,d images through the model (%s)%n", t.method(), steps,
          restarts == 1 ? "" : " x " + restarts + " restarts", l.modelImages(),
          t.method().equals("search") ? "queries" : "forward and backward passes");
      if (chosen != null) {
        StickerRestarts.Candidate c = chosen.chosenCandidate();
        o.printf(Locale.ROOT, "chosen:     restart %d (seed %d), %.1f%% of the training views (judged with %,d "
            + "images through the model); the held-out images played no part%n", c.restart() + 1, c.seed(),
            100 * c.share(), chosen.selectionImages());
      }
      o.printf(Locale.ROOT, "printable:  TV %.4f, NPS %.4f, mean distance to the nearest palette colour %.3f%n",
          Printability.totalVariation(saved, null, 0), used.nonPrintability(saved, null, 0),
          used.meanDistanceToPalette(saved));
      o.printf("wrote:      %s, %s, %s%n", out, StickerFiles.printFile(out), StickerFiles.settingsFile(out));
    }

    /** The restarts' record in the settings file: every candidate and the one chosen. */
    private Map<String, Object> restarts(StickerRestarts.Result chosen, StickerSettings settings) {
      Map<String, Object> rs = new LinkedHashMap<>();
      rs.put("count", restarts);
      rs.put("chosenSeed", chosen.chosenCandidate().seed());
      rs.put("selectionSeed", StickerRestarts.selectionSeed(settings.seed()));
      rs.put("selectionImages", chosen.selectionImages());
      List<Map<String, Object>> cs = new java.util.ArrayList<>();
      for (StickerRestarts.Candidate c : chosen.candidates()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("seed", c.seed());
        cm.put("reachedOnTrainingViews", c.reached());
        cm.put("eligibleTrainingViews", c.eligible());
        cs.add(cm);
      }
      rs.put("candidates", cs);
      return rs;
    }
  }

  /** {@code pixelguard sticker evaluate}. */
  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = {"Evaluate a sticker on the --report-on images under transformations drawn independently of "
          + "training: the share of images (not already of the target class) the model then assigns to the target, "
          + "and accuracy, with the sticker and, as the baseline, without it through the same transformations."})
  static final class Evaluate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin GateOption gate;
    @Mixin ConditionsOptions conditions;

    @Mixin LabelledDataset dataset;

    @Option(names = "--sticker", paramLabel = "FILE.png", required = true, description = "The sticker (its FILE.json "
        + "beside it gives the target and the images it was learned on).")
    Path sticker;

    @Option(names = "--report-on", paramLabel = "FROM-TO", description = "Images to evaluate on (default: the "
        + "sticker's reportOn, else the first half); refused when they overlap the images it was learned on.")
    String reportOn;

    @Option(names = "--target", paramLabel = "CLASS", description = "Override the target of the sticker's JSON.")
    String target;

    @Option(names = "--untargeted", description = "Count any wrong class (through a gate: an accepted wrong class).")
    boolean untargeted;

    @Option(names = "--draws", paramLabel = "N", description = "Transformation draws per image (default: 1).")
    int draws = 1;

    @Option(names = "--results", paramLabel = "FILE.json", description = "Write every view's outcome and draw as JSON.")
    Path results;

    @Option(names = "--examples", paramLabel = "FILE.png", description = "Write the first 8 stickered views and "
        + "their clean views side by side, enlarged 4 times.")
    Path examples;

    @Mixin SeedOption seed;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      CliFiles.requireWritable(results, examples);
      if (draws < 1) {
        throw new InputException("--draws must be at least 1, was " + draws);
      }
      if (untargeted && target != null) {
        throw new InputException("give --target or --untargeted, not both");
      }
      Sticker s = StickerFiles.read(sticker);
      JsonNode about = StickerFiles.readSettings(sticker);
      Conditions cond = conditions.conditions();
      if (gate.given()) {
        gate.spec(model);
      }
      Dataset all = dataset.open();
      String reportText = reportOn != null ? reportOn
          : about != null && about.hasNonNull("reportOn") ? about.get("reportOn").asText() : null;
      Split.Range reportRange = reportText == null ? new Split.Range(0, Math.max(0, all.size() / 2 - 1))
          : Split.Range.parse(reportText);
      Dataset report;
      if (about != null && about.hasNonNull("fitOn")) {
        report = Split.of(all, Split.Range.parse(about.get("fitOn").asText()), reportRange).report();
      } else {
        report = all.range(reportRange);
      }
      try (Opened m = open(model, gate, all)) {
        ModelInfo info = gate.given() ? m.gate().info() : m.classifier().info();
        report = new DataOptions().fit(report, info);
        int tgt;
        if (untargeted) {
          tgt = -1;
        } else if (target != null) {
          tgt = info.classIndex(target);
        } else if (about != null && about.has("target")) {
          tgt = about.get("target").asInt();
        } else {
          throw new InputException("no " + StickerFiles.settingsFile(sticker).getFileName() + " beside the sticker to "
              + "read its target from; give --target CLASS or --untargeted");
        }
        StickerEvaluation.Result r = StickerEvaluation.evaluate(m.classifier(), report.images(), s, cond, tgt,
            seed.seed, draws);
        StickerEvaluation.Summary sum = r.summary();
        int abstain = m.classifier().info().abstainClass();
        o.printf(Locale.ROOT, "model:      %s%n", m.gate() != null ? m.gate().describe() : m.name());
        o.printf(Locale.ROOT, "sticker:    %s, %dx%d (%.1f%% of a %dx%d image), %s%n", sticker.getFileName(), s.size(),
            s.size(), 100 * s.areaShare(info.height(), info.width()), info.width(), info.height(),
            tgt < 0 ? "untargeted" : "target '" + info.className(tgt) + "' (" + tgt + ")");
        o.printf(Locale.ROOT, "images:     %s, %d images x %d draw%s, seed %d; %d views count (%s)%n", report.name(),
            report.size(), draws, draws == 1 ? "" : "s", seed.seed, sum.eligible(),
            tgt < 0 ? "all" : "not already '" + info.className(tgt) + "'");
        o.printf(Locale.ROOT, "conditions: %s%n", cond.describe());
        String goal = tgt < 0 ? (abstain >= 0 ? "harmed (accepted as a wrong class)" : "misclassified")
            : "assigned to '" + info.className(tgt) + "'" + (abstain >= 0 ? " and accepted" : "");
        o.printf(Locale.ROOT, "sticker:    %d of %d %s (%.1f%%); accuracy %.1f%%%s%n", sum.reached(), sum.eligible(), goal,
            100 * sum.reachedShare(), 100 * sum.accuracy(), abstain >= 0 ? String.format(Locale.ROOT,
                ", abstained %d (%.1f%%), harmed %d (%.1f%%)", sum.abstained(), 100.0 * sum.abstained() / sum.views(),
                sum.harmed(), 100.0 * sum.harmed() / sum.views()) : "");
        o.printf(Locale.ROOT, "no sticker: %d of %d %s (%.1f%%); accuracy %.1f%%%s (same transformations)%n",
            sum.cleanReached(), sum.eligible(), goal, 100 * sum.cleanReachedShare(), 100 * sum.cleanAccuracy(),
            abstain >= 0 ? String.format(Locale.ROOT, ", abstained %d (%.1f%%), harmed %d (%.1f%%)",
                sum.cleanAbstained(), 100.0 * sum.cleanAbstained() / sum.views(), sum.cleanHarmed(),
                100.0 * sum.cleanHarmed() / sum.views()) : "");
        if (results != null) {
          writeResults(r, info);
          o.printf("results:    %s%n", results);
        }
        if (examples != null) {
          ImageFiles.writePng(sheet(r.outcomes().subList(0, Math.min(8, r.outcomes().size()))), examples);
          o.printf("examples:   %s%n", examples);
        }
      }
      return ExitCode.OK;
    }

    private void writeResults(StickerEvaluation.Result r, ModelInfo info) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sticker", sticker.toString());
      m.put("target", r.target());
      m.put("seed", r.seed());
      m.put("conditions", r.conditions().parameters());
      m.put("summary", r.summary());
      List<Map<String, Object>> views = new java.util.ArrayList<>();
      for (StickerEvaluation.Outcome out : r.outcomes()) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", out.id());
        v.put("label", out.label());
        v.put("draw", out.drawIndex());
        v.put("placement", out.draw().placement());
        v.put("camera", out.draw().camera());
        v.put("cleanPredicted", info.className(out.cleanPredicted()));
        v.put("stickerPredicted", info.className(out.stickerPredicted()));
        v.put("eligible", out.eligible());
        v.put("reached", out.reached());
        views.add(v);
      }
      m.put("views", views);
      ImageFiles.writeAtomically(results, s -> s.write(new com.fasterxml.jackson.databind.ObjectMapper()
          .writerWithDefaultPrettyPrinter().writeValueAsString(m).getBytes(StandardCharsets.UTF_8)));
    }

    /** Stickered views on the top row, their clean views below, each enlarged 4 times. */
    private static dev.pixelguard.image.Image sheet(List<StickerEvaluation.Outcome> outs) {
      dev.pixelguard.image.Image first = outs.get(0).stickered();
      int c = first.channels();
      int h = first.height() * 4;
      int w = first.width() * 4;
      int cols = outs.size();
      int W = cols * w;
      int H = 2 * h;
      byte[] b = new byte[c * H * W];
      for (int i = 0; i < cols; i++) {
        for (int row = 0; row < 2; row++) {
          dev.pixelguard.image.Image im = row == 0 ? outs.get(i).stickered() : outs.get(i).clean();
          for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
              for (int x = 0; x < w; x++) {
                b[(ch * H + row * h + y) * W + i * w + x] = (byte) im.get(ch, y / 4, x / 4);
              }
            }
          }
        }
      }
      return new dev.pixelguard.image.Image(c, H, W, b);
    }
  }
}
