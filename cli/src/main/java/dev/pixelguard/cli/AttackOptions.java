package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.gradient.Fgsm;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.attack.square.SquareAttack;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.optim.DifferentialEvolution;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;


/**
 * An attack's settings: the black-box pixel attacks (pixelguard's guided search by default, Su et al.'s with
 * --method su) and the white-box gradient attacks (--method pgd or fgsm).
 */
public final class AttackOptions {
  /** The search behind an attack. */
  public enum Method {
    guided, su, square, sparse_rs, pgd, fgsm;

    /** The name on the command line: sparse-rs for {@link #sparse_rs}. */
    @Override
    public String toString() {
      return name().replace('_', '-');
    }
  }

  /** Reads --method, also as sparse-rs. */
  static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Method> {
    @Override
    public Method convert(String value) {
      for (Method m : Method.values()) {
        if (m.toString().equalsIgnoreCase(value) || m.name().equalsIgnoreCase(value)) {
          return m;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("expected one of " + java.util.Arrays.toString(
          Method.values()) + " but was '" + value + "'");
    }
  }

  @Option(names = "--method", converter = MethodConverter.class, description = "Attack: guided (pixelguard's "
      + "one-pixel search: corner probe ranked by logit margin, ranked corner sweep, colour refinement; far fewer "
      + "queries), su (Su et al.'s differential evolution, the paper's reference), square (Andriushchenko et al.'s "
      + "Square attack: small changes everywhere within --eps, black-box, few queries), sparse-rs (Croce et al.'s "
      + "Sparse-RS: -k pixels anywhere, a --patch or a --frame of colour-cube corners, black-box, few queries), pgd "
      + "(projected gradient descent, Madry et al.) or fgsm (Goodfellow et al.). pgd and fgsm need gradients: "
      + "TorchScript or .pgm models. Default: ${DEFAULT-VALUE}.")
  Method method = Method.guided;

  @Option(names = "--eps", paramLabel = "E", description = "pgd/fgsm/square: perturbation budget in [0,1] pixel units "
      + "(default: ${DEFAULT-VALUE} = 8/255 for L-inf; 0.1 is usual on Fashion-MNIST, 0.5 for L2 on CIFAR-10). "
      + "square changes values on the 8-bit grid, by floor(E * 255).")
  double eps = 8 / 255.0;

  @Option(names = "--norm", paramLabel = "linf|l2", description = "pgd/square: the norm of the budget (default: "
      + "${DEFAULT-VALUE}; with square and l2, --eps defaults to 0.5).")
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

  @Option(names = {"-k", "--pixels"}, paramLabel = "K", description = "Pixels to change (default: ${DEFAULT-VALUE}; "
      + "sparse-rs 10).")
  int pixels = 1;

  @Option(names = "--target", paramLabel = "CLASS",
      description = "Targeted attack: make the model predict CLASS (a name or a number); for evaluate, 'all' attacks "
          + "every image toward every other class and prints the original-to-target matrix. Default: untargeted.")
  String target;

  @Option(names = "--budget", paramLabel = "Q",
      description = "Most model queries per image (default: guided 9,600 for 1 pixel, 10,000 for more; su: population "
          + "x iterations; square 5,000; sparse-rs 10,000).")
  Long budget;

  @Option(names = "--objective",
      description = "Fitness: PROBABILITY (Su et al.'s), LOG_PROBABILITY or MARGIN (from logits, in double precision; "
          + "they keep a signal where probabilities saturate at 1.0). Default: MARGIN for guided, PROBABILITY for su; "
          + "sparse-rs the paper's: MARGIN, or LOG_PROBABILITY (the target's cross-entropy) when targeted.")
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

  @Option(names = "--p-init", paramLabel = "P", description = "square: the first windows' share of the image, "
      + "halved on the paper's schedule (default: ${DEFAULT-VALUE}, tuned on held-out CIFAR-10 images; the paper "
      + "used 0.8).")
  double pInit = 0.1;

  @Option(names = "--patch", paramLabel = "S", description = "sparse-rs: attack with one S x S patch placed anywhere "
      + "(an image-specific patch) instead of -k pixels.")
  Integer patch;

  @Option(names = "--frame", paramLabel = "W", description = "sparse-rs: attack with a frame W pixels wide along the "
      + "border instead of -k pixels.")
  Integer frame;

  @Option(names = "--alpha-init", paramLabel = "A", description = "sparse-rs: the share of the pixels (or of the "
      + "patch) resampled at first, shrunk on the paper's schedule, in (0, 1] (default: "
      + SparseRs.DEFAULT_ALPHA_TEXT + ").")
  Double alphaInit;

  @Option(names = "--loss", paramLabel = "ce|margin", description = "pgd/fgsm: the loss followed: ce "
      + "(cross-entropy) or margin (logit margin, which does not saturate on confident images). Default: ${DEFAULT-VALUE}.")
  String loss = "ce";

  @Option(names = "--min-confidence", paramLabel = "P", description = "Count an attack as successful only when the "
      + "model's top class has probability at least P, in (0, 1]: a confident mistake. Default: any mistake.")
  Double minConfidence;

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The options that belong to some methods only, with those methods. */
  private static final Map<String, Set<Method>> OWNERS = Map.ofEntries(
      Map.entry("--eps", EnumSet.of(Method.pgd, Method.fgsm, Method.square)),
      Map.entry("--patch", EnumSet.of(Method.sparse_rs)),
      Map.entry("--frame", EnumSet.of(Method.sparse_rs)),
      Map.entry("--alpha-init", EnumSet.of(Method.sparse_rs)),
      Map.entry("--p-init", EnumSet.of(Method.square)),
      Map.entry("--loss", EnumSet.of(Method.pgd, Method.fgsm)),
      Map.entry("--norm", EnumSet.of(Method.pgd, Method.square)),
      Map.entry("--steps", EnumSet.of(Method.pgd)),
      Map.entry("--step", EnumSet.of(Method.pgd)),
      Map.entry("--restarts", EnumSet.of(Method.pgd)),
      Map.entry("--no-random-start", EnumSet.of(Method.pgd)),
      Map.entry("--pixels", EnumSet.of(Method.guided, Method.su, Method.sparse_rs)),
      Map.entry("--budget", EnumSet.of(Method.guided, Method.su, Method.square, Method.sparse_rs)),
      Map.entry("--objective", EnumSet.of(Method.guided, Method.su, Method.square, Method.sparse_rs)),
      Map.entry("--population", EnumSet.of(Method.su)),
      Map.entry("--iterations", EnumSet.of(Method.su)),
      Map.entry("--mutation", EnumSet.of(Method.su)),
      Map.entry("--crossover", EnumSet.of(Method.su)),
      Map.entry("--strategy", EnumSet.of(Method.su)),
      Map.entry("--request-size", EnumSet.of(Method.guided)),
      Map.entry("--refine-positions", EnumSet.of(Method.guided)));

  /** Refuses, in one line, an option given on the command line that the chosen method does not use. */
  void refuseForeignOptions() {
    ParseResult parsed = mixee.commandLine().getParseResult();
    for (Map.Entry<String, Set<Method>> e : OWNERS.entrySet()) {
      if (parsed.hasMatchedOption(e.getKey()) && !e.getValue().contains(method)) {
        throw new InputException(e.getKey() + " applies to --method "
            + e.getValue().stream().map(Method::toString).collect(Collectors.joining(" or ")) + ", not " + method);
      }
    }
    int threats = (patch != null ? 1 : 0) + (frame != null ? 1 : 0) + (parsed.hasMatchedOption("--pixels") ? 1 : 0);
    if (threats > 1) {
      throw new InputException("--pixels, --patch and --frame choose different threat models: give one");
    }
  }

  /** Refuses a pixel count larger than the model's images have pixels. */
  void checkFits(ModelInfo info) {
    int positions = info.height() * info.width();
    if ((method == Method.guided || method == Method.su) && pixels > positions) {
      throw new InputException("--pixels " + pixels + " is more than the " + positions + " pixels of the model's "
          + info.inputShape() + " images");
    }
    if (method == Method.sparse_rs) {
      String unfit = sparseRs(0).unfit(info.height(), info.width());
      if (unfit != null) {
        throw new InputException((patch != null ? "--patch " + patch : frame != null ? "--frame " + frame
            : "--pixels " + sparsePixels()) + ": " + unfit + " (the model's " + info.inputShape() + ")");
      }
    }
  }

  /** Sparse-RS's pixels: -k when given, else 10. */
  private int sparsePixels() {
    return mixee.commandLine().getParseResult().hasMatchedOption("--pixels") ? pixels : 10;
  }

  /** Sparse-RS as these options describe it. */
  private SparseRs sparseRs(long seed) {
    try {
      SparseRs.Builder b = SparseRs.builder().seed(seed).budget(budget != null ? budget : 10_000)
          .objective(objective);
      if (patch != null) {
        b.patch(patch);
      } else if (frame != null) {
        b.frame(frame);
      } else {
        b.pixels(sparsePixels());
      }
      if (alphaInit != null) {
        b.alphaInit(alphaInit);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage().replace("alpha_init", "--alpha-init").replace("patch side", "--patch")
          .replace("frame width", "--frame"));
    }
  }

  /** The extra success criterion, or null. */
  Criterion criterion() {
    if (minConfidence == null) {
      return null;
    }
    try {
      return Criterion.topConfidenceAtLeast(minConfidence);
    } catch (IllegalArgumentException e) {
      throw new InputException("--min-confidence must be in (0, 1], was " + minConfidence);
    }
  }

  /** The goal for an image: {@code base}, narrowed by --min-confidence. */
  Goal narrow(Goal base) {
    Criterion c = criterion();
    return c == null ? base : base.and(c);
  }

  /** The attack these options describe, with root seed {@code seed}. */
  Attack<?> build(long seed) {
    refuseForeignOptions();
    try {
      return switch (method) {
        case fgsm -> new Fgsm(eps, loss());
        case pgd -> {
          Pgd.Builder b = Pgd.builder(eps).norm(norm()).iterations(steps).restarts(restarts)
              .randomStart(!noRandomStart).loss(loss()).seed(seed);
          if (step != null) {
            b.step(step);
          }
          yield b.build();
        }
        case su -> {
          PixelAttack.Builder b = PixelAttack.builder().pixels(pixels).seed(seed).population(population)
              .iterations(iterations).mutation(mutation).crossover(crossover).strategy(strategy)
              .objective(objective == null ? Objective.PROBABILITY : objective);
          if (budget != null) {
            b.budget(budget);
          }
          yield b.build();
        }
        case square -> squareEps(SquareAttack.builder().norm(norm())).pInit(pInit).seed(seed)
            .objective(objective == null ? Objective.MARGIN : objective).budget(budget != null ? budget : 5_000).build();
        case sparse_rs -> sparseRs(seed);
        case guided -> GuidedPixelAttack.builder().pixels(pixels).seed(seed).requestSize(requestSize)
            .refinePositions(refinePositions).objective(objective == null ? Objective.MARGIN : objective)
            .budget(budget != null ? budget : pixels == 1 ? 9_600 : 10_000).build();
      };
    } catch (IllegalArgumentException e) {
      throw refusal(e, method == Method.pgd);
    }
  }

  /** Square's eps: --eps when given, else the norm's default (8/255 for L-inf, 0.5 for L2). */
  private SquareAttack.Builder squareEps(SquareAttack.Builder b) {
    return mixee.commandLine().getParseResult().hasMatchedOption("--eps") ? b.eps(eps) : b;
  }

  /** A builder's refusal in the command line's words: epsilon is --eps, and PGD's iterations are --steps. */
  static InputException refusal(IllegalArgumentException e, boolean pgd) {
    String m = e.getMessage().replace("epsilon", "--eps");
    return new InputException(pgd ? m.replace("iterations must", "--steps must") : m);
  }

  private Norm norm() {
    return switch (norm.toLowerCase(Locale.ROOT)) {
      case "linf" -> Norm.LINF;
      case "l2" -> Norm.L2;
      default -> throw new InputException("--norm must be linf or l2, was " + norm);
    };
  }

  private Loss loss() {
    return switch (loss.toLowerCase(Locale.ROOT)) {
      case "ce", "cross-entropy" -> Loss.CROSS_ENTROPY;
      case "margin" -> Loss.MARGIN;
      default -> throw new InputException("--loss must be ce or margin, was " + loss);
    };
  }

  /**
   * {@code c} as the model {@code attack} needs, or one clear line saying why it cannot be: white-box attacks
   * need input gradients, which ONNX models and label-only views do not give.
   */
  static <M extends Classifier> M modelFor(Attack<M> attack, Classifier c, boolean labelOnly) {
    if (attack.modelType().isInstance(c)) {
      return attack.modelType().cast(c);
    }
    if (labelOnly) {
      throw new InputException("--method " + attack.name() + " needs the model's gradients; it does not apply with "
          + "--label-only");
    }
    throw new InputException("--method " + attack.name() + " needs input gradients, which " + c.info().name()
        + " does not give (ONNX Runtime has no gradients); use the model's TorchScript or .pgm version, or a "
        + "black-box method (guided, su)");
  }
}
