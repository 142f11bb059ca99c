package dev.pixelguard.bench;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.certify.Certificate;
import dev.pixelguard.certify.CertificationJson;
import dev.pixelguard.certify.CertificationResult;
import dev.pixelguard.certify.CertifiedGate;
import dev.pixelguard.certify.Certifier;
import dev.pixelguard.certify.Chooser;
import dev.pixelguard.certify.DoubleMasking;
import dev.pixelguard.certify.Ensemble;
import dev.pixelguard.certify.Threat;
import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.Split;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 29's figures: certified robustness by double masking on the CIFAR-10 fixtures, with masks and fill chosen
 * on images 466-931 only ({@link Chooser}) and every figure reported on images 0-465 (or a prefix of them).
 * Sections, run in the order given:
 *
 * <ul>
 *   <li>{@code baseline}: ResNet-20, lattice:6 with the neighbour-mean fill (the reference, 72.7%).
 *   <li>{@code pixel}: one pixel, for ResNet-20, ResNet-32 and the two as one ensemble (mean of probabilities):
 *       the choice on the fit images (ResNet-20's, used for all three unless {@code -Dchoose=each}), then every
 *       report image with every prediction, the summary, the raw engine's images per second measured in the same
 *       run (before and after), and for the ensemble the certified gate's harm bound.
 *   <li>{@code patch}: a 2x2 patch on images 0 to {@code -Dpatch.images} - 1 (50): the paper's blocks:5/4 with grey
 *       fill, and the candidate chosen on the first {@code -Dpatch.fit} (100) fit images.
 *   <li>{@code attacks}: on the images of 0 to {@code -Dattack.images} - 1 (100) that ResNet-20 certifies, the guided
 *       search ({@code -Dguided.budget}, 1,000 queries) and Sparse-RS ({@code -Drs.budget}, 1,000) against the
 *       defended classifier, the exhaustive corner scan on the first {@code -Dscan.images} (10) of them; for the
 *       patch, Sparse-RS 2x2 ({@code -Dpatch.budget}, 300) on the images certified with blocks:5/4. Each must flip
 *       none.
 *   <li>{@code fashion}: the 500 bundled Fashion-MNIST images, one pixel, lattice:6 with the biharmonic fill, for the
 *       bundled CNN and for each ONNX model in {@code -Dfashion.models} (comma-separated; e.g. the CNN trained with
 *       {@code train --mask-augment lattice:6}).
 * </ul>
 *
 * <p>Masks and fill for {@code pixel} and {@code attacks} may be fixed with {@code -Dmasks=... -Dfill=...}, which
 * skips the choice. Arguments: {@code SHARED OUT SECTION...}; JSON results go to OUT.
 */
public final class CertifyBenchmark {
  private static final Split.Range FIT = new Split.Range(466, 931);
  private static final Split.Range REPORT = new Split.Range(0, 465);
  private static final List<Chooser.Candidate> PIXEL = List.of(new Chooser.Candidate("lattice:6", "biharmonic"),
      new Chooser.Candidate("lattice:6", Chooser.FITTED_STENCIL), new Chooser.Candidate("skew:36/7", "biharmonic"));
  private static final List<Chooser.Candidate> PATCH = List.of(new Chooser.Candidate("blocks:5/4", "biharmonic"),
      new Chooser.Candidate("spread:3/2/6", "biharmonic"), new Chooser.Candidate("spread:3/2/5", "biharmonic"));

  private final Path shared;
  private final Path out;
  private final Split split;
  private Chooser.Choice pixelChoice;

  private CertifyBenchmark(Path shared, Path out) {
    this.shared = shared;
    this.out = out;
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    this.split = Split.of(cifar, FIT, REPORT);
  }

  public static void main(String[] args) throws Exception {
    CertifyBenchmark b = new CertifyBenchmark(Path.of(args[0]), Path.of(args[1]));
    Files.createDirectories(b.out);
    System.out.printf(Locale.ROOT, "machine: %d processors, load %s%n", Runtime.getRuntime().availableProcessors(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "baseline" -> b.baseline();
        case "pixel" -> b.pixel();
        case "patch" -> b.patch();
        case "attacks" -> b.attacks();
        case "fashion" -> b.fashion();
        default -> throw new IllegalArgumentException("unknown section " + args[i]);
      }
    }
  }

  private OnnxClassifier open(String file) {
    return OnnxClassifier.load(shared.resolve("models/" + file), ModelSpec.DEFAULT);
  }

  private void baseline() {
    try (OnnxClassifier r20 = open("cifar10-resnet20.onnx")) {
      Certifier c = Certifier.of(r20).masks("lattice:6").fill("mean");
      report("baseline r20", c, split.report(), r20);
    }
  }

  private Chooser.Choice pixelChoice(Classifier model, String name) {
    String masks = System.getProperty("masks");
    if (masks != null) {
      Certifier fixed = Certifier.of(model).masks(masks).fill(System.getProperty("fill", "biharmonic"));
      return new Chooser.Choice(dev.pixelguard.certify.MaskSpec.parse(masks), fixed.fill(), List.of(), FIT);
    }
    if (pixelChoice != null && !Boolean.getBoolean("choose.each")) {
      return pixelChoice;
    }
    System.out.println("choosing for " + name + " on images " + FIT + ":");
    Chooser.Choice c = Chooser.choose(Certifier.of(model), split, PIXEL, t -> System.out.printf(Locale.ROOT,
        "  %s %s: %d of %d certified, %,d masked images%n", t.masks(), t.fill(), t.certified(), t.images(), t.passes()));
    System.out.println("  chosen: " + c.masks().spec() + " " + c.fill().spec());
    pixelChoice = pixelChoice == null ? c : pixelChoice;
    return c;
  }

  private void pixel() {
    try (OnnxClassifier r20 = open("cifar10-resnet20.onnx"); OnnxClassifier r32 = open("cifar10-resnet32.onnx")) {
      Chooser.Choice c20 = pixelChoice(r20, "ResNet-20");
      report("pixel r20", c20.apply(Certifier.of(r20)), split.report(), r20);
      Chooser.Choice c32 = pixelChoice(r32, "ResNet-32");
      report("pixel r32", c32.apply(Certifier.of(r32)), split.report(), r32);
      Ensemble pair = Ensemble.of(List.of(r20, r32));
      Chooser.Choice cp = pixelChoice(pair, "the ensemble");
      CertificationResult r = report("pixel ensemble", cp.apply(Certifier.of(pair)), split.report(), pair);
      CertifiedGate.Bound g = CertifiedGate.bound(r);
      System.out.printf(Locale.ROOT, "  certified gate (ensemble): accepts %d correct and %d wrong of %d clean images"
          + " (coverage %.1f%%), abstains on %d; proven harm bound under one pixel: %d images (%.1f%%)%n",
          g.acceptedCorrect(), g.acceptedWrong(), g.judged(), 100 * g.coverage(), g.abstained(), g.harmBound(),
          100 * g.harmRate());
    }
  }

  private void patch() {
    int images = Integer.getInteger("patch.images", 50);
    int fitImages = Integer.getInteger("patch.fit", 100);
    Dataset report = split.report().limit(images);
    try (OnnxClassifier r20 = open("cifar10-resnet20.onnx")) {
      Certifier base = Certifier.of(r20).threat(Threat.patch(2));
      report("patch paper", base.masks("blocks:5/4").fill("grey"), report, r20);
      Split small = Split.of(Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin")),
          new Split.Range(FIT.from(), FIT.from() + fitImages - 1), new Split.Range(0, images - 1));
      System.out.println("choosing for the 2x2 patch on images " + small.fitRange() + ":");
      Chooser.Choice c = Chooser.choose(base, small, PATCH, t -> System.out.printf(Locale.ROOT,
          "  %s %s: %d of %d certified, %,d masked images%n", t.masks(), t.fill(), t.certified(), t.images(),
          t.passes()));
      System.out.println("  chosen: " + c.masks().spec() + " " + c.fill().spec());
      report("patch chosen", c.apply(base), small.report(), r20);
    }
  }

  /**
   * Certifies {@code data} with every prediction, prints the figures beside the raw engine's rate, writes JSON. The
   * raw rate is measured in slices interleaved with the certification (one call of 400 images after every
   * {@link #SLICE} images certified), so that a change in the machine's load falls on both alike; the slices' time
   * is taken out of the certification's.
   */
  private CertificationResult report(String name, Certifier c, Dataset data, Classifier model) {
    ImageBatch batch = ImageBatch.of(data.limit(400).images().stream().map(LabeledImage::image).toList());
    model.classify(batch); // warm
    long[] raw = new long[2]; // images, nanoseconds
    CertificationResult r = c.certify(data, (cert, done, total, certified) -> {
      if (done % SLICE == 0 || done == total) {
        long t0 = System.nanoTime();
        model.classify(batch);
        raw[1] += System.nanoTime() - t0;
        raw[0] += batch.size();
      }
    });
    CertificationResult.Summary s = r.summary();
    double rawRate = raw[0] / (raw[1] / 1e9);
    double seconds = s.seconds() - raw[1] / 1e9;
    double rate = (s.maskedPasses() + s.cleanPasses()) / seconds;
    System.out.printf(Locale.ROOT, "%s: %s, %s %s on %s (%d images)%n", name, model.info().name(), r.settings().masks(),
        r.settings().fill(), data.name(), s.images());
    long strict = r.certificates().stream().filter(x -> x.hasLabel() && x.complete() && x.disagreeingMasks().isEmpty()
        && x.disagreeingPairs().isEmpty()).count();
    System.out.printf(Locale.ROOT, "  clean accuracy %.1f%% (model), %.1f%% (defended); certified %.1f%% (%d of %d);"
        + " every prediction correct (PatchCleanser's own condition) %d%n", 100 * s.modelAccuracy(),
        100 * s.defendedAccuracy(), 100 * s.certifiedAccuracy(), s.certified(), s.labelled(), strict);
    System.out.printf(Locale.ROOT, "  cost: %.0f masked images per image (max %d), %.1f s, %.0f images/s (%.1f s in the"
        + " model); raw engine %.0f images/s in interleaved slices: ratio %.2f%n", s.passesPerImage(), s.maxPasses(),
        seconds, rate, s.modelSeconds(), rawRate, rate / rawRate);
    CertificationJson.write(r, out.resolve(name.replace(' ', '-') + ".json"));
    return r;
  }

  /** Images certified between two slices of the raw engine's rate. */
  private static final int SLICE = 20;

  private void attacks() {
    int images = Integer.getInteger("attack.images", 100);
    Execution run = new Execution(400, 8);
    Dataset data = split.report().limit(images);
    try (OnnxClassifier r20 = open("cifar10-resnet20.onnx")) {
      Certifier c = pixelChoice(r20, "ResNet-20").apply(Certifier.of(r20));
      Dataset certified = certified(c, data);
      DoubleMasking defended = c.defended();
      System.out.printf(Locale.ROOT, "attacks on the %d images of %s that %s certifies for one pixel%n",
          certified.size(), data.name(), defended.info().name());
      attack(defended, certified, GuidedPixelAttack.builder().pixels(1).budget(Long.getLong("guided.budget", 1000))
          .build(), run);
      attack(defended, certified, SparseRs.builder().pixels(1).budget(Long.getLong("rs.budget", 1000)).build(), run);
      attack(defended, certified.limit(Integer.getInteger("scan.images", 10)), PixelScan.corners(), run);
      Certifier p = Certifier.of(r20).threat(Threat.patch(2)).masks("blocks:5/4");
      Dataset patchCertified = certified(p, data.limit(Integer.getInteger("patch.images", 50)));
      System.out.printf(Locale.ROOT, "attacks on the %d images certified for a 2x2 patch by %s%n", patchCertified.size(),
          p.defended().info().name());
      attack(p.defended(), patchCertified, SparseRs.builder().patch(2).budget(Long.getLong("patch.budget", 300))
          .build(), run);
    }
  }

  private void fashion() {
    Dataset samples = dev.pixelguard.data.Datasets.samples();
    try (Classifier cnn = dev.pixelguard.djl.DefaultBundle.byName("builtin:fashion-cnn")) {
      report("fashion bundled", Certifier.of(cnn).masks("lattice:6").fill("biharmonic"), samples, cnn);
    }
    for (String file : System.getProperty("fashion.models", "").split(",")) {
      if (!file.isBlank()) {
        try (OnnxClassifier m = OnnxClassifier.load(Path.of(file), ModelSpec.DEFAULT)) {
          report("fashion " + Path.of(file).getFileName(), Certifier.of(m).masks("lattice:6").fill("biharmonic"),
              samples, m);
        }
      }
    }
  }

  private static Dataset certified(Certifier c, Dataset data) {
    CertificationResult r = c.earlyExit(true).certify(data);
    List<LabeledImage> out = new ArrayList<>();
    for (Certificate cert : r.certificates()) {
      if (cert.certified()) {
        out.add(data.get(cert.index()));
      }
    }
    return new Dataset(data.name() + ", certified", out, data.classNames());
  }

  private static void attack(DoubleMasking defended, Dataset d, Attack<Classifier> attack, Execution run) {
    long t0 = System.nanoTime();
    EvaluationResult r = Evaluation.of(defended, d, attack).targets(Targets.untargeted()).execution(run).run();
    int attacked = 0;
    int flipped = 0;
    for (ImageOutcome o : r.images()) {
      attacked += o.attacked() ? 1 : 0;
      for (AttackResult a : o.attempts()) {
        if (a.success()) {
          flipped++;
          System.out.println("  FLIPPED: " + o.id() + " by " + attack.describe());
        }
      }
    }
    System.out.printf(Locale.ROOT, "  %s: %d images attacked, %d flipped, %,d defended queries, %.0f s%n",
        attack.describe(), attacked, flipped, r.totals().queries(), (System.nanoTime() - t0) / 1e9);
  }
}
