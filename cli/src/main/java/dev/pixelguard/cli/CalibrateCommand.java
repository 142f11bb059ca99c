package dev.pixelguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.calibration.CalibrationMetrics;
import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.calibration.EceFloor;
import dev.pixelguard.calibration.EceInterval;
import dev.pixelguard.calibration.ReliabilityBin;
import dev.pixelguard.calibration.TemperatureScaling;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.Split;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard calibrate}: temperature scaling fitted on some images, reported on others. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
    description = {"Fit a temperature T to the model (temperature scaling, Guo et al. 2017: the logits are divided "
        + "by T, which changes no prediction, only the confidence) by minimising the NLL on the fit images, and "
        + "report calibration before and after on other images of the same dataset: ECE (equal-width bins), its "
        + "perfect-calibration floor (the ECEs a perfectly calibrated model with the same confidences scores on as "
        + "many images: mean and 95th percentile) and a bootstrap 95%% interval, MCE, NLL, Brier score and accuracy.",
        "By default, of a dataset of N images the first N/2 (rounded down) are reported on and the rest are fitted "
        + "on. --write puts the temperature into the model's descriptor (--spec FILE, else MODEL.json beside the "
        + "model, created when absent, its other keys kept), so every command then sees calibrated probabilities; "
        + "without --write nothing is written but --out."})
final class CalibrateCommand implements Callable<Integer> {
  /** Images per model call. */
  static final int BATCH = 256;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;
  @Mixin SeedOption seed;

  @Mixin SplitOptions split;

  @Option(names = "--bins", paramLabel = "B", description = "Equal-width confidence bins of the ECE (default: "
      + "${DEFAULT-VALUE}); bin b holds confidences in ((b-1)/B, b/B].")
  int bins = CalibrationMetrics.DEFAULT_BINS;

  @Option(names = "--draws", paramLabel = "N", description = "Simulated perfectly calibrated label sets for the "
      + "ECE floor (default: ${DEFAULT-VALUE}).")
  int draws = EceFloor.DEFAULT_DRAWS;

  @Option(names = "--resamples", paramLabel = "N", description = "Bootstrap resamples for the ECE's 95%% interval "
      + "(default: ${DEFAULT-VALUE}).")
  int resamples = EceInterval.DEFAULT_RESAMPLES;

