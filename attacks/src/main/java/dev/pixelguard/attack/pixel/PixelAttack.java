package dev.pixelguard.attack.pixel;

import dev.pixelguard.Checks;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.optim.DifferentialEvolution;
import dev.pixelguard.optim.DifferentialEvolution.BoundHandling;
import dev.pixelguard.optim.DifferentialEvolution.Strategy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The k-pixel attack of Su, Vargas &amp; Sakurai, "One Pixel Attack for Fooling Deep Neural Networks"
 * (IEEE TEVC 2019): differential evolution over k pixels' positions and colours, using only the model's
 * output scores.
 *
 * <pre>{@code
 * PixelAttack attack = PixelAttack.builder().pixels(1).build();   // the paper's settings
 * AttackResult r = attack.run(classifier, image, new Goal.Untargeted(label));
 * if (r.success()) ImageFiles.writePng(r.adversarial(), Path.of("adv.png"));
 * }</pre>
 *
 * <p>A candidate is (x, y, r, g, b) per pixel for RGB, (x, y, v) for grayscale. Defaults are the paper's:
 * population 400, at most 100 iterations (so at most 40,000 queries per image), F = 0.5, no crossover,
 * DE/rand/1, positions uniform and colours Gaussian(128, 127) clipped to [0, 255], fitness the true class's
 * probability. Colours are whole 8-bit values, so a saved PNG stays adversarial. The search stops at the
 * first generation with a success (early stop), at the query budget, or after the last iteration.
 * Immutable and thread-safe; every random choice derives from each task's seed.
 */
public final class PixelAttack implements SparseAttack, java.io.Serializable {
  private final int pixels;
  private final int population;
  private final int iterations;
  private final double mutation;
  private final double crossover;
  private final Strategy strategy;
  private final BoundHandling boundHandling;
  private final Objective objective;
  private final long budget;
  private final double colourMean;
  private final double colourStd;
  private final boolean earlyStop;

  private PixelAttack(Builder b) {
    this.pixels = b.pixels;
    this.population = b.population;
    this.iterations = b.iterations;
    this.mutation = b.mutation;
    this.crossover = b.crossover;
    this.strategy = b.strategy;
    this.boundHandling = b.boundHandling;
    this.objective = b.objective;
    this.budget = b.budget;
    this.colourMean = b.colourMean;
    this.colourStd = b.colourStd;
    this.earlyStop = b.earlyStop;
  }

  /** A builder holding the paper's settings. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this attack's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pixels = pixels;
    b.population = population;
    b.iterations = iterations;
    b.mutation = mutation;
    b.crossover = crossover;
    b.strategy = strategy;
    b.boundHandling = boundHandling;
    b.objective = objective;
    b.budget = budget;
    b.colourMean = colourMean;
    b.colourStd = colourStd;
    b.earlyStop = earlyStop;
    return b;
  }

  @Override
  public Search search(AttackTask task) {
    if (pixels > task.image().positions()) {
      throw new IllegalArgumentException(pixels + " pixels is more than the image's " + task.image().positions());
    }
    return new PixelSearch(this, task);
  }

  @Override
  public String name() {
    return "su";
  }

  /** One generation: the whole population is one request. */
  @Override
  public int requestSize() {
    return population;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "su (differential evolution), %d pixel%s, population %d, at most %,d "
        + "queries per image, objective %s", pixels, pixels == 1 ? "" : "s", population, budget(), objective);
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attack", "pixel (Su et al. 2019, differential evolution)");
    m.put("pixels", pixels);
    m.put("population", population);
    m.put("iterations", iterations);
    m.put("mutation", mutation);
    m.put("crossover", crossover);
    m.put("strategy", strategy.name());
    m.put("boundHandling", boundHandling.name());
    m.put("objective", objective.name());
    m.put("budget", budget == Long.MAX_VALUE ? null : budget);
    m.put("colourInit", "Gaussian(" + colourMean + ", " + colourStd + ") clipped to [0, 255]");
    m.put("earlyStop", earlyStop);
    return m;
  }

  @Override
  public int pixels() {
    return pixels;
  }

  public int population() {
    return population;
  }

  public int iterations() {
    return iterations;
  }

  public double mutation() {
    return mutation;
  }

  public double crossover() {
    return crossover;
  }

  public Strategy strategy() {
    return strategy;
  }

  public BoundHandling boundHandling() {
    return boundHandling;
  }

  public Objective objective() {
    return objective;
  }

  /** Queries per image at most: the budget if set, else population x iterations. */
  @Override
  public long budget() {
    return Math.min(budget, (long) population * iterations);
  }

  public double colourMean() {
    return colourMean;
  }

  public double colourStd() {
    return colourStd;
  }

  public boolean earlyStop() {
    return earlyStop;
  }

  @Override
  public String toString() {
    return "PixelAttack" + settings();
  }

  /** Settings with the paper's defaults; each setter validates at once. */
  public static final class Builder {
    private int pixels = 1;
    private int population = 400;
    private int iterations = 100;
    private double mutation = 0.5;
    private double crossover = 1.0;
    private Strategy strategy = Strategy.RAND_1;
    private BoundHandling boundHandling = BoundHandling.CLIP;
    private Objective objective = Objective.PROBABILITY;
    private long budget = Long.MAX_VALUE;
    private double colourMean = 128;
    private double colourStd = 127;
    private boolean earlyStop = true;

    private Builder() {}

    /** Pixels changed, k at least 1 (default 1). */
    public Builder pixels(int k) {
      this.pixels = Checks.atLeast(1, k, "pixels");
      return this;
    }

    /** Candidates per generation, at least 4 (default 400). */
    public Builder population(int n) {
      this.population = Checks.atLeast(4, n, "population");
      return this;
    }

    /** Populations evaluated at most, the initial one included (default 100). */
    public Builder iterations(int n) {
      this.iterations = Checks.atLeast(1, n, "iterations");
      return this;
    }

    /** Differential weight F in (0, 2] (default 0.5). */
    public Builder mutation(double f) {
      this.mutation = DifferentialEvolution.checkMutation(f);
      return this;
    }

    /** Crossover rate CR in [0, 1]; 1 (the default, the paper's) means no crossover. */
    public Builder crossover(double cr) {
      this.crossover = DifferentialEvolution.checkCrossover(cr);
      return this;
    }

    public Builder strategy(Strategy s) {
      this.strategy = java.util.Objects.requireNonNull(s);
      return this;
    }

    public Builder boundHandling(BoundHandling h) {
      this.boundHandling = java.util.Objects.requireNonNull(h);
      return this;
    }

    public Builder objective(Objective o) {
      this.objective = java.util.Objects.requireNonNull(o);
      return this;
    }

    /** Query budget per image, at least 1 (default: none beyond population x iterations). */
    public Builder budget(long q) {
      this.budget = Checks.atLeast(1, q, "budget");
      return this;
    }

    /** Mean and standard deviation of the initial colours, on the 0-255 scale (default 128, 127). */
    public Builder colourInit(double mean, double std) {
      if (!(std >= 0)) {
        throw new IllegalArgumentException("colour std must be non-negative, was " + std);
      }
      this.colourMean = mean;
      this.colourStd = std;
      return this;
    }

    /** Stop at the first generation with a success (default true). */
    public Builder earlyStop(boolean on) {
      this.earlyStop = on;
      return this;
    }

    public PixelAttack build() {
      return new PixelAttack(this);
    }
  }
}
