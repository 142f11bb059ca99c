package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * An attack's settings: {@code --method} and the options several families share (the pixels, the budget, the
 * fitness, the perturbation's norm and size, the goal), then each family's own options in a group of its own
 * ({@link AttackFamily}). The families are the {@link AttackFamily} fields below, in {@code --method}'s order:
 * adding one is its class and one field here. An option given on the command line that the chosen family does
 * not use is refused in one line.
 */
public final class AttackOptions {
  @Option(names = "--method", paramLabel = "METHOD", description = "The attack: guided (default), su, square, "
      + "sparse-rs, pgd or fgsm; each is described, with its own options, under its name below. pgd and fgsm need "
      + "gradients: TorchScript or .pgm models.")
  String method = "guided";

  @Option(names = {"-k", "--pixels"}, paramLabel = "K", description = "guided/su/sparse-rs: pixels to change "
      + "(default: 1; sparse-rs 10).")
  Integer pixels;

  @Option(names = "--target", paramLabel = "CLASS",
      description = "Targeted attack: make the model predict CLASS (a name or a number); for evaluate, 'all' attacks "
          + "every image toward every other class and prints the original-to-target matrix. Default: untargeted.")
  String target;

  @Option(names = "--budget", paramLabel = "Q",
      description = "guided/su/square/sparse-rs: most model queries per image (default: guided 9,600 for 1 pixel, "
          + "10,000 for more; su: population x iterations; square 5,000; sparse-rs 10,000).")
  Long budget;

  @Option(names = "--objective",
      description = "guided/su/square/sparse-rs: fitness, PROBABILITY (Su et al.'s), LOG_PROBABILITY or MARGIN (from "
          + "logits, in double precision; they keep a signal where probabilities saturate at 1.0). Default: MARGIN "
          + "for guided and square, PROBABILITY for su; sparse-rs the paper's: MARGIN, or LOG_PROBABILITY (the "
          + "target's cross-entropy) when targeted.")
  Objective objective;

  @Option(names = "--eps", paramLabel = "E", description = "pgd/fgsm/square: perturbation budget in [0,1] pixel units "
      + "(default: ${DEFAULT-VALUE} = 8/255 for L-inf; 0.1 is usual on Fashion-MNIST, 0.5 for L2 on CIFAR-10). "
      + "square changes values on the 8-bit grid, by floor(E * 255).")
  double eps = 8 / 255.0;

  @Option(names = "--norm", paramLabel = "linf|l2", description = "pgd/square: the norm of the budget (default: "
      + "${DEFAULT-VALUE}; with square and l2, --eps defaults to 0.5).")
  String norm = "linf";

  @Option(names = "--loss", paramLabel = "ce|margin", description = "pgd/fgsm: the loss followed: ce "
      + "(cross-entropy) or margin (logit margin, which does not saturate on confident images). Default: "
      + "${DEFAULT-VALUE}.")
  String loss = "ce";

  @Option(names = "--min-confidence", paramLabel = "P", description = "Count an attack as successful only when the "
      + "model's top class has probability at least P, in (0, 1]: a confident mistake. Default: any mistake.")
  Double minConfidence;

  @ArgGroup(exclusive = false, heading = "%n--method guided: pixelguard's one-pixel search (corner probe ranked by "
      + "logit margin, ranked corner sweep, colour refinement; far fewer queries)%n")
  GuidedOptions guided = new GuidedOptions();

  @ArgGroup(exclusive = false, heading = "%n--method su: Su et al.'s differential evolution, the paper's "
      + "reference%n")
  SuOptions su = new SuOptions();

  @ArgGroup(exclusive = false, heading = "%n--method square: Andriushchenko et al.'s Square attack (small changes "
      + "everywhere within --eps, black-box, few queries)%n")
  SquareOptions square = new SquareOptions();

  @ArgGroup(exclusive = false, heading = "%n--method sparse-rs: Croce et al.'s Sparse-RS (-k pixels anywhere, a "
      + "--patch or a --frame of colour-cube corners, black-box, few queries)%n")
  SparseRsOptions sparseRs = new SparseRsOptions();

  @ArgGroup(exclusive = false, heading = "%n--method pgd: projected gradient descent (Madry et al.), white-box%n")
  PgdOptions pgd = new PgdOptions();

