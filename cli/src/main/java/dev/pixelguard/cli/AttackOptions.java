package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.optim.DifferentialEvolution;
import picocli.CommandLine.Option;

/** The pixel attack's settings: pixelguard's guided search by default, Su et al.'s with --method su. */
public final class AttackOptions {
  /** The search behind an attack. */
  public enum Method { guided, su }

  @Option(names = "--method", description = "Search: guided (pixelguard's: corner probe ranked by logit margin, "
      + "ranked corner sweep, colour refinement; far fewer queries) or su (Su et al.'s differential evolution, "
      + "the paper's reference). Default: ${DEFAULT-VALUE}.")
  Method method = Method.guided;

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

  /** The attack these options describe. */
  SparseAttack attack() {
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
