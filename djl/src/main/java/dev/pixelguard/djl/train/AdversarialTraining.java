package dev.pixelguard.djl.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.attack.gradient.Fgsm;
import dev.pixelguard.attack.gradient.GradientAttack;
import dev.pixelguard.attack.gradient.Pgd;

/**
 * What a training step trains on. Inputs are in [0, 1]; epsilon and step are L-infinity sizes in the same
 * units. Adversarial examples are made against the network as it is at that step, in inference mode (dropout
 * off), and the weights do not learn from making them.
 *
 * @param method standard, FGSM mix or PGD
 * @param epsilon L-infinity budget of the adversarial examples (ignored for {@link Method#STANDARD})
 * @param steps PGD iterations (1 for FGSM)
 * @param step PGD step size (epsilon for FGSM)
 * @param cleanWeight FGSM mix: the weight alpha of the clean loss in alpha J(x) + (1 - alpha) J(x_adv),
 *     in [0, 1] (Goodfellow et al. use 0.5); 0 for PGD, which trains on adversarial examples only
 */
public record AdversarialTraining(Method method, double epsilon, int steps, double step, double cleanWeight) {

  /** The kind of training. */
  public enum Method {
    /** Clean images only. */
    STANDARD,
    /** Goodfellow, Shlens and Szegedy 2015: a weighted mix of the clean loss and the loss at the FGSM image. */
    FGSM,
    /** Madry et al. 2018: the loss at the last iterate of PGD from a random start in the epsilon ball. */
    PGD
  }

  public static final AdversarialTraining STANDARD_TRAINING = new AdversarialTraining(Method.STANDARD, 0, 0, 0, 1);

  public AdversarialTraining {
    if (method != Method.STANDARD) {
      if (!(epsilon > 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("epsilon must be in (0, 1], was " + epsilon);
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be at least 1, was " + steps);
      }
      if (!(step > 0)) {
        throw new IllegalArgumentException("step must be positive, was " + step);
      }
      if (!(cleanWeight >= 0 && cleanWeight < 1)) {
        throw new IllegalArgumentException("the clean loss weight must be in [0, 1), was " + cleanWeight);
      }
    }
  }

  /** FGSM mix with weight {@code cleanWeight} on the clean loss. */
  public static AdversarialTraining fgsm(double epsilon, double cleanWeight) {
    return new AdversarialTraining(Method.FGSM, epsilon, 1, epsilon, cleanWeight);
  }

  /** PGD with {@code steps} iterations of size {@code step} (NaN: 2.5 epsilon / steps, as Madry et al.). */
  public static AdversarialTraining pgd(double epsilon, int steps, double step) {
    return new AdversarialTraining(Method.PGD, epsilon, steps, Double.isNaN(step) ? 2.5 * epsilon / steps : step, 0);
  }

  public boolean adversarial() {
    return method != Method.STANDARD;
  }

  /** The attack that makes the training examples: FGSM, or PGD's last iterate from a random start. */
  public GradientAttack attack() {
    if (method == Method.FGSM) {
      return new Fgsm(epsilon);
    }
    return Pgd.builder(epsilon).iterations(steps).step(step).randomStart(true).stopAtSuccess(false).build();
  }

  /** The same attack as an evaluation runs it: an image counts as fooled at the first iterate that fools it. */
  public GradientAttack evaluationAttack() {
    if (method == Method.FGSM) {
      return new Fgsm(epsilon);
    }
    return Pgd.builder(epsilon).iterations(steps).step(step).build();
  }

  /** For the model's provenance. */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("method", method.name().toLowerCase(java.util.Locale.ROOT));
    if (adversarial()) {
      o.put("epsilon", epsilon);
      o.put("norm", "linf");
      o.put("steps", steps);
      o.put("step", step);
      if (method == Method.FGSM) {
        o.put("cleanWeight", cleanWeight);
      }
    }
    return o;
  }

  /** One line for logs, e.g. "PGD-7, L-inf epsilon 0.1, step 0.0357". */
  public String describe() {
    return switch (method) {
      case STANDARD -> "standard";
      case FGSM -> String.format(java.util.Locale.ROOT, "FGSM mix (clean weight %.2g), L-inf epsilon %.4g",
          cleanWeight, epsilon);
      case PGD -> String.format(java.util.Locale.ROOT, "PGD-%d, L-inf epsilon %.4g, step %.4g", steps, epsilon, step);
    };
  }
}
