package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.certify.Certificate;
import dev.pixelguard.certify.CertificationJson;
import dev.pixelguard.certify.CertificationResult;
import dev.pixelguard.certify.CertifiedGate;
import dev.pixelguard.certify.Certifier;
import dev.pixelguard.certify.Ensemble;
import dev.pixelguard.certify.Masking;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
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

/** {@code pixelguard certify}: proofs for a defended classifier around any model, by double masking. */
@Command(name = "certify", mixinStandardHelpOptions = true,
    description = {"Prove that no change within the threat (one pixel of any colour, or a P x P patch of any "
        + "content, anywhere) changes the answer of the model defended by double masking (PatchCleanser, Xiang et "
        + "al., USENIX Security 2022), for any model: ONNX, TorchScript, served over HTTP, ResNets included, with "
        + "no retraining. Each image is certified (with the masks that prove it) or not (with the first region "
        + "left unproven); the summary gives the model's clean accuracy, the defended classifier's, the certified "
        + "robust accuracy and the cost in model passes. Several --model make one defended ensemble (the mean of "
        + "their probabilities). --gate adds the certified gate (accept only when every masked prediction "
        + "agrees): its coverage, risk and proven harm bound. The defended classifier itself is --defence "
        + "masking:... and the gate --defence masking-gate:... on every other command. See docs/certification.md."})
