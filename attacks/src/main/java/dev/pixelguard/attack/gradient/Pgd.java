package dev.pixelguard.attack.gradient;

import dev.pixelguard.Checks;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Projected gradient descent (Madry et al., "Towards Deep Learning Models Resistant to Adversarial
 * Attacks", ICLR 2018), in the L-infinity or L2 norm, following each image's goal: untargeted ascends the
 * true class's loss, targeted descends the target's (for the margin loss, the other way round). Optional
 * random start inside the epsilon ball and restarts for images not yet fooled; an image keeps the first
 * adversarial point found for it, and stops taking gradients then (or, for adversarial training, every
 * image takes every step and the result is the last iterate: {@link Builder#stopAtSuccess}).
 *
 * <p>Inputs are NCHW in [0, 1]; epsilon and step are in the same units. Each image's random starts come from
 * its own seed, so its outcome does not depend on the images it shares a batch with. Needs a
 * {@link GradientClassifier}. Immutable.
 */
public final class Pgd extends GradientAttack {
  private final double step;
  private final int iterations;
  private final int restarts;
  private final boolean randomStart;
  private final boolean stopAtSuccess;

  private Pgd(Builder b) {
    super(b.norm, b.epsilon, b.loss);
    this.step = Double.isNaN(b.step) ? 2.5 * b.epsilon / b.iterations : b.step;
    this.iterations = b.iterations;
    this.restarts = b.restarts;
    this.randomStart = b.randomStart;
    this.stopAtSuccess = b.stopAtSuccess;
  }

  /**
   * @param epsilon the perturbation budget in the norm's units, positive (for L-infinity, at most 1 is meaningful)
   */
  public static Builder builder(double epsilon) {
    if (!(epsilon > 0 && Double.isFinite(epsilon))) {
      throw new IllegalArgumentException("epsilon must be positive and finite, was " + epsilon);
    }
    return new Builder(epsilon);
  }

  @Override
  public String name() {
    return "pgd";
  }

  public double step() {
    return step;
  }

  public int iterations() {
    return iterations;
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

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "pgd, %s eps %.4g, %d steps of %.4g, %s, %d restart%s, %s",
        norm().label(), epsilon(), iterations, step, randomStart ? "random start" : "no random start", restarts,
        restarts == 1 ? "" : "s", loss().label());
  }

  @Override
  void ownSettings(Map<String, Object> m) {
    m.put("steps", iterations);
    m.put("step", step);
    m.put("randomStart", randomStart);
    m.put("restarts", restarts);
  }

  @Override
  public Perturbed perturb(GradientClassifier model, ImageBatch batch, List<Goal> goals, long[] seeds) {
    float[] x = values(batch, goals, seeds);
    int n = batch.size();
    int per = batch.imageLength();
    int[] classes = classes(goals);
    float[] dir = directions(goals);
    SplittableRandom[] random = new SplittableRandom[n];
    for (int i = 0; i < n; i++) {
      random[i] = new SplittableRandom(seeds[i]);
    }
    float[] best = x.clone();
    float[] adv = x.clone();
    boolean[] done = new boolean[n];
    long[] gradients = new long[n];
    long[] queries = new long[n];
    for (int r = 0; r < restarts; r++) {
      List<Integer> active = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!done[i]) {
          active.add(i);
          System.arraycopy(x, i * per, adv, i * per, per);
          if (randomStart) {
            apply(x, adv, i, per, randomPoint(random[i], per));
          }
        }
      }
      if (active.isEmpty()) {
        break;
      }
      List<Integer> started = List.copyOf(active);
      // stopAtSuccess: one more forward pass after the last step says whether the last iterate succeeds.
      int passes = stopAtSuccess ? iterations + 1 : iterations;
      for (int t = 0; t < passes && !active.isEmpty(); t++) {
        int m = active.size();
        float[] current = new float[m * per];
        int[] cls = new int[m];
        for (int a = 0; a < m; a++) {
          int i = active.get(a);
          System.arraycopy(adv, i * per, current, a * per, per);
          cls[a] = classes[i];
        }
        ImageBatch cb = ImageBatch.wrap(m, batch.channels(), batch.height(), batch.width(), current);
        boolean gradientStep = t < iterations;
        GradientClassifier.LossGradient lg = gradientStep ? model.lossGradient(cb, loss(), cls) : null;
        Scores s = gradientStep ? lg.scores() : model.classify(cb);
        List<Integer> still = new ArrayList<>();
        for (int a = 0; a < m; a++) {
          int i = active.get(a);
          if (gradientStep) {
            gradients[i]++;
          } else {
            queries[i]++;
          }
          if (stopAtSuccess && goals.get(i).isMet(s, a)) {
            done[i] = true;
            System.arraycopy(adv, i * per, best, i * per, per);
            continue;
          }
          if (gradientStep) {
            float[] stepped = norm().step(directed(lg.gradient()[a], dir[i]), step);
            float[] d = new float[per];
            for (int j = 0; j < per; j++) {
              d[j] = adv[i * per + j] + stepped[j] - x[i * per + j];
            }
            apply(x, adv, i, per, d);
          }
          still.add(i);
        }
        active = still;
      }
      for (int i : started) {
        if (!done[i] && (!stopAtSuccess || r == restarts - 1)) {
          System.arraycopy(adv, i * per, best, i * per, per);
        }
      }
      if (!stopAtSuccess) {
        break;
      }
    }
    return new Perturbed(best, gradients, queries);
  }

  /** A uniformly random point of the epsilon ball (L-infinity: a cube; L2: a Euclidean ball). */
  private float[] randomPoint(SplittableRandom random, int per) {
    float[] d = new float[per];
    for (int j = 0; j < per; j++) {
      d[j] = (float) (norm() == Norm.LINF ? epsilon() * (2 * random.nextDouble() - 1) : random.nextGaussian());
    }
    if (norm() == Norm.L2) {
      double len = Norm.L2.of(d);
      double radius = epsilon() * Math.pow(random.nextDouble(), 1.0 / per);
      for (int j = 0; j < per; j++) {
        d[j] = (float) (d[j] / len * radius);
      }
    }
    return d;
  }

  /** Settings; each setter validates at once. */
  public static final class Builder {
    private final double epsilon;
    private Norm norm = Norm.LINF;
    private Loss loss = Loss.CROSS_ENTROPY;
    private double step = Double.NaN;
    private int iterations = 10;
    private int restarts = 1;
    private boolean randomStart = true;
    private boolean stopAtSuccess = true;

    private Builder(double epsilon) {
      this.epsilon = epsilon;
    }

    public Builder norm(Norm n) {
      this.norm = java.util.Objects.requireNonNull(n);
      return this;
    }

    /** The loss followed (default cross-entropy; {@link Loss#MARGIN} does not saturate on confident images). */
    public Builder loss(Loss l) {
      this.loss = java.util.Objects.requireNonNull(l);
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
      this.iterations = Checks.atLeast(1, n, "iterations");
      return this;
    }

    /** Runs from new random starts for images not yet fooled (default 1: no restart). */
    public Builder restarts(int n) {
      this.restarts = Checks.atLeast(1, n, "restarts");
      return this;
    }

    /** Start from a random point in the epsilon ball (default true). */
    public Builder randomStart(boolean on) {
      this.randomStart = on;
      return this;
    }

    /**
     * Whether an image stops at its first adversarial point (default true: the attack's answer is the first
     * success). With false every image takes all iterations and the result is the last iterate, the
     * strongest point found, as adversarial training (Madry et al.) uses; restarts are then not run.
     */
    public Builder stopAtSuccess(boolean on) {
      this.stopAtSuccess = on;
      return this;
    }

    public Pgd build() {
      if (restarts > 1 && !randomStart) {
        throw new IllegalArgumentException("restarts without a random start would repeat the same run; "
            + "allow the random start or use one run");
      }
      return new Pgd(this);
    }
  }
}
