package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a universal sticker is learned: its size, the goal, the viewing conditions it must survive, the printability
 * terms and the budget. Shared by the white-box trainer ({@link StickerTrainer}) and the query-based search
 * ({@link StickerSearch}); each reads the budget fields that apply to it.
 *
 * <pre>{@code
 * StickerSettings s = StickerSettings.builder(6).target(3).steps(300).seed(1).build();
 * TrainedSticker t = StickerTrainer.train(model, split.fit().images(), s, null);
 * }</pre>
 *
 * @param size the sticker's side in pixels
 * @param target the class the sticker should make the model predict, or -1 for untargeted (any wrong class)
 * @param conditions the transformations drawn for every image in every step (EOT)
 * @param steps gradient steps (white-box) or search iterations (black-box)
 * @param batch images per gradient step (white-box) or the fixed scoring set's size (black-box)
 * @param eotSamples transformation draws per image per step (white-box) or per scoring image (black-box)
 * @param tvWeight weight of the total variation term, at least 0
 * @param npsWeight weight of the non-printability score, at least 0
 * @param palette the printable colours; null for {@link Printability#defaultPalette}
 * @param optimizer Adam or signed steps (white-box)
 * @param learningRate Adam's step size or the signed step, in [0, 1] pixel units
 * @param squareShare the black-box search's initial window, as a share of the sticker's area (Square's p_init)
 * @param seed root seed: the start, the minibatches and every transformation of training derive from it
 * @param goalLoss what the white-box trainer minimises per stickered image
 * @param average whether the white-box trainer returns the moving average of its iterates rather than the last
 * @param jpegGradient the white-box trainer's backward pass through the JPEG step
 */
public record StickerSettings(int size, int target, Conditions conditions, int steps, int batch, int eotSamples,
    double tvWeight, double npsWeight, Printability palette, Optimizer optimizer, double learningRate,
    double squareShare, long seed, GoalLoss goalLoss, boolean average, JpegGradient jpegGradient) {

  /** The white-box trainer's stand-in for the gradient of the JPEG step, which is not differentiable (BPDA). */
  public enum JpegGradient {
    /** Straight through: the gradient with respect to JPEG's output is taken as that of its input. */
    IDENTITY,
    /**
     * For RGB images, the transpose of the codec's 4:2:0 chroma subsampling ({@code ChromaSubsampling}): colour
     * detail finer than 2x2 pixels, which JPEG discards, gets no gradient of its own; luma passes straight
     * through. Grayscale images: the identity.
     */
    CHROMA
  }

  /** What the white-box trainer minimises per stickered image. */
  public enum GoalLoss {
    /** The cross-entropy of the target (minus that of the true class, untargeted): Brown et al.'s loss. */
    CROSS_ENTROPY,
    /**
     * Minus the probability of the target (plus that of the true class, untargeted): the mean is a smooth count
     * of the images fooled, so images the sticker cannot win weigh little (their gradient is the cross-entropy
     * gradient times the target's small probability) and the step goes to those it can.
     */
    PROBABILITY
  }

  /** How the white-box trainer steps. */
  public enum Optimizer {
    /** Adam (Kingma &amp; Ba 2015) with beta1 0.9, beta2 0.999, epsilon 1e-8; values clamped to [0, 1] after each step. */
    ADAM,
    /** A fixed step against the gradient's sign (as in PGD), values clamped to [0, 1]. */
    SIGN
  }

  public StickerSettings {
    require(size >= 1 && size <= 1024, "sticker size must be from 1 to 1024 pixels, was " + size);
    require(target >= -1, "target must be a class index or -1 (untargeted), was " + target);
    require(conditions != null, "conditions are required");
    require(steps >= 1, "steps must be at least 1, was " + steps);
    require(batch >= 1, "batch must be at least 1, was " + batch);
    require(eotSamples >= 1, "EOT samples must be at least 1, was " + eotSamples);
    require(tvWeight >= 0 && Double.isFinite(tvWeight), "total variation weight must be at least 0, was " + tvWeight);
    require(npsWeight >= 0 && Double.isFinite(npsWeight), "non-printability weight must be at least 0, was " + npsWeight);
    require(learningRate > 0 && learningRate <= 1, "learning rate must be in (0, 1], was " + learningRate);
    require(squareShare > 0 && squareShare <= 1, "square share must be in (0, 1], was " + squareShare);
    require(optimizer != null, "optimizer is required");
    require(goalLoss != null, "goal loss is required");
    require(jpegGradient != null, "JPEG gradient is required");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new InputException(message);
    }
  }

  /** The same settings with another root seed (a restart, {@link StickerRestarts}). */
  public StickerSettings withSeed(long newSeed) {
    return new StickerSettings(size, target, conditions, steps, batch, eotSamples, tvWeight, npsWeight, palette,
        optimizer, learningRate, squareShare, newSeed, goalLoss, average, jpegGradient);
  }

  /** The palette to use for {@code channels}: the given one, or the default. */
  public Printability paletteFor(int channels) {
    Printability p = palette == null ? Printability.defaultPalette(channels) : palette;
    if (p.channels() != channels) {
      throw new InputException("the palette's colours have " + p.channels() + " channel(s) but the images "
          + channels);
    }
    return p;
  }

  /** The settings as a map in a stable order, for the sticker's settings file. */
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", size);
    m.put("target", target);
    m.put("steps", steps);
    m.put("batch", batch);
    m.put("eotSamples", eotSamples);
    m.put("tvWeight", tvWeight);
    m.put("npsWeight", npsWeight);
    m.put("palette", palette == null ? "default" : palette.describe());
    m.put("optimizer", optimizer.name().toLowerCase(java.util.Locale.ROOT));
    m.put("learningRate", learningRate);
    m.put("squareShare", squareShare);
    m.put("goalLoss", goalLoss.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    m.put("average", average);
    m.put("jpegGradient", jpegGradient.name().toLowerCase(java.util.Locale.ROOT));
    m.put("seed", seed);
    m.put("conditions", conditions.parameters());
    return m;
  }

  public static Builder builder(int size) {
    return new Builder(size);
  }

  /** Defaults: targeted at class 0, {@link Conditions#realistic()}, 300 steps of 32 images with 1 draw each,
   * TV weight 0.01, NPS weight 0.01, default palette, Adam at 0.02, square share 0.3, seed 1, cross-entropy,
   * the last iterate, the chroma stand-in through JPEG. */
  public static final class Builder {
    private final int size;
    private int target = 0;
    private Conditions conditions = Conditions.realistic();
    private int steps = 300;
    private int batch = 32;
    private int eotSamples = 1;
    private double tvWeight = 0.01;
    private double npsWeight = 0.01;
    private Printability palette;
    private Optimizer optimizer = Optimizer.ADAM;
    private double learningRate = 0.02;
    private double squareShare = 0.3;
    private long seed = 1;
    private GoalLoss goalLoss = GoalLoss.CROSS_ENTROPY;
    private boolean average = false;
    private JpegGradient jpegGradient = JpegGradient.CHROMA;

    private Builder(int size) {
      this.size = size;
    }

    public Builder target(int v) { target = v; return this; }
    public Builder untargeted() { target = -1; return this; }
    public Builder conditions(Conditions v) { conditions = v; return this; }
    public Builder steps(int v) { steps = v; return this; }
    public Builder batch(int v) { batch = v; return this; }
    public Builder eotSamples(int v) { eotSamples = v; return this; }
    public Builder tvWeight(double v) { tvWeight = v; return this; }
    public Builder npsWeight(double v) { npsWeight = v; return this; }
    public Builder palette(Printability v) { palette = v; return this; }
    public Builder optimizer(Optimizer v) { optimizer = v; return this; }
    public Builder learningRate(double v) { learningRate = v; return this; }
    public Builder squareShare(double v) { squareShare = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder goalLoss(GoalLoss v) { goalLoss = v; return this; }
    public Builder average(boolean v) { average = v; return this; }
    public Builder jpegGradient(JpegGradient v) { jpegGradient = v; return this; }

    public StickerSettings build() {
      return new StickerSettings(size, target, conditions, steps, batch, eotSamples, tvWeight, npsWeight, palette,
          optimizer, learningRate, squareShare, seed, goalLoss, average, jpegGradient);
    }
  }
}
