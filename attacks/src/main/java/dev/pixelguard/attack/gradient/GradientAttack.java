package dev.pixelguard.attack.gradient;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the white-box attacks (FGSM, PGD) share: an epsilon ball in a norm, the loss they follow, and running
 * over many images in batches with a final check of every returned image. Inputs are NCHW in [0, 1]; epsilon
 * is in the same units (8/255, about 0.031, is the usual L-infinity budget on CIFAR-10). Every random choice
 * for an image derives from that image's seed, so its outcome does not depend on the batch it shares.
 */
public abstract class GradientAttack implements Attack<GradientClassifier>, java.io.Serializable {
  private final Norm norm;
  private final double epsilon;
  private final Loss loss;

  GradientAttack(Norm norm, double epsilon, Loss loss) {
    if (!(epsilon > 0 && Double.isFinite(epsilon))) {
      throw new IllegalArgumentException("epsilon must be positive and finite, was " + epsilon);
    }
    this.norm = java.util.Objects.requireNonNull(norm);
    this.epsilon = epsilon;
    this.loss = java.util.Objects.requireNonNull(loss);
  }

  public Norm norm() {
    return norm;
  }

  public double epsilon() {
    return epsilon;
  }

  /** The settings by name, for results files: the method, the norm and epsilon, its own, then the loss. */
  @Override
  public final Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", name());
    m.put("norm", norm == Norm.LINF ? "linf" : "l2");
    m.put("epsilon", epsilon);
    ownSettings(m);
    m.put("loss", loss.name());
    return m;
  }

  /** Puts the settings of this attack's own (PGD's steps and restarts) into {@code m}; none by default. */
  void ownSettings(Map<String, Object> m) {}

  /** The loss followed: its direction for each image comes from the image's goal. */
  public Loss loss() {
    return loss;
  }

  @Override
  public Class<GradientClassifier> modelType() {
    return GradientClassifier.class;
  }

  /**
   * The perturbed images of one batch and what each cost.
   *
   * @param values the adversarial images [N * C*H*W], each within epsilon of its original, in [0, 1]
   * @param gradients gradient passes per image
   * @param queries forward-only passes per image
   */
  public record Perturbed(float[] values, long[] gradients, long[] queries) {}

  /**
   * The attack's core step on one batch, without the final check: what adversarial training uses.
   *
   * @param goals one goal per image
   * @param seeds one seed per image
   */
  public abstract Perturbed perturb(GradientClassifier model, ImageBatch batch, List<Goal> goals, long[] seeds);

  @Override
  public List<AttackResult> run(GradientClassifier model, List<AttackTask> tasks, Execution execution,
      Consumer<AttackResult> onResult) {
    List<AttackResult> out = new ArrayList<>(tasks.size());
    for (int from = 0; from < tasks.size(); from += execution.batchSize()) {
      List<AttackTask> part = tasks.subList(from, Math.min(tasks.size(), from + execution.batchSize()));
      long t0 = System.nanoTime();
      List<Image> images = new ArrayList<>();
      List<Goal> goals = new ArrayList<>();
      long[] seeds = new long[part.size()];
      for (int i = 0; i < part.size(); i++) {
        images.add(part.get(i).image());
        goals.add(part.get(i).goal());
        seeds[i] = part.get(i).seed();
      }
      ImageBatch batch = ImageBatch.of(images);
      Perturbed p = perturb(model, batch, goals, seeds);
      Scores check = model.classify(ImageBatch.wrap(part.size(), batch.channels(), batch.height(), batch.width(),
          p.values().clone()));
      long nanos = System.nanoTime() - t0;
      int per = batch.imageLength();
      for (int i = 0; i < part.size(); i++) {
        float[] v = java.util.Arrays.copyOfRange(p.values(), i * per, (i + 1) * per);
        AttackResult r = AttackResult.judge(part.get(i),
            new Proposal(v, new Cost(p.queries()[i], p.gradients()[i], -1, nanos), Double.NaN, null),
            check.slice(i, i + 1));
        out.add(r);
        onResult.accept(r);
      }
    }
    return out;
  }

  /** One loss class and direction per image, from the goals. */
  int[] classes(List<Goal> goals) {
    return goals.stream().mapToInt(Goal::lossClass).toArray();
  }

  float[] directions(List<Goal> goals) {
    float[] d = new float[goals.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = goals.get(i).lossDirection(loss);
    }
    return d;
  }

  /** The gradient times the goal's direction (+1 ascend, -1 descend), as a new array. */
  static float[] directed(float[] gradient, float direction) {
    float[] g = gradient.clone();
    for (int j = 0; j < g.length; j++) {
      g[j] *= direction;
    }
    return g;
  }

  /** adv_i = clip(x_i + project(d), 0, 1), in place. */
  void apply(float[] x, float[] adv, int i, int per, float[] d) {
    norm.project(d, epsilon);
    for (int j = 0; j < per; j++) {
      adv[i * per + j] = Math.max(0f, Math.min(1f, x[i * per + j] + d[j]));
    }
  }

  /** The batch's values, [N * C*H*W], after checking that there is one goal and one seed per image. */
  static float[] values(ImageBatch batch, List<Goal> goals, long[] seeds) {
    if (goals.size() != batch.size() || seeds.length != batch.size()) {
      throw new IllegalArgumentException("need one goal and one seed per image: " + batch.size() + " images, "
          + goals.size() + " goals, " + seeds.length + " seeds");
    }
    float[] x = new float[batch.size() * batch.imageLength()];
    batch.copyTo(x, 0);
    return x;
  }
}