  /** FGSM (Goodfellow et al.): one white-box step of --eps; no options of its own. */
  final FgsmFamily fgsm = new FgsmFamily();

  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  /** The shared options, as a family reads them. */
  final class Shared {
    private Shared() {}

    /** Whether the option was given on the command line. */
    boolean given(String option) {
      return mixee.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** -k, or {@code dflt} when not given. */
    int pixels(int dflt) {
      return pixels != null ? pixels : dflt;
    }

    /** --budget, or null when not given. */
    Long budget() {
      return budget;
    }

    /** --budget, or {@code dflt} when not given. */
    long budget(long dflt) {
      return budget != null ? budget : dflt;
    }

    /** --objective, or {@code dflt} (which may be null) when not given. */
    Objective objective(Objective dflt) {
      return objective != null ? objective : dflt;
    }

    double eps() {
      return eps;
    }

    Norm norm() {
      return switch (norm.toLowerCase(Locale.ROOT)) {
        case "linf" -> Norm.LINF;
        case "l2" -> Norm.L2;
        default -> throw new InputException("--norm must be linf or l2, was " + norm);
      };
    }

    Loss loss() {
      return switch (loss.toLowerCase(Locale.ROOT)) {
        case "ce", "cross-entropy" -> Loss.CROSS_ENTROPY;
        case "margin" -> Loss.MARGIN;
        default -> throw new InputException("--loss must be ce or margin, was " + loss);
      };
    }
  }

  /** The families, in --method's order: every {@link AttackFamily} field of this class. */
  List<AttackFamily> families() {
    List<AttackFamily> out = new ArrayList<>();
    for (Field f : AttackOptions.class.getDeclaredFields()) {
      if (AttackFamily.class.isAssignableFrom(f.getType())) {
        try {
          out.add((AttackFamily) f.get(this));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  /** The family --method names, or one line naming the methods there are. */
  AttackFamily family() {
    for (AttackFamily f : families()) {
      if (f.method().equalsIgnoreCase(method) || f.method().replace('-', '_').equalsIgnoreCase(method)) {
        return f;
      }
    }
    throw new InputException("--method must be one of " + families().stream().map(AttackFamily::method)
        .collect(Collectors.joining(", ")) + "; was " + method);
  }

  /** Refuses, in one line, an option given on the command line that the chosen family does not use. */
  void refuseForeignOptions() {
    AttackFamily chosen = family();
    ParseResult parsed = mixee.commandLine().getParseResult();
    List<AttackFamily> all = families();
    for (String shared : List.of("--pixels", "--budget", "--objective", "--eps", "--norm", "--loss")) {
      if (parsed.hasMatchedOption(shared) && !chosen.takes().contains(shared)) {
        throw new InputException(shared + " applies to --method " + all.stream().filter(f -> f.takes().contains(shared))
            .map(AttackFamily::method).collect(Collectors.joining(" or ")) + ", not " + chosen.method());
      }
    }
    for (AttackFamily owner : all) {
      for (Field f : owner.getClass().getDeclaredFields()) {
        Option o = f.getAnnotation(Option.class);
        String name = o == null ? null : Arrays.stream(o.names()).max(Comparator.comparingInt(String::length))
            .orElseThrow();
        if (o != null && owner != chosen && parsed.hasMatchedOption(name)) {
          throw new InputException(name + " applies to --method " + owner.method() + ", not " + chosen.method());
        }
      }
    }
    chosen.check(new Shared());
  }

  /** The extra success criterion (--min-confidence), or null. */
  Criterion criterion() {
    return new EvaluationPlan.Goals(null, minConfidence).criterion();
  }

  /** The goal for an image: {@code base}, narrowed by --min-confidence. */
  Goal narrow(Goal base) {
    Criterion c = criterion();
    return c == null ? base : base.and(c);
  }

  /** Refuses an attack larger than the model's images. */
  void checkFits(ModelInfo info) {
    family().checkFits(new Shared(), info);
  }

  /** The attack these options describe. */
  Attack<?> build() {
    refuseForeignOptions();
    AttackFamily f = family();
    try {
      return f.build(new Shared());
    } catch (IllegalArgumentException e) {
      throw f.refusal(e);
    }
  }

  /** A builder's refusal in the command line's words: epsilon is --eps, and PGD's iterations are --steps. */
  static InputException refusal(IllegalArgumentException e, boolean pgd) {
    return pgd ? new PgdOptions().refusal(e) : new FgsmFamily().refusal(e);
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