  @Option(names = "--write", description = "Write the fitted temperature into the model's descriptor (--spec FILE, "
      + "else MODEL.json beside the model). Not for a bundled model without --spec.")
  boolean write;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE.json", description = "Write the figures before and after, "
      + "with every reliability bin, as JSON.")
  Path out;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    if (bins < 1 || draws < 1 || resamples < 1) {
      throw new InputException("--bins, --draws and --resamples must be at least 1");
    }
    if (model.labelOnly) {
      throw new InputException("calibrate needs the model's probabilities; --label-only hides them");
    }
    this.split.check();
    Path descriptor = write ? destination() : null;
    CliFiles.requireWritable(descriptor, out);
    if (descriptor != null && Files.exists(descriptor)) {
      ModelSpec.read(descriptor); // a descriptor that cannot be read back is refused before the work
    }
    Dataset data = dataOptions.load();
    try (Classifier c = model.openUncalibrated(DataOptions.shape(data), DataOptions.namesForModel(data))) {
      data = dataOptions.fit(data, c.info());
      Split split = this.split.of(data, "calibrate");
      Split.Range fitRange = split.fitRange();
      Split.Range reportRange = split.reportRange();
      Scored fit = score(c, split.fit());
      Scored report = score(c, split.report());
      TemperatureScaling.Fit f = TemperatureScaling.fit(fit.logits, fit.labels);
      double t = round(f.temperature());
      CalibrationSummary before = CalibrationSummary.measure(TemperatureScaling.probabilities(report.logits, 1),
          report.labels, bins, draws, resamples, seed.seed);
      CalibrationSummary after = CalibrationSummary.measure(TemperatureScaling.probabilities(report.logits, t),
          report.labels, bins, draws, resamples, seed.seed);

      Double old = model.descriptor().temperature();
      o.printf(Locale.ROOT, "model:    %s%s%n", model.name(), old == null ? ""
          : " (its descriptor's temperature " + old + " set aside: fitted on the model's own scores)");
      o.printf(Locale.ROOT, "data:     %s; fit on images %s (%d), report on images %s (%d)%n", data.name(), fitRange,
          fitRange.size(), reportRange, reportRange.size());
      if (!fit.fromLogits) {
        o.println("          the model gives probabilities only: their logarithms serve as logits");
      }
      o.printf(Locale.ROOT, "fit:      temperature %s; NLL on the fit images %.4f at T=1, %.4f after%s%n",
          text(t), f.nllBefore(), f.nllAfter(), f.atBound() ? " (the optimum lies at or beyond this bound)" : "");
      o.printf(Locale.ROOT, "report:   %d images, %d bins; floor = ECE of a perfectly calibrated model with the same "
          + "confidences (%d draws), interval = bootstrap 95%% (%d resamples); seed %d%n", reportRange.size(), bins,
          draws, resamples, seed.seed);
      o.printf(Locale.ROOT, "%-22s %-28s %s%n", "", "before (T=1)", "after (T=" + text(t) + ")");
      row(o, "ECE", pct(before.metrics().ece()) + " [" + pct(before.interval().low()) + ", "
          + pct(before.interval().high()) + "]", pct(after.metrics().ece()) + " [" + pct(after.interval().low()) + ", "
          + pct(after.interval().high()) + "]");
      row(o, "  floor mean, p95", pct(before.floor().mean()) + ", " + pct(before.floor().p95()),
          pct(after.floor().mean()) + ", " + pct(after.floor().p95()));
      row(o, "MCE", pct(before.metrics().mce()), pct(after.metrics().mce()));
      row(o, "NLL", num(before.metrics().nll()), num(after.metrics().nll()));
      row(o, "Brier", num(before.metrics().brier()), num(after.metrics().brier()));
      row(o, "accuracy", pct(before.metrics().accuracy()), pct(after.metrics().accuracy()));
      o.printf(Locale.ROOT, "verdict:  after scaling the ECE %s %s the perfect-calibration band (95th percentile %s): "
          + "%s on %d images%n", pct(after.metrics().ece()), after.indistinguishableFromPerfect() ? "lies inside"
              : "lies above", pct(after.floor().p95()), after.indistinguishableFromPerfect()
              ? "indistinguishable from perfect calibration" : "still miscalibrated", reportRange.size());
      write(o, descriptor, t, json(data.name(), fitRange, reportRange, f, t, before, after, fit.fromLogits));
    }
    return ExitCode.OK;
  }

  /**
   * Writes --out (staged, then moved into place) and the temperature into the descriptor with --write; nothing
   * of --out is left when either fails.
   */
  private void write(PrintWriter o, Path descriptor, double t, ObjectNode results) {
    Path tmpOut = null;
    try {
      if (out != null) {
        tmpOut = stage(out, results);
      }
      if (descriptor != null) {
        ModelSpec.writeTemperature(descriptor, t);
      }
      if (tmpOut != null) {
        Files.move(tmpOut, out.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        tmpOut = null;
      }
    } catch (IOException e) {
      throw new InputException("cannot write " + out + ": " + InputException.firstLine(String.valueOf(e.getMessage())));
    } finally {
      deleteQuietly(tmpOut);
    }
    if (descriptor != null) {
      o.printf(Locale.ROOT, "wrote:    temperature %s to %s%n", text(t), descriptor);
    }
    if (out != null) {
      o.printf("results:  %s%n", out);
    }
  }

  /** Where --write puts the temperature, checked before any work. */
  private Path destination() {
    if (model.spec != null) {
      return model.spec;
    }
    String location = model.location();
    Path file = Models.localPath(location);
    if (file == null || model.isDefault()) {
      throw new InputException("--write: " + location + " is a bundled model, with no descriptor file beside it; "
          + "give --spec FILE to write the temperature there");
    }
    return file.resolveSibling(file.getFileName() + ".json");
  }

  /** The model's raw logits (log-probabilities for a model without logits) and the labels of some images. */
  private record Scored(double[][] logits, int[] labels, boolean fromLogits) {}

  private static Scored score(Classifier c, Dataset data) {
    int n = data.size();
    double[][] z = new double[n][];
    int[] labels = new int[n];
    boolean fromLogits = true;
    for (int from = 0; from < n; from += BATCH) {
      int to = Math.min(n, from + BATCH);
      List<Image> images = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        LabeledImage li = data.get(i);
        if (!li.hasLabel()) {
          throw new InputException("calibrate needs labelled images; " + li.id() + " has no label");
        }
        labels[i] = li.label();
        images.add(li.image());
      }
      Scores s = c.classify(ImageBatch.of(images));
      fromLogits &= s.hasLogits();
      for (int i = 0; i < s.size(); i++) {
        double[] row = new double[s.numClasses()];
        for (int k = 0; k < row.length; k++) {
          row[k] = s.hasLogits() ? s.logit(i, k)
              : Math.log(Math.max(s.probability(i, k), CalibrationMetrics.MIN_PROBABILITY));
        }
        z[from + i] = row;
      }
    }
    return new Scored(z, labels, fromLogits);
  }

  /** The temperature to six significant digits, as written to the descriptor and used for the figures after. */
  static double round(double t) {
    return new BigDecimal(t).round(new MathContext(6)).doubleValue();
  }

  private static String text(double t) {
    return new BigDecimal(t).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static void row(PrintWriter o, String name, String before, String after) {
    o.printf(Locale.ROOT, "%-22s %-28s %s%n", name, before, after);
  }

  private ObjectNode json(String dataName, Split.Range fitRange, Split.Range reportRange, TemperatureScaling.Fit f,
      double t, CalibrationSummary before, CalibrationSummary after, boolean fromLogits) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model.name());
    root.put("dataset", dataName);
    root.put("fit_on", fitRange.toString());
    root.put("report_on", reportRange.toString());
    root.put("bins", bins);
    root.put("seed", seed.seed);
    root.put("logits", fromLogits ? "model" : "log-probabilities");
    ObjectNode fit = root.putObject("fit");
    fit.put("temperature", t);
    fit.put("temperature_unrounded", f.temperature());
    fit.put("nll_before", f.nllBefore());
    fit.put("nll_after", f.nllAfter());
    fit.put("images", f.images());
    fit.put("at_bound", f.atBound());
    put(root.putObject("before"), 1, before);
    put(root.putObject("after"), t, after);
    return root;
  }

  private static void put(ObjectNode n, double t, CalibrationSummary s) {
    CalibrationMetrics m = s.metrics();
    n.put("temperature", t);
    n.put("images", m.images());
    n.put("accuracy", m.accuracy());
    n.put("ece", m.ece());
    n.putArray("ece_bootstrap_95").add(s.interval().low()).add(s.interval().high());
    n.put("ece_bootstrap_resamples", s.interval().resamples());
    ObjectNode floor = n.putObject("ece_floor");
    floor.put("mean", s.floor().mean());
    floor.put("p95", s.floor().p95());
    floor.put("draws", s.floor().draws());
    n.put("inside_floor_band", s.indistinguishableFromPerfect());
    n.put("mce", m.mce());
    n.put("nll", m.nll());
    n.put("brier", m.brier());
    ArrayNode bins = n.putArray("reliability");
    for (ReliabilityBin b : m.reliability()) {
      ObjectNode bn = bins.addObject();
      bn.put("lower", b.lower());
      bn.put("upper", b.upper());
      bn.put("count", b.count());
      if (b.isEmpty()) {
        bn.putNull("mean_confidence");
        bn.putNull("accuracy");
      } else {
        bn.put("mean_confidence", b.meanConfidence());
        bn.put("accuracy", b.accuracy());
      }
    }
  }

  /** Writes the JSON to a temporary file beside {@code dest}, to be moved there once everything else is written. */
  private static Path stage(Path dest, ObjectNode json) throws IOException {
    Path abs = dest.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), json);
      return tmp;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the failure itself is what gets reported
      }
    }
  }
}
