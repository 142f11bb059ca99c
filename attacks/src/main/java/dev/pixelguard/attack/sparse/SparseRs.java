package dev.pixelguard.attack.sparse;

import dev.pixelguard.Checks;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.query.QueryAttack;
import dev.pixelguard.image.Image;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sparse-RS (Croce, Singh, Andriushchenko, Hein and Flammarion, "Sparse-RS: a versatile framework for
 * query-efficient sparse black-box adversarial attacks", AAAI 2022): a black-box, score-based random search
 * for sparse changes, one query a step, that keeps a candidate when the loss does not get worse and stops at
 * the first success. Three threat models ({@link Threat}):
 *
 * <ul>
 *   <li><b>k pixels anywhere (L0)</b>: k pixels set to corners of the colour cube (each channel 0 or 255). It
 *       starts from k random positions with random corners; each step moves a share alpha of the k pixels
 *       (on the schedule of {@link Schedule#alpha}) to positions not perturbed yet, with new random corners.
 *   <li><b>An image-specific patch</b> of side s anywhere in the image: it starts at a random place with random
 *       corner colours in small squares (the paper's "random squares"); every {@link #locationPeriod()}-th
 *       step moves it by up to {@link Schedule#shift} pixels, the others redraw a square sub-window of the
 *       patch (side {@link Schedule#window}) with one random corner colour; once the window is one pixel and
 *       half the remaining budget is spent, a step flips one channel of one pixel.
 *   <li><b>A frame</b> of width w along the border: the patch's content updates, over the frame's pixels.
 * </ul>
 *
 * <p>Every proposed value is 0, 255 or the original 8-bit value, so a saved PNG is the very image judged, and
 * every pixel set anywhere differs from the original there (k pixels change exactly). The loss is the paper's:
 * the logit margin for untargeted and harm goals, the target's cross-entropy ({@link Objective#LOG_PROBABILITY})
 * for targeted ones, unless an objective is given. Immutable and thread-safe; each image's randomness comes
 * from its own seed.
 */
public final class SparseRs implements QueryAttack, java.io.Serializable {
  /** The starting share for k pixels (see {@link #defaultAlphaInit}). */
  public static final double PIXELS_ALPHA_INIT = 0.3;
  /** The starting share for a patch or a frame. */
  public static final double REGION_ALPHA_INIT = 0.4;
  /** The defaults in words, for help texts. */
  public static final String DEFAULT_ALPHA_TEXT = PIXELS_ALPHA_INIT + " for pixels, " + REGION_ALPHA_INIT
      + " for a patch or frame";

  /** Sparse-RS's threat models. */
  public enum Threat {
    /** k pixels anywhere (L0). */
    PIXELS,
    /** One square patch of a given side, anywhere. */
    PATCH,
    /** A frame of a given width along the image's border. */
    FRAME;

    /** The name on the command line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Threat threat;
  private final int size;
  private final long budget;
  private final double alphaInit;
  private final int locationPeriod;
  private final Objective objective;

  private SparseRs(Builder b) {
    this.threat = b.threat;
    this.size = b.size;
    this.budget = b.budget;
    this.alphaInit = b.alphaInit != null ? b.alphaInit : defaultAlphaInit(threat);
    this.locationPeriod = b.locationPeriod;
    this.objective = b.objective;
  }

  /**
   * pixelguard's starting share alpha for a threat model: 0.3 for pixels (the paper's L0 setting on
   * CIFAR-10), 0.4 for patches and frames.
   */
  public static double defaultAlphaInit(Threat threat) {
    return threat == Threat.PIXELS ? PIXELS_ALPHA_INIT : REGION_ALPHA_INIT;
  }

  /** A builder: 10 pixels anywhere, 10,000 queries, the paper's loss, alpha_init by threat model. */
  public static Builder builder() {
    return new Builder();
  }

  /** Why this attack cannot perturb an image of this shape, or null when it can. */
  public String unfit(int height, int width) {
    return switch (threat) {
      case PIXELS -> size > height * width ? size + " pixels is more than the image's " + height * width : null;
      case PATCH -> size > Math.min(height, width)
          ? "a patch of side " + size + " does not fit the image's " + height + "x" + width : null;
      case FRAME -> 2 * size >= Math.min(height, width)
          ? "a frame of width " + size + " covers the whole " + height + "x" + width + " image" : null;
    };
  }

  @Override
  public Search search(AttackTask task) {
    Image im = task.image();
    String unfit = unfit(im.height(), im.width());
    if (unfit != null) {
      throw new IllegalArgumentException(unfit);
    }
    return switch (threat) {
      case PIXELS -> new PixelsSearch(this, task);
      case PATCH, FRAME -> new RegionSearch(this, task);
    };
  }

  /** The loss followed for {@code goal}: the given objective, else the paper's (margin; cross-entropy if targeted). */
  public Objective objectiveFor(Goal goal) {
    if (objective != null) {
      return objective;
    }
    return goal.target() >= 0 ? Objective.LOG_PROBABILITY : Objective.MARGIN;
  }

  @Override
  public String name() {
    return "sparse-rs";
  }

  public Threat threat() {
    return threat;
  }

  /** Pixels (for {@link Threat#PIXELS}), the patch's side, or the frame's width. */
  public int size() {
    return size;
  }

  /** Most queries per image, the first (the starting perturbation) included. */
  public long budget() {
    return budget;
  }

  /** The schedule's starting share (see {@link Schedule#alpha}). */
  public double alphaInit() {
    return alphaInit;
  }

  /** A patch moves on every this-many-th step (the paper's 4). */
  public int locationPeriod() {
    return locationPeriod;
  }

  /** The given objective, or null for the paper's choice by goal ({@link #objectiveFor}). */
  public Objective objective() {
    return objective;
  }

  /** The threat model in words, e.g. "3 pixels", "4x4 patch", "frame of width 1". */
  public String threatModel() {
    return switch (threat) {
      case PIXELS -> size + " pixel" + (size == 1 ? "" : "s");
      case PATCH -> size + "x" + size + " patch";
      case FRAME -> "frame of width " + size;
    };
  }

  private String objectiveText() {
    return objective != null ? objective.name() : "MARGIN (LOG_PROBABILITY if targeted)";
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "sparse-rs, %s, at most %,d queries per image, alpha_init %s, objective %s",
        threatModel(), budget, alphaInit, objectiveText());
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attack", "sparse-rs (Croce et al. 2022), " + threatModel() + ", colour-cube corners on the 8-bit grid");
    m.put("threat", threat.label());
    m.put(threat == Threat.PIXELS ? "pixels" : threat == Threat.PATCH ? "patch" : "frame", size);
    m.put("budget", budget);
    m.put("alphaInit", alphaInit);
    if (threat == Threat.PATCH) {
      m.put("locationPeriod", locationPeriod);
    }
    m.put("objective", objectiveText());
    return m;
  }

  @Override
  public String toString() {
    return "SparseRs" + settings();
  }

  /** Settings of a {@link SparseRs}; each setter validates at once. */
  public static final class Builder {
    private Threat threat = Threat.PIXELS;
    private int size = 10;
    private long budget = 10_000;
    private Double alphaInit;
    private int locationPeriod = 4;
    private Objective objective;

    private Builder() {}

    /** k pixels anywhere (L0), k at least 1. */
    public Builder pixels(int k) {
      threat = Threat.PIXELS;
      size = Checks.atLeast(1, k, "pixels");
      return this;
    }

    /** One square patch of side {@code side} pixels, at least 1, anywhere in the image. */
    public Builder patch(int side) {
      threat = Threat.PATCH;
      size = Checks.atLeast(1, side, "patch side");
      return this;
    }

    /** A frame of {@code width} pixels, at least 1, along the border. */
    public Builder frame(int width) {
      threat = Threat.FRAME;
      size = Checks.atLeast(1, width, "frame width");
      return this;
    }

    /** Most queries per image (default 10,000). */
    public Builder budget(long q) {
      budget = Checks.atLeast(1, q, "budget");
      return this;
    }

    /** The schedule's starting share, in (0, 1] (default {@link SparseRs#defaultAlphaInit}). */
    public Builder alphaInit(double v) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException("alpha_init must be in (0, 1], was " + v);
      }
      alphaInit = v;
      return this;
    }

    /** A patch moves every this-many steps, at least 2 (default 4, the paper's). */
    public Builder locationPeriod(int n) {
      locationPeriod = Checks.atLeast(2, n, "location period");
      return this;
    }

    /** The loss followed; null (default) for the paper's: margin, or the target's cross-entropy. */
    public Builder objective(Objective o) {
      objective = o;
      return this;
    }

    public SparseRs build() {
      return new SparseRs(this);
    }
  }
}
