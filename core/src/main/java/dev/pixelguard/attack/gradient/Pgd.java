package dev.pixelguard.attack.gradient;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Scores;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Projected gradient descent (Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 * Attacks", ICLR 2018), in the L-infinity or L2 norm, untargeted (ascend the true class's loss) or targeted
 * (descend the target's). Optional random start inside the epsilon ball and restarts for images not yet
 * fooled; an image keeps the first adversarial example found for it (or, for adversarial training, the last
 * iterate: {@link Builder#stopAtSuccess}). FGSM (Goodfellow et al. 2015) is the
 * special case of one L-infinity step of size epsilon with no random start ({@link #fgsm(double)}).
 *
 * <p>Inputs are NCHW in [0, 1]; epsilon and step are in the same units (8/255, about 0.031, is the usual
 * L-infinity budget on CIFAR-10). Needs a {@link GradientClassifier}. Immutable; seeded.
 */
public final class Pgd {
  private final Norm norm;
  private final double epsilon;
  private final double step;
  private final int iterations;
  private final int restarts;
  private final boolean randomStart;
  private final boolean stopAtSuccess;
  private final long seed;

  private Pgd(Builder b) {
    this.norm = b.norm;
    this.epsilon = b.epsilon;
    this.step = Double.isNaN(b.step) ? 2.5 * b.epsilon / b.iterations : b.step;
    this.iterations = b.iterations;
    this.restarts = b.restarts;
    this.randomStart = b.randomStart;
    this.stopAtSuccess = b.stopAtSuccess;
    this.seed = b.seed;
  }

  /**
   * @param epsilon the perturbation budget in the norm's units, positive (for L-infinity, at most 1 is meaningful)
   */
  public static Builder builder(double epsilon) {
    return new Builder(epsilon);
  }

  /** FGSM: one L-infinity step of size epsilon from the image itself. */
  public static Pgd fgsm(double epsilon) {
    return builder(epsilon).iterations(1).step(epsilon).randomStart(false).build();
  }

  public Norm norm() {
    return norm;
  }

  public double epsilon() {
    return epsilon;
  }

  public double step() {
    return step;
  }

  public int iterations() {
    return iterations;
  }

  /** Whether this is FGSM: one L-infinity step of size epsilon from the image itself. */
  public boolean isFgsm() {
    return norm == Norm.LINF && iterations == 1 && step == epsilon && !randomStart;
  }

  public int restarts() {
    return restarts;
  }

  public boolean randomStart() {
    return randomStart;
  }

  public boolean stopAtSuccess() {
    return stopAtSuccess;
  }

  public long seed() {
    return seed;
  }

  /** The same attack with another seed. */
  public Pgd withSeed(long s) {
    return new Builder(epsilon).norm(norm).step(step).iterations(iterations).restarts(restarts)
        .randomStart(randomStart).stopAtSuccess(stopAtSuccess).seed(s).build();
  }

  /**
   * Attacks a batch.
   *
   * @param goals one goal per image
   */
  public GradientAttackResult run(GradientClassifier model, ImageBatch batch, List<Goal> goals) {
    int n = batch.size();
    if (goals.size() != n) {
      throw new IllegalArgumentException("need one goal per image: " + n + " images, " + goals.size() + " goals");
    }
    int per = batch.imageLength();
    float[] x = new float[n * per];
    batch.copyTo(x, 0);
    int[] classes = new int[n];
    float[] sign = new float[n];
    for (int i = 0; i < n; i++) {
      Goal g = goals.get(i);
      classes[i] = g instanceof Goal.Targeted t ? t.target() : ((Goal.Untargeted) g).trueClass();
      sign[i] = g instanceof Goal.Targeted ? -1f : 1f;
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] best = x.clone();
    boolean[] done = new boolean[n];
    long gradients = 0;
    for (int r = 0; r < restarts && !all(done); r++) {
      float[] adv = x.clone();
      if (randomStart) {
        for (int i = 0; i < n; i++) {
          float[] d = new float[per];
          for (int j = 0; j < per; j++) {
            d[j] = (float) (norm == Norm.LINF ? epsilon * (2 * random.nextDouble() - 1) : random.nextGaussian());
          }
          if (norm == Norm.L2) {
            double len = Norm.L2.of(d);
            double radius = epsilon * Math.pow(random.nextDouble(), 1.0 / per);
            for (int j = 0; j < per; j++) {
              d[j] = (float) (d[j] / len * radius);
            }
          }
          apply(x, adv, i, per, d);
        }
      }
      for (int t = 0; t <= iterations; t++) {
        ImageBatch current = ImageBatch.wrap(n, batch.channels(), batch.height(), batch.width(), adv.clone());
        GradientClassifier.LossGradient lg = t < iterations ? model.lossGradient(current, classes) : null;
        Scores s = lg != null ? lg.scores() : model.classify(current);
        if (lg != null) {
          gradients++;
        }
        if (!stopAtSuccess) {
          if (lg == null) {
            for (int i = 0; i < n; i++) {
              done[i] = goals.get(i).reachedBy(s.top(i));
            }
            break;
          }
        } else {
          for (int i = 0; i < n; i++) {
            if (!done[i] && goals.get(i).reachedBy(s.top(i))) {
              done[i] = true;
              System.arraycopy(adv, i * per, best, i * per, per);
            }
          }
          if (lg == null || all(done)) {
            break;
          }
        }
        for (int i = 0; i < n; i++) {
          if (done[i] && stopAtSuccess) {
            continue;
          }
          float[] g = lg.gradient()[i].clone();
          for (int j = 0; j < per; j++) {
            g[j] *= sign[i];
          }
          float[] stepped = norm.step(g, step);
          float[] d = new float[per];
          for (int j = 0; j < per; j++) {
            d[j] = adv[i * per + j] + stepped[j] - x[i * per + j];
          }
          apply(x, adv, i, per, d);
        }
      }
      for (int i = 0; i < n; i++) {
        if (!stopAtSuccess || (!done[i] && r == restarts - 1)) {
          System.arraycopy(adv, i * per, best, i * per, per);
        }
      }
      if (!stopAtSuccess) {
        break;
      }
    }
    double[] sizes = new double[n];
    for (int i = 0; i < n; i++) {
      float[] d = new float[per];
      for (int j = 0; j < per; j++) {
        d[j] = best[i * per + j] - x[i * per + j];
      }
      sizes[i] = norm.of(d);
    }
    return new GradientAttackResult(ImageBatch.wrap(n, batch.channels(), batch.height(), batch.width(), best), done,
        sizes, gradients);
  }

  /** adv_i = clip(x_i + project(d), 0, 1). */
  private void apply(float[] x, float[] adv, int i, int per, float[] d) {
    norm.project(d, epsilon);
    for (int j = 0; j < per; j++) {
      adv[i * per + j] = Math.max(0f, Math.min(1f, x[i * per + j] + d[j]));
    }
  }

  private static boolean all(boolean[] b) {
    for (boolean v : b) {
      if (!v) {
        return false;
      }
    }
    return true;
  }

  /** Settings; each setter validates at once. */
  public static final class Builder {
    private final double epsilon;
    private Norm norm = Norm.LINF;
    private double step = Double.NaN;
    private int iterations = 10;
    private int restarts = 1;
    private boolean randomStart = true;
    private boolean stopAtSuccess = true;
    private long seed = 1;

    private Builder(double epsilon) {
      if (!(epsilon > 0 && Double.isFinite(epsilon))) {
        throw new IllegalArgumentException("epsilon must be positive and finite, was " + epsilon);
      }
      this.epsilon = epsilon;
    }

    public Builder norm(Norm n) {
      this.norm = java.util.Objects.requireNonNull(n);
      return this;
    }

    /** Step size per iteration in the norm's units (default 2.5 epsilon / iterations, as Madry et al.). */
    public Builder step(double s) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("step must be positive, was " + s);
      }
      this.step = s;
      return this;
    }

    /** Gradient steps (default 10). */
    public Builder iterations(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("iterations must be at least 1, was " + n);
      }
      this.iterations = n;
      return this;
    }

    /** Runs from new random starts for images not yet fooled (default 1: no restart). */
    public Builder restarts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("restarts must be at least 1, was " + n);
      }
      this.restarts = n;
      return this;
    }

    /** Start from a random point in the epsilon ball (default true). */
    public Builder randomStart(boolean on) {
      this.randomStart = on;
      return this;
    }

    /**
     * Whether an image stops at its first adversarial point (default true: the attack's answer is the first
     * success, and the batch ends early once all images are fooled). With false every image takes all
     * iterations and the result is the last iterate, the strongest point found, as adversarial training
     * (Madry et al.) uses; restarts are then not run.
     */
    public Builder stopAtSuccess(boolean on) {
      this.stopAtSuccess = on;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public Pgd build() {
      return new Pgd(this);
    }
  }
}
