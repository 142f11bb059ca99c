package dev.pixelguard.attack.gradient;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import java.util.List;

/**
 * The fast gradient sign method (Goodfellow, Shlens &amp; Szegedy, "Explaining and Harnessing Adversarial
 * Examples", ICLR 2015): one L-infinity step of size epsilon along the sign of the loss gradient, from the
 * image itself. Deterministic. Needs a {@link GradientClassifier}.
 *
 * <pre>{@code
 * AttackResult r = new Fgsm(8 / 255.0).run(model, image, new Goal.Untargeted(label));
 * }</pre>
 */
public final class Fgsm extends GradientAttack {

  /** FGSM on cross-entropy. @param epsilon L-infinity budget in [0, 1] pixel units, positive */
  public Fgsm(double epsilon) {
    this(epsilon, Loss.CROSS_ENTROPY);
  }

  public Fgsm(double epsilon, Loss loss) {
    super(Norm.LINF, epsilon, loss);
  }

  @Override
  public String name() {
    return "fgsm";
  }

  /** FGSM takes one deterministic step: it makes no random choice. */
  @Override
  public boolean seeded() {
    return false;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "fgsm, L-inf eps %.4g, %s", epsilon(), loss().label());
  }

  @Override
  public Perturbed perturb(GradientClassifier model, ImageBatch batch, List<Goal> goals, long[] seeds) {
    float[] x = values(batch, goals, seeds);
    int n = batch.size();
    int per = batch.imageLength();
    float[] dir = directions(goals);
    GradientClassifier.LossGradient lg = model.lossGradient(batch, loss(), classes(goals));
    float[] adv = new float[n * per];
    long[] gradients = new long[n];
    for (int i = 0; i < n; i++) {
      apply(x, adv, i, per, Norm.LINF.step(directed(lg.gradient()[i], dir[i]), epsilon()));
      gradients[i] = 1;
    }
    return new Perturbed(adv, gradients, new long[n]);
  }
}
