package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.optim.DifferentialEvolution;
import picocli.CommandLine.Option;

/**
 * An attack's settings: the black-box pixel attacks (pixelguard's guided search by default, Su et al.'s with
 * --method su) and the white-box gradient attacks (--method pgd or fgsm).
 */
public final class AttackOptions {
  /** The search behind an attack. */
  public enum Method { guided, su, pgd, fgsm }

  @Option(names = "--method", description = "Attack: guided (pixelguard's one-pixel search: corner probe ranked by "
      + "logit margin, ranked corner sweep, colour refinement; far fewer queries), su (Su et al.'s differential "
      + "evolution, the paper's reference), pgd (projected gradient descent, Madry et al.) or fgsm (Goodfellow et "
      + "al.). pgd and fgsm need gradients: TorchScript or .pgm models. Default: ${DEFAULT-VALUE}.")
  Method method = Method.guided;

  @Option(names = "--eps", paramLabel = "E", description = "pgd/fgsm: perturbation budget in [0,1] pixel units "
      + "(default: ${DEFAULT-VALUE} = 8/255 for L-inf; 0.1 is usual on Fashion-MNIST, 0.5 for L2 on CIFAR-10).")
  double eps = 8 / 255.0;

  @Option(names = "--norm", paramLabel = "linf|l2", description = "pgd: the norm of the budget (default: ${DEFAULT-VALUE}).")
  String norm = "linf";

  @Option(names = "--steps", paramLabel = "N", description = "pgd: gradient steps (default: ${DEFAULT-VALUE}).")
  int steps = 10;

  @Option(names = "--step", paramLabel = "S", description = "pgd: step size (default: 2.5 * eps / steps).")
  Double step;

  @Option(names = "--restarts", paramLabel = "R", description = "pgd: random restarts for images not yet fooled "
      + "(default: ${DEFAULT-VALUE}).")
  int restarts = 1;

  @Option(names = "--no-random-start", description = "pgd: start from the image itself, not a random point of the ball.")
  boolean noRandomStart;

  @Option(names = {"-k", "--pixels"}, paramLabel = "K", description = "Pixels to change (default: ${DEFAULT-VALUE}).")
  int pixels = 1;

  @Option(names = "--target", paramLabel = "CLASS",
      description = "Targeted attack: make the model predict CLASS (a name or a number); for evaluate, 'all' attacks "
          + "every image toward every other class and prints the original-to-target matrix. Default: untargeted.")
  String target;

  @Option(names = {"-s", "--seed"}, description = "Random seed (default: ${DEFAULT-VALUE}); the same seed gives the same result.")
  long seed = PixelAttack.DEFAULT_SEED;

  @Option(names = "--budget", paramLabel = "Q",
      description = "Most model queries per image (default: guided 9,600 for 1 pixel, 10,000 for more; su: population x iterations).")
  Long budget;

  @Option(names = "--objective",
      description = "Fitness: PROBABILITY (Su et al.'s), LOG_PROBABILITY or MARGIN (from logits, in double precision; "
          + "they keep a signal where probabilities saturate at 1.0). Default: MARGIN for guided, PROBABILITY for su.")
  Objective objective;

  @Option(names = "--population", description = "su: candidates per generation (default: ${DEFAULT-VALUE}).")
  int population = 400;

  @Option(names = "--iterations", description = "su: populations evaluated at most, the first included (default: ${DEFAULT-VALUE}).")
  int iterations = 100;

  @Option(names = "--mutation", paramLabel = "F", description = "su: differential weight F (default: ${DEFAULT-VALUE}).")
  double mutation = 0.5;

  @Option(names = "--crossover", paramLabel = "CR",
      description = "su: binomial crossover rate; 1 = no crossover, the paper's setting (default: ${DEFAULT-VALUE}).")
  double crossover = 1.0;

  @Option(names = "--strategy", description = "su: DE strategy, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DifferentialEvolution.Strategy strategy = DifferentialEvolution.Strategy.RAND_1;

  @Option(names = "--request-size", description = "guided: candidates per request of one image (default: ${DEFAULT-VALUE}).")
  int requestSize = 50;

  @Option(names = "--refine-positions", description = "guided: positions refined with non-corner colours (default: ${DEFAULT-VALUE}).")
  int refinePositions = 16;

  /** Whether the method is a gradient attack. */
  boolean gradient() {
    return method == Method.pgd || method == Method.fgsm;
  }

  /** The gradient attack these options describe. */
  Pgd gradientAttack() {
    try {
      if (method == Method.fgsm) {
        if (!"linf".equalsIgnoreCase(norm)) {
          throw new InputException("fgsm is an L-inf attack; use --method pgd for --norm l2");
        }
        return Pgd.fgsm(eps).withSeed(seed);
      }
      Norm n = switch (norm.toLowerCase(java.util.Locale.ROOT)) {
        case "linf" -> Norm.LINF;
        case "l2" -> Norm.L2;
        default -> throw new InputException("--norm must be linf or l2, was " + norm);
      };
      Pgd.Builder b = Pgd.builder(eps).norm(n).iterations(steps).restarts(restarts).randomStart(!noRandomStart)
          .seed(seed);
      if (step != null) {
        b.step(step);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage().replace("epsilon", "--eps").replace("iterations", "--steps"));
    }
  }

  /** The gradient model behind {@code c}, or one clear error for models without gradients. */
  GradientClassifier requireGradients(Classifier c, boolean labelOnly) {
    if (labelOnly) {
      throw new InputException("--method " + method + " needs the model's gradients; it does not apply with --label-only");
    }
    if (c instanceof GradientClassifier g) {
      return g;
    }
    throw new InputException("--method " + method + " needs input gradients, which " + c.info().name() + " does not "
        + "give (ONNX Runtime has no gradients); use the model's TorchScript or .pgm version, or a black-box "
        + "method (guided, su)");
  }

  /** The attack these options describe. */
  SparseAttack attack() {
    if (gradient()) {
      throw new IllegalStateException("not a pixel attack: " + method);
    }
    try {
      if (method == Method.su) {
        PixelAttack.Builder b = PixelAttack.builder().pixels(pixels).seed(seed).population(population)
            .iterations(iterations).mutation(mutation).crossover(crossover).strategy(strategy)
            .objective(objective == null ? Objective.PROBABILITY : objective);
        if (budget != null) {
          b.budget(budget);
        }
        return b.build();
      }
      GuidedPixelAttack.Builder b = GuidedPixelAttack.builder().pixels(pixels).seed(seed).requestSize(requestSize)
          .refinePositions(refinePositions).objective(objective == null ? Objective.MARGIN : objective)
          .budget(budget != null ? budget : pixels == 1 ? 9_600 : 10_000);
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }
}
