package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Certified robustness by double masking (Xiang, Mahloujifar and Mittal, "PatchCleanser: Certifiably Robust
 * Defense against Adversarial Patches for Any Image Classifier", USENIX Security 2022), for one pixel or a patch:
 *
 * <pre>{@code
 * CertificationResult r = Certifier.of(model).threat(Threat.pixel()).masks("lattice:6").fill("harmonic")
 *     .certify(dataset);
 * Classifier defended = Certifier.of(model).masks("lattice:6").defended();   // what the proof is about
 * }</pre>
 *
 * <p><b>What is proven.</b> For a certified image x of class y: every image x' that differs from x only inside one
 * region of the threat (any values there, every channel) makes the {@link DoubleMasking} classifier built with the
 * same model, masks and fill answer y. Conditions, all checked here: the masks cover the threat (every region lies
 * inside some mask; refused in one line otherwise); a masked image is a function of the pixels outside the applied
 * masks ({@link Visible}); and for every region, some mask covering it has all its one- and two-mask predictions
 * equal to y, each leading the runner-up by more than the guard. With a partition of the pixels (a lattice) that is
 * PatchCleanser's own condition, every prediction correct; with overlapping masks (blocks) it asks less, and the
 * argument is the paper's, applied to the covering mask's row (docs/certification.md).
 *
 * <p><b>What is not.</b> The bare model (an attack may still flip it); other threats (two pixels, a larger patch,
 * a change after the masks); the model being a function of its input (an engine that answers differently for the
 * same input breaks the proof; the guard absorbs rounding differences between batch layouts).
 *
 * <p>Immutable: each setter returns a new certifier. Masked images of many images share the model's batches of
 * {@link #batchSize}; with {@link #earlyExit} an image stops as soon as its verdict is known.
 */
public final class Certifier {
  /** Masked images per model call by default: 400, which suits a CIFAR-10 ResNet on two cores. */
  public static final int DEFAULT_BATCH = 400;
  /**
   * The default guard, in logits: a prediction counts for a proof only when its class leads the runner-up by more
   * than this. ONNX Runtime gives bit-identical logits for an image in any batch (measured on ResNet-20: batch
   * sizes 1 to 400, any position); the guard is a margin of safety for engines that do not, and costs almost no
   * certificate.
   */
  public static final float DEFAULT_GUARD = 1e-3f;

  private final Classifier model;
  private final Threat threat;
  private final MaskSpec maskSpec;
  private final MaskSet maskSet;
  private final Fill fill;
  private final float guard;
  private final boolean earlyExit;
  private final int batchSize;

  private Certifier(Classifier model, Threat threat, MaskSpec maskSpec, MaskSet maskSet, Fill fill, float guard,
      boolean earlyExit, int batchSize) {
    this.model = model;
    this.threat = threat;
    this.maskSpec = maskSpec;
    this.maskSet = maskSet;
    this.fill = fill;
    this.guard = guard;
    this.earlyExit = earlyExit;
    this.batchSize = batchSize;
  }

  /**
   * A certifier for {@code model}: one pixel, {@link #defaultMasks} for it, the {@link Fills#standard()} fill,
   * the {@link #DEFAULT_GUARD}, every prediction computed, batches of {@link #DEFAULT_BATCH}. The model is not
   * closed by the certifier.
   */
  public static Certifier of(Classifier model) {
    Objects.requireNonNull(model, "model");
    return new Certifier(model, Threat.pixel(), null, null, Fills.standard(), DEFAULT_GUARD, false, DEFAULT_BATCH);
  }

  /** The masks used for a threat unless others are given: {@code lattice:6} for one pixel, else blocks. */
  public static MaskSpec defaultMasks(Threat threat) {
    return threat.side() == 1 ? new MaskSpec.Lattice(6) : new MaskSpec.Blocks(threat.side() + 3, 4);
  }

  /** The threat; unless masks are given, its {@link #defaultMasks} are used. */
  public Certifier threat(Threat t) {
    return new Certifier(model, Objects.requireNonNull(t), maskSpec, maskSet, fill, guard, earlyExit, batchSize);
  }

  public Certifier masks(MaskSpec spec) {
    return new Certifier(model, threat, Objects.requireNonNull(spec), null, fill, guard, earlyExit, batchSize);
  }

  /** Masks from a spec such as {@code lattice:6} ({@link MaskSpec#parse}). */
  public Certifier masks(String spec) {
    return masks(MaskSpec.parse(spec));
  }

  /** Masks of one's own; they must fit the model's input. */
  public Certifier masks(MaskSet set) {
    return new Certifier(model, threat, maskSpec, Objects.requireNonNull(set), fill, guard, earlyExit, batchSize);
  }

  public Certifier fill(Fill f) {
    return new Certifier(model, threat, maskSpec, maskSet, Objects.requireNonNull(f), guard, earlyExit, batchSize);
  }

  /** A fill by name ({@link Fills#parse}). */
  public Certifier fill(String spec) {
    return fill(Fills.parse(spec));
  }

  /**
   * @param g the least lead, in logits (in probability for a model without logits), at least 0
   */
  public Certifier guard(float g) {
    if (!(g >= 0f) || !Float.isFinite(g)) {
      throw new InputException("the guard must be a finite number of at least 0, was " + g);
    }
    return new Certifier(model, threat, maskSpec, maskSet, fill, g, earlyExit, batchSize);
  }

  /**
   * Whether to stop an image as soon as its verdict is known: far cheaper when only verdicts are wanted, but the
   * lists of disagreeing pairs are then partial and the gate's bound is not computed.
   */
  public Certifier earlyExit(boolean on) {
    return new Certifier(model, threat, maskSpec, maskSet, fill, guard, on, batchSize);
  }

  /** @param n masked images per model call, at least 1 */
  public Certifier batchSize(int n) {
    if (n < 1) {
      throw new InputException("the batch size must be at least 1, was " + n);
    }
    return new Certifier(model, threat, maskSpec, maskSet, fill, guard, earlyExit, n);
  }

  public Threat threat() {
    return threat;
  }

  public Fill fill() {
    return fill;
  }

  public float guard() {
    return guard;
  }

  /**
   * The masks for the model's input.
   *
   * @throws InputException when they do not fit the input, or do not cover the threat (naming a region)
   */
  public MaskSet maskSet() {
    ModelInfo info = model.info();
    MaskSet set = maskSet != null ? maskSet
        : (maskSpec != null ? maskSpec : defaultMasks(threat)).build(info.height(), info.width());
    if (set.height() != info.height() || set.width() != info.width()) {
      throw new InputException("the masks " + set.spec() + " are for " + set.width() + "x" + set.height()
          + " images, the model takes " + info.width() + "x" + info.height());
    }
    set.requireCovers(threat);
    return set;
  }

  /**
   * The defended classifier these settings certify. Closing it closes the model, as with any wrapper.
   *
   * @throws InputException when the masks do not fit the model's input or do not cover the threat
   */
  public DoubleMasking defended() {
    return new DoubleMasking(model, masker(maskSet()), batchSize);
  }

  /**
   * The certified gate of these settings ({@link MaskingGate}): it accepts only when every one- and two-mask
   * prediction agrees; {@link CertifiedGate#bound} bounds its harm. Closing it closes the model.
   *
   * @throws InputException when the masks do not fit the model's input or do not cover the threat
   */
  public MaskingGate gate() {
    return new MaskingGate(model, masker(maskSet()), batchSize);
  }

  private Masker masker(MaskSet set) {
    return new Masker(set, fill, model.info().channels());
  }

  /** Progress of a run. */
  public interface Listener {
    /** Called after each image, with the images done so far and how many are certified. */
    void certified(Certificate certificate, int done, int total, int certified);
  }

  /**
   * Certifies every image of {@code data}.
   *
   * @throws InputException before any work when the masks do not cover the threat or an image is not of the
   *     model's input shape (the threat is stated in the pixels the model sees: convert images first)
   */
  public CertificationResult certify(Dataset data) {
    return certify(data, null);
  }

  /** As {@link #certify(Dataset)}, reporting progress to {@code listener} (or null). */
  public CertificationResult certify(Dataset data, Listener listener) {
    MaskSet set = maskSet();
    MaskSet.Cover cover = set.requireCovers(threat);
    ModelInfo info = model.info();
    for (int i = 0; i < data.size(); i++) {
      Image im = data.images().get(i).image();
      if (im.channels() != info.channels() || im.height() != info.height() || im.width() != info.width()) {
        throw new InputException("image " + i + " of " + data.name() + " is " + im.shape() + ", the model takes "
            + info.inputShape() + "; the threat is stated in the pixels the model sees, so certify images of that"
            + " size (convert them first)");
      }
    }
    long t0 = System.nanoTime();
    int n = data.size();
    int[] clean = new int[n];
    long cleanNanos = 0;
    for (int from = 0; from < n; from += batchSize) {
      List<Image> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + batchSize); i++) {
        batch.add(data.images().get(i).image());
      }
      long c0 = System.nanoTime();
      Scores s = model.classify(ImageBatch.of(batch));
      cleanNanos += System.nanoTime() - c0;
      for (int i = 0; i < batch.size(); i++) {
        clean[from + i] = s.top(i);
      }
    }
    Masker masker = masker(set);
    int k = set.size();
    int length = masker.length();
    Certificate[] out = new Certificate[n];
    int[] counts = new int[2];
    Iterator<ImageJob> jobs = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < n;
      }

      @Override
      public ImageJob next() {
        LabeledImage li = data.images().get(next);
        float[] v = new float[length];
        li.image().writeUnit(v, 0);
        return new ImageJob(next++, v, 0, li.hasLabel() ? li.label() : -1, k, cover, earlyExit, guard, false);
      }
    };
    MaskingEngine engine = new MaskingEngine(model, masker, batchSize);
    engine.run(jobs, earlyExit ? k : Integer.MAX_VALUE, job -> {
      LabeledImage li = data.images().get(job.index);
      Certificate c = certificate(job, li.id(), clean[job.index], cover, info.numClasses());
      out[job.index] = c;
      counts[0]++;
      counts[1] += c.certified() ? 1 : 0;
      if (listener != null) {
        listener.certified(c, counts[0], n, counts[1]);
      }
    });
    List<Certificate> list = List.of(out);
    return new CertificationResult(settings(set, data), list, summarize(list, n, System.nanoTime() - t0,
        engine.modelNanos() + cleanNanos));
  }

  private CertificationResult.Settings settings(MaskSet set, Dataset data) {
    return new CertificationResult.Settings(model.info().name(), data.name(), threat.spec(), set.spec(), set.size(),
        fill.spec(), guard, earlyExit, batchSize);
  }

  private Certificate certificate(ImageJob job, String id, int clean, MaskSet.Cover cover, int classes) {
    Grid g = job.grid();
    int k = g.size();
    List<Integer> masks = new ArrayList<>();
    List<Certificate.Pair> pairs = new ArrayList<>();
    if (job.label >= 0) {
      for (int a = 0; a < k; a++) {
        if (g.isKnown(a, a) && !(g.label(a, a) == job.label && g.lead(a, a) > guard)) {
          masks.add(a);
        }
        for (int b = a + 1; b < k; b++) {
          if (g.isKnown(a, b) && !(g.label(a, b) == job.label && g.lead(a, b) > guard)) {
            pairs.add(new Certificate.Pair(a, b, g.label(a, b)));
          }
        }
      }
    }
    boolean certified = job.verdict() == ImageJob.Verdict.CERTIFIED;
    List<Integer> proving = certified ? java.util.Arrays.stream(job.provingMasks()).boxed().toList() : List.of();
    String region = job.uncoveredRegion() >= 0 ? cover.region(job.uncoveredRegion()) : null;
    CertifiedGate.Outcome gate = g.complete() ? CertifiedGate.judge(g, cover, job.label, classes, guard) : null;
    return new Certificate(job.index, id, job.label, clean, job.defended(), certified, proving, region, masks, pairs,
        g.complete(), job.passes(), gate);
  }

  private static CertificationResult.Summary summarize(List<Certificate> list, int n, long nanos, long modelNanos) {
    int labelled = 0;
    int modelCorrect = 0;
    int defendedCorrect = 0;
    int certified = 0;
    long passes = 0;
    long max = 0;
    for (Certificate c : list) {
      labelled += c.hasLabel() ? 1 : 0;
      modelCorrect += c.modelCorrect() ? 1 : 0;
      defendedCorrect += c.defendedCorrect() ? 1 : 0;
      certified += c.certified() ? 1 : 0;
      passes += c.passes();
      max = Math.max(max, c.passes());
    }
    return new CertificationResult.Summary(n, labelled, modelCorrect, defendedCorrect, certified, passes, n, max,
        nanos / 1e9, modelNanos / 1e9);
  }
}
