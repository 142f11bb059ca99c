package dev.pixelguard.eval;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.gradient.GradientAttackResult;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Robustness of a classifier against a white-box gradient attack (PGD or FGSM) over a dataset: a clean pass,
 * then the attack on every image the model classifies correctly (and, targeted, whose label is not the
 * target), {@code batchSize} images per gradient batch. As in {@link Evaluation}, misclassified images are
 * reported but not attacked.
 *
 * <p>Success is judged on the attack's float image, as robust accuracy is in the literature; the 8-bit image
 * kept for reports is its nearest rounding. Reproducible for the same seed and batch size (the random starts
 * of one batch come from one generator, seeded from the attack's seed and the batch's position).
 */
public final class GradientEvaluation {
  private GradientEvaluation() {}

  /** Progress: called after each batch. */
  public interface Listener {
    void batchDone(int done, int total, int successes);
  }

  /**
   * @param target the target class for a targeted attack, or null for untargeted
   * @param batchSize images per gradient batch, at least 1
   */
  public static GradientEvaluationResult run(GradientClassifier model, Dataset data, Pgd attack, Integer target,
      int batchSize, Listener listener) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    long t0 = System.nanoTime();
    List<Scores> clean = CleanPass.score(model, data, batchSize);
    List<GradientEvaluationResult.Outcome> outcomes = new ArrayList<>();
    List<Integer> attackedIdx = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      LabeledImage li = data.images().get(i);
      Scores s = clean.get(i);
      String skip = Evaluation.skipReason(li, s.top(0), target);
      outcomes.add(new GradientEvaluationResult.Outcome(i, li.id(), li.label(), s.top(0), s.confidence(0), skip,
          false, -1, null, Double.NaN, Double.NaN, li.image(), null));
      if (skip == null) {
        attackedIdx.add(i);
      }
    }
    long gradients = 0;
    int successes = 0;
    Image first = data.get(0).image();
    int c = first.channels();
    int h = first.height();
    int w = first.width();
    int per = c * h * w;
    for (int from = 0; from < attackedIdx.size(); from += batchSize) {
      List<Integer> part = attackedIdx.subList(from, Math.min(attackedIdx.size(), from + batchSize));
      List<Image> ims = new ArrayList<>();
      List<Goal> goals = new ArrayList<>();
      for (int i : part) {
        LabeledImage li = data.images().get(i);
        ims.add(li.image());
        goals.add(target == null ? new Goal.Untargeted(li.label()) : new Goal.Targeted(target));
      }
      ImageBatch x = ImageBatch.of(ims);
      GradientAttackResult r = attack.withSeed(attack.seed() * 1_000_003L + from).run(model, x, goals);
      gradients += r.gradients();
      Scores adv = model.classify(r.adversarial());
      float[] xs = new float[part.size() * per];
      float[] as = new float[part.size() * per];
      x.copyTo(xs, 0);
      r.adversarial().copyTo(as, 0);
      boolean[] ok = r.success();
      for (int j = 0; j < part.size(); j++) {
        float[] d = new float[per];
        for (int q = 0; q < per; q++) {
          d[q] = as[j * per + q] - xs[j * per + q];
        }
        GradientEvaluationResult.Outcome o = outcomes.get(part.get(j));
        outcomes.set(part.get(j), new GradientEvaluationResult.Outcome(o.index(), o.id(), o.label(), o.cleanClass(),
            o.cleanConfidence(), null, ok[j], adv.top(j), adv.probabilities(j), Norm.LINF.of(d), Norm.L2.of(d),
            o.original(), Image.fromUnit(c, h, w, as, j * per)));
        successes += ok[j] ? 1 : 0;
      }
      if (listener != null) {
        listener.batchDone(from + part.size(), attackedIdx.size(), successes);
      }
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("method", attack.isFgsm() ? "fgsm" : "pgd");
    settings.put("norm", attack.norm() == Norm.LINF ? "linf" : "l2");
    settings.put("epsilon", attack.epsilon());
    settings.put("steps", attack.iterations());
    settings.put("step", attack.step());
    settings.put("randomStart", attack.randomStart());
    settings.put("restarts", attack.restarts());
    settings.put("seed", attack.seed());
    settings.put("goal", target == null ? "untargeted" : "targeted");
    if (target != null) {
      settings.put("target", target);
    }
    settings.put("batchSize", batchSize);
    boolean logits = !clean.isEmpty() && clean.get(0).hasLogits();
    return new GradientEvaluationResult(model.info(), logits, data.name(), settings, outcomes, gradients,
        System.nanoTime() - t0);
  }
}
