package dev.pixelguard.optim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Differential evolution (Storn &amp; Price 1997) with an ask/tell interface: it proposes a whole population,
 * the caller evaluates it however it likes (for example packed into one model batch together with the
 * candidates of other searches) and reports the fitness back. Minimises.
 *
 * <pre>{@code
 * DifferentialEvolution de = DifferentialEvolution.builder(lower, upper).population(50).seed(7).build();
 * while (!de.isDone()) {
 *   double[][] xs = de.ask();
 *   double[] f = new double[xs.length];
 *   for (int i = 0; i < xs.length; i++) f[i] = objective(xs[i]);
 *   de.tell(f);
 * }
 * double[] best = de.best();
 * }</pre>
 *
 * <p>Selection is generational ("deferred"): all trials of a generation are built from the previous
 * population, which is what lets a generation be evaluated as one batch. A fitness of
 * {@link Double#POSITIVE_INFINITY} marks a candidate that was not evaluated; it never replaces a parent.
 * Not thread-safe; one instance per search. Deterministic for a given seed.
 */
public final class DifferentialEvolution {

  /** How a mutant vector is formed. */
  public enum Strategy {
    /** v = x_r1 + F (x_r2 - x_r3), with r1, r2, r3 distinct and different from the target: explores. */
    RAND_1,
    /** v = x_best + F (x_r1 - x_r2): converges faster, explores less. */
    BEST_1
  }

  /** What happens to a mutant value outside its bounds. */
  public enum BoundHandling {
    /** Set to the nearest bound. */
    CLIP,
    /** Drawn again uniformly within the bounds (as SciPy does). */
    RESAMPLE
  }

  /** Draws one individual of the initial population. */
  @FunctionalInterface
  public interface Initializer {
    /** Returns a new vector of the problem's dimension; values outside the bounds are handled as mutants are. */
    double[] sample(SplittableRandom random);
  }

  private final double[] lower;
  private final double[] upper;
  private final int populationSize;
  private final double mutation;
  private final double crossover;
  private final Strategy strategy;
  private final BoundHandling boundHandling;
  private final int maxIterations;
  private final double targetFitness;
  private final SplittableRandom random;

  private final double[][] population;
  private final double[] fitness;
  private double[][] trials;
  private boolean initialised;
  private boolean awaitingTell;
  private int iterations;
  private long evaluations;
  private int bestIndex = -1;

  private DifferentialEvolution(Builder b) {
    this.lower = b.lower.clone();
    this.upper = b.upper.clone();
    this.populationSize = b.population;
    this.mutation = b.mutation;
    this.crossover = b.crossover;
    this.strategy = b.strategy;
    this.boundHandling = b.boundHandling;
    this.maxIterations = b.maxIterations;
    this.targetFitness = b.targetFitness;
    this.random = new SplittableRandom(b.seed);
    int d = lower.length;
    Initializer init = b.initializer != null ? b.initializer : this::uniform;
    this.population = new double[populationSize][];
    for (int i = 0; i < populationSize; i++) {
      double[] x = init.sample(random);
      if (x.length != d) {
        throw new IllegalArgumentException("initializer returned dimension " + x.length + ", expected " + d);
      }
      repair(x);
      population[i] = x;
    }
    this.fitness = new double[populationSize];
    Arrays.fill(fitness, Double.POSITIVE_INFINITY);
  }

  /**
   * @param lower lower bound of each dimension
   * @param upper upper bound of each dimension, each at least its lower bound
   */
  public static Builder builder(double[] lower, double[] upper) {
    return new Builder(lower, upper);
  }

  private double[] uniform(SplittableRandom r) {
    double[] x = new double[lower.length];
    for (int j = 0; j < x.length; j++) {
      x[j] = lower[j] + r.nextDouble() * (upper[j] - lower[j]);
    }
    return x;
  }

  private void repair(double[] x) {
    for (int j = 0; j < x.length; j++) {
      if (x[j] < lower[j] || x[j] > upper[j] || Double.isNaN(x[j])) {
        x[j] = boundHandling == BoundHandling.CLIP && !Double.isNaN(x[j])
            ? Math.max(lower[j], Math.min(upper[j], x[j]))
            : lower[j] + random.nextDouble() * (upper[j] - lower[j]);
      }
    }
  }

  /**
   * The candidates to evaluate next: the initial population on the first call, a generation of trial
   * vectors after that. Returns copies; call {@link #tell} with their fitness before asking again.
   *
   * @throws IllegalStateException if the previous candidates were not told, or the search is done
   */
  public double[][] ask() {
    if (awaitingTell) {
      throw new IllegalStateException("tell() the fitness of the last candidates before asking again");
    }
    if (isDone()) {
      throw new IllegalStateException("the search is done after " + iterations + " iterations");
    }
    awaitingTell = true;
    if (!initialised) {
      return copy(population);
    }
    int d = lower.length;
    trials = new double[populationSize][];
    for (int i = 0; i < populationSize; i++) {
      double[] v = new double[d];
      if (strategy == Strategy.RAND_1) {
        int[] r = distinct(3, i);
        for (int j = 0; j < d; j++) {
          v[j] = population[r[0]][j] + mutation * (population[r[1]][j] - population[r[2]][j]);
        }
      } else {
        int[] r = distinct(2, i);
        double[] best = population[bestIndex];
        for (int j = 0; j < d; j++) {
          v[j] = best[j] + mutation * (population[r[0]][j] - population[r[1]][j]);
        }
      }
      if (crossover < 1.0) {
        int jrand = random.nextInt(d);
        for (int j = 0; j < d; j++) {
          if (j != jrand && random.nextDouble() >= crossover) {
            v[j] = population[i][j];
          }
        }
      }
      repair(v);
      trials[i] = v;
    }
    return copy(trials);
  }

  private int[] distinct(int count, int exclude) {
    int[] r = new int[count];
    for (int k = 0; k < count; k++) {
      int c;
      boolean clash;
      do {
        c = random.nextInt(populationSize);
        clash = c == exclude;
        for (int m = 0; m < k && !clash; m++) {
          clash = r[m] == c;
        }
      } while (clash);
      r[k] = c;
    }
    return r;
  }

  private static double[][] copy(double[][] xs) {
    double[][] out = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      out[i] = xs[i].clone();
    }
    return out;
  }

  /**
   * Reports the fitness (lower is better) of the candidates of the last {@link #ask}, in the same order.
   * Use {@link Double#POSITIVE_INFINITY} for a candidate that was not evaluated.
   */
  public void tell(double[] values) {
    if (!awaitingTell) {
      throw new IllegalStateException("ask() before tell()");
    }
    if (values.length != populationSize) {
      throw new IllegalArgumentException("expected " + populationSize + " fitness values, got " + values.length);
    }
    for (int i = 0; i < populationSize; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException("fitness " + i + " is NaN");
      }
      if (!initialised) {
        fitness[i] = values[i];
      } else if (values[i] <= fitness[i] && values[i] != Double.POSITIVE_INFINITY) {
        population[i] = trials[i];
        fitness[i] = values[i];
      }
      if (values[i] != Double.POSITIVE_INFINITY) {
        evaluations++;
      }
    }
    initialised = true;
    trials = null;
    awaitingTell = false;
    iterations++;
    bestIndex = 0;
    for (int i = 1; i < populationSize; i++) {
      if (fitness[i] < fitness[bestIndex]) {
        bestIndex = i;
      }
    }
  }

  /**
   * True once {@code maxIterations} populations have been evaluated, or (early stop) once the best fitness
   * is at or below the target fitness.
   */
  public boolean isDone() {
    return iterations >= maxIterations || (initialised && fitness[bestIndex] <= targetFitness);
  }

  /** Populations evaluated so far (the initial one counts as the first). */
  public int iterations() {
    return iterations;
  }

  /** Candidates evaluated so far (those told with a finite fitness). */
  public long evaluations() {
    return evaluations;
  }

  public int populationSize() {
    return populationSize;
  }

  public int dimension() {
    return lower.length;
  }

  /** The best vector found so far. */
  public double[] best() {
    requireInitialised();
    return population[bestIndex].clone();
  }

  /** The fitness of {@link #best()}. */
  public double bestFitness() {
    requireInitialised();
    return fitness[bestIndex];
  }

  private void requireInitialised() {
    if (!initialised) {
      throw new IllegalStateException("no population has been evaluated yet");
    }
  }

  /**
   * A differential weight F, checked: in (0, 2].
   *
   * @throws IllegalArgumentException otherwise
   */
  public static double checkMutation(double f) {
    if (!(f > 0 && f <= 2)) {
      throw new IllegalArgumentException("mutation F must be in (0, 2], was " + f);
    }
    return f;
  }

  /**
   * A binomial crossover rate CR, checked: in [0, 1].
   *
   * @throws IllegalArgumentException otherwise
   */
  public static double checkCrossover(double cr) {
    if (!(cr >= 0 && cr <= 1)) {
      throw new IllegalArgumentException("crossover rate must be in [0, 1], was " + cr);
    }
    return cr;
  }

  /** Settings for a {@link DifferentialEvolution}; every setter validates at once. */
  public static final class Builder {
    private final double[] lower;
    private final double[] upper;
    private int population = 50;
    private double mutation = 0.5;
    private double crossover = 0.9;
    private Strategy strategy = Strategy.RAND_1;
    private BoundHandling boundHandling = BoundHandling.CLIP;
    private int maxIterations = 100;
    private long seed = 1L;
    private double targetFitness = Double.NEGATIVE_INFINITY;
    private Initializer initializer;

    private Builder(double[] lower, double[] upper) {
      if (lower.length == 0 || lower.length != upper.length) {
        throw new IllegalArgumentException("bounds must be non-empty and of equal length");
      }
      for (int j = 0; j < lower.length; j++) {
        if (!(upper[j] >= lower[j])) {
          throw new IllegalArgumentException("upper bound " + j + " (" + upper[j] + ") is below the lower ("
              + lower[j] + ")");
        }
      }
      this.lower = lower.clone();
      this.upper = upper.clone();
    }

    /** Individuals per generation, at least 4 (default 50). */
    public Builder population(int n) {
      if (n < 4) {
        throw new IllegalArgumentException("population must be at least 4, was " + n);
      }
      this.population = n;
      return this;
    }

    /** Differential weight F, in (0, 2] (default 0.5). */
    public Builder mutation(double f) {
      this.mutation = checkMutation(f);
      return this;
    }

    /**
     * Binomial crossover rate CR in [0, 1] (default 0.9): the chance that each coordinate comes from the
     * mutant. 1 means the trial is the mutant itself, i.e. no crossover (Su et al.'s setting).
     */
    public Builder crossover(double cr) {
      this.crossover = checkCrossover(cr);
      return this;
    }

    /** How mutants are made (default rand/1). */
    public Builder strategy(Strategy s) {
      this.strategy = java.util.Objects.requireNonNull(s, "strategy");
      return this;
    }

    /** What happens to a coordinate a mutant puts out of bounds (default: set to the nearest bound). */
    public Builder boundHandling(BoundHandling h) {
      this.boundHandling = java.util.Objects.requireNonNull(h, "bound handling");
      return this;
    }

    /** Populations to evaluate at most, the initial one included (default 100). */
    public Builder maxIterations(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max iterations must be at least 1, was " + n);
      }
      this.maxIterations = n;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Early stop: the search is done once the best fitness is at or below {@code f} (default: never). */
    public Builder targetFitness(double f) {
      this.targetFitness = f;
      return this;
    }

    /** How the initial population is drawn (default: uniform within the bounds). */
    public Builder initializer(Initializer init) {
      this.initializer = init;
      return this;
    }

    public DifferentialEvolution build() {
      return new DifferentialEvolution(this);
    }
  }
}
