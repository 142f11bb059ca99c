package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.query.ProposingSearch;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Scores;
import dev.pixelguard.optim.DifferentialEvolution;

/**
 * Su et al.'s differential-evolution search for one image, as a {@link SparseAttack.Search}: each generation is
 * one request of {@code population} candidate images. A candidate is k genes of (x, y, colour...) decoded
 * to whole pixel positions and whole 8-bit colours, so the adversarial image survives a PNG round trip.
 */
final class PixelSearch extends ProposingSearch {
  private final PixelAttack attack;
  private final AttackTask task;
  private final Image image;
  private final Goal goal;
  private final long seed;
  private final float[] base;
  private final int channels;
  private final int height;
  private final int width;
  private final DifferentialEvolution de;
  private final long budget;

  private double[][] asked;
  private int askedCount;
  private long queries;
  private final Incumbent best = new Incumbent();

  PixelSearch(PixelAttack attack, AttackTask task) {
    this.attack = attack;
    this.task = task;
    this.image = task.image();
    this.goal = task.goal();
    this.seed = task.seed();
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    this.base = new float[channels * height * width];
    image.writeUnit(base, 0);
    int k = attack.pixels();
    int genes = 2 + channels;
    double[] lo = new double[k * genes];
    double[] hi = new double[k * genes];
    for (int p = 0; p < k; p++) {
      hi[p * genes] = width;
      hi[p * genes + 1] = height;
      for (int c = 0; c < channels; c++) {
        hi[p * genes + 2 + c] = 255;
      }
    }
    double mean = attack.colourMean();
    double std = attack.colourStd();
    this.de = DifferentialEvolution.builder(lo, hi)
        .population(attack.population())
        .maxIterations(attack.iterations())
        .mutation(attack.mutation())
        .crossover(attack.crossover())
        .strategy(attack.strategy())
        .boundHandling(attack.boundHandling())
        .seed(seed)
        .initializer(r -> {
          double[] x = new double[lo.length];
          for (int p = 0; p < k; p++) {
            x[p * genes] = r.nextDouble() * width;
            x[p * genes + 1] = r.nextDouble() * height;
            for (int c = 0; c < channels; c++) {
              x[p * genes + 2 + c] = mean + std * r.nextGaussian();
            }
          }
          return x;
        })
        .build();
    this.budget = attack.budget();
  }

  /** Whole-number genes: per pixel x in [0, W), y in [0, H), colour values in [0, 255]. */
  private int[] decode(double[] x) {
    int[] g = new int[x.length];
    int genes = 2 + channels;
    for (int i = 0; i < x.length; i++) {
      int slot = i % genes;
      int max = slot == 0 ? width - 1 : slot == 1 ? height - 1 : 255;
      g[i] = (int) Math.max(0, Math.min(max, slot < 2 ? Math.floor(x[i]) : Math.rint(x[i])));
    }
    return g;
  }

  @Override
  public Candidates ask() {
    begin();
    asked = de.ask();
    askedCount = (int) Math.min(asked.length, budget - queries);
    int[][] decoded = new int[askedCount][];
    for (int j = 0; j < askedCount; j++) {
      decoded[j] = decode(asked[j]);
    }
    return Candidates.of(askedCount, (j, dst, offset) -> Genes.write(base, decoded[j], channels, height, width, dst,
        offset));
  }

  @Override
  public void tell(Scores scores) {
    if (asked == null) {
      throw new IllegalStateException("ask() before tell()");
    }
    if (scores.size() != askedCount) {
      throw new IllegalArgumentException("expected " + askedCount + " score rows, got " + scores.size());
    }
    Objective objective = attack.objective();
    double[] fitness = new double[asked.length];
    java.util.Arrays.fill(fitness, Double.POSITIVE_INFINITY);
    for (int j = 0; j < askedCount; j++) {
      double f = Genes.finite(objective.fitness(scores, j, goal));
      fitness[j] = f;
      best.offer(decode(asked[j]), f, scores, j, goal, queries + askedCount);
    }
    queries += askedCount;
    de.tell(fitness);
    asked = null;
    boolean stop = (best.succeeds() && attack.earlyStop()) || de.isDone() || queries >= budget;
    if (stop) {
      finish();
    }
  }

  private void finish() {
    propose(best.proposal(image, base, queries, elapsedNanos()));
  }
}