final class CertifyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ModelOptions model;
  @Mixin DataOptions dataOptions;

  @Option(names = "--images", paramLabel = "FROM-TO",
      description = "Certify only these images of the dataset, both ends included (after --limit), e.g. 0-465.")
  String images;

  @Option(names = "--threat", paramLabel = "THREAT",
      description = "What the attacker may change: pixel (one pixel, any colour; the default) or patch:P (a P x P "
          + "patch of any content, anywhere).")
  String threat;

  @Option(names = "--masks", paramLabel = "SPEC",
      description = "The masks: lattice:K (K x K masks, each every K-th pixel in both directions; covers one pixel), "
          + "skew:K/A, blocks:M/S (M x M squares at stride S; covers patches up to M-S+1) or spread:B/S/G. "
          + "Default: lattice:6 for one pixel, blocks:(P+3)/4 for a patch. A set that does not cover the threat "
          + "is refused.")
  String masks;

  @Option(names = "--fill", paramLabel = "SPEC",
      description = "What hidden pixels become, computed from visible pixels only: grey, grey:V, mean, harmonic, "
          + "biharmonic (the default) or stencil:A/B/C/D/E.")
  String fill;

  @Option(names = "--guard", paramLabel = "LOGITS",
      description = "The least lead of the top class over the runner-up for a prediction to count in a proof, in "
          + "logits (default: ${DEFAULT-VALUE}), a margin for engines whose rounding depends on the batch.")
  float guard = Certifier.DEFAULT_GUARD;

  @Option(names = "--early-exit", description = "Stop each image as soon as its verdict is known: much faster, but "
      + "the lists of disagreeing masks are partial and --gate is not available.")
  boolean earlyExit;

  @Option(names = "--gate", description = "Also report the certified gate (accept only when every one- and two-mask "
      + "prediction agrees, else abstain): coverage, risk and the proven bound on harm under the threat.")
  boolean gate;

  @Option(names = "--batch", paramLabel = "N",
      description = "Masked images per model call (default: ${DEFAULT-VALUE}).")
  int batch = Certifier.DEFAULT_BATCH;

  @Option(names = "--results", paramLabel = "FILE",
      description = "Write every image's verdict, proving masks or disagreeing predictions, and the summary as JSON.")
  Path results;

  @Option(names = "--quiet", description = "No per-image lines and no progress: only the summary.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    dataOptions.check();
    if (model.defence != null) {
      throw new InputException("certify builds the defence itself from --masks, --fill and --threat; --defence "
          + "does not apply");
    }
    if (gate && earlyExit) {
      throw new InputException("--gate needs every masked prediction; drop --early-exit");
    }
    Split.Range range = images == null ? null : Split.Range.parse(images);
    Masking masking = Masking.parse(settings());
    CliFiles.requireWritable(results);
    Dataset data = dataOptions.load();
    if (range != null) {
      if (range.to() >= data.size()) {
        throw new InputException("--images " + range + " lies outside " + data.name() + ", which has " + data.size()
            + " images (0-" + (data.size() - 1) + ")");
      }
      data = data.range(range);
    }
    try (Classifier c = open(data)) {
      Dataset fitted = dataOptions.fit(data, c.info());
      Certifier certifier = masking.certifier(c).guard(guard).earlyExit(earlyExit).batchSize(batch);
      certifier.maskSet(); // refuses masks that do not fit the model or do not cover the threat, before any work
      o.println(String.format(Locale.ROOT, "certify:    %s against %s; masks %s, fill %s%s", c.info().name(),
          masking.threat().describe(), masking.masks().spec(), masking.fill(), earlyExit ? ", early exit" : ""));
      o.flush();
      CertificationResult r;
      try (Progress bar = Progress.start("certifying", "images", fitted.size(), !quiet,
          spec.commandLine().getErr())) {
        r = certifier.certify(fitted, (cert, done, total, certified) -> {
          bar.step(certified + " certified");
          if (!quiet && !bar.shown()) {
            o.println(line(cert, c.info()));
            o.flush();
          }
        });
      }
      summary(o, r);
      if (results != null) {
        CertificationJson.write(r, results);
        o.println("results:    " + results);
      }
    }
    o.flush();
    return ExitCode.OK;
  }

  /** The certifier's settings as one masking spec, for the one parser. */
  private String settings() {
    List<String> parts = new ArrayList<>();
    if (masks != null) {
      parts.add(masks);
    }
    if (fill != null) {
      parts.add("fill=" + fill);
    }
    if (threat != null) {
      parts.add("threat=" + threat);
    }
    return String.join(",", parts);
  }

  /** The model, or with several --model the ensemble of them all (closing it closes each). */
  private Classifier open(Dataset data) {
    if (model.models.size() <= 1) {
      return model.open(DataOptions.shape(data), DataOptions.namesForModel(data));
    }
    List<Classifier> members = new ArrayList<>();
    try {
      for (String location : model.models) {
        members.add(model.open(location, DataOptions.shape(data), DataOptions.namesForModel(data)));
      }
      return Ensemble.of(members);
    } catch (RuntimeException e) {
      members.forEach(Classifier::close);
      throw e;
    }
  }

  private static String line(Certificate c, ModelInfo info) {
    String head = String.format(Locale.ROOT, "%-13s #%d %s", c.certified() ? "certified" : "not certified",
        c.index(), c.id());
    if (!c.hasLabel()) {
      return head + ": no label; defended answer '" + info.className(c.defendedPrediction()) + "'";
    }
    if (c.certified()) {
      return String.format(Locale.ROOT, "%s: '%s' for every change within the threat (%d proving masks, %d passes)",
          head, info.className(c.label()), c.provingMasks().size(), c.passes());
    }
    String why = c.defendedPrediction() != c.label() ? "the defended answer is '" + info.className(
        c.defendedPrediction()) + "', not '" + info.className(c.label()) + "'"
        : c.uncoveredRegion() != null ? "no proof for " + c.uncoveredRegion() : "not proven";
    return String.format(Locale.ROOT, "%s: %s (%d passes)", head, why, c.passes());
  }

  private void summary(PrintWriter o, CertificationResult r) {
    CertificationResult.Summary s = r.summary();
    o.println(String.format(Locale.ROOT, "model:      %.1f%% correct on clean images (%d of %d labelled)",
        100 * s.modelAccuracy(), s.modelCorrect(), s.labelled()));
    o.println(String.format(Locale.ROOT, "defended:   %.1f%% correct on clean images (double masking, %d of %d)",
        100 * s.defendedAccuracy(), s.defendedCorrect(), s.labelled()));
    o.println(String.format(Locale.ROOT, "certified:  %.1f%% proven robust (%d of %d): the defended classifier answers "
        + "the true class for every change within the threat", 100 * s.certifiedAccuracy(), s.certified(),
        s.labelled()));
    o.println(String.format(Locale.ROOT, "cost:       %,d masked images, %.0f per image (at most %,d), in %.1f s "
        + "(%.0f images/s, %.0f%% inside the model)", s.maskedPasses(), s.passesPerImage(), s.maxPasses(),
        s.seconds(), s.imagesPerSecond(), s.seconds() == 0 ? 0 : 100 * s.modelSeconds() / s.seconds()));
    if (gate) {
      CertifiedGate.Bound b = CertifiedGate.bound(r);
      o.println(String.format(Locale.ROOT, "gate:       coverage %.1f%% (%d of %d accepted), risk %.2f%% (%d accepted "
          + "wrong), proven harm bound %.1f%%: no change within the threat makes it accept a wrong class on the other "
          + "%d images", 100 * b.coverage(), b.acceptedCorrect() + b.acceptedWrong(), b.judged(), 100.0
          * b.acceptedWrong() / Math.max(1, b.acceptedCorrect() + b.acceptedWrong()), b.acceptedWrong(),
          100 * b.harmRate(), b.judged() - b.harmBound()));
    }
  }
}
