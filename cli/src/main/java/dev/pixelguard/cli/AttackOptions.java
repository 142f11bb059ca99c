package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.optim.DifferentialEvolution;
import picocli.CommandLine.Option;

/** The pixel attack's settings; defaults are Su et al.'s. */
public final class AttackOptions {
  @Option(names = {"-k", "--pixels"}, paramLabel = "K", description = "Pixels to change (default: ${DEFAULT-VALUE}).")
  int pixels = 1;

  @Option(names = "--target", paramLabel = "CLASS",
      description = "Targeted attack: make the model predict CLASS (a name or a number). Default: untargeted.")
  String target;

  @Option(names = {"-s", "--seed"}, description = "Random seed (default: ${DEFAULT-VALUE}); the same seed gives the same result.")
  long seed = PixelAttack.DEFAULT_SEED;

  @Option(names = "--budget", paramLabel = "Q", description = "Most model queries per image (default: population x iterations).")
  Long budget;

  @Option(names = "--population", description = "Candidates per generation (default: ${DEFAULT-VALUE}).")
  int population = 400;

  @Option(names = "--iterations", description = "Populations evaluated at most, the first included (default: ${DEFAULT-VALUE}).")
  int iterations = 100;

  @Option(names = "--mutation", paramLabel = "F", description = "Differential weight F (default: ${DEFAULT-VALUE}).")
  double mutation = 0.5;

  @Option(names = "--crossover", paramLabel = "CR",
      description = "Binomial crossover rate; 1 = no crossover, the paper's setting (default: ${DEFAULT-VALUE}).")
  double crossover = 1.0;

  @Option(names = "--strategy", description = "DE strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DifferentialEvolution.Strategy strategy = DifferentialEvolution.Strategy.RAND_1;

  @Option(names = "--objective",
      description = "Fitness: PROBABILITY (the paper's), LOG_PROBABILITY or MARGIN (from logits, in double precision; "
          + "they keep a signal where probabilities saturate at 1.0). Default: ${DEFAULT-VALUE}.")
  Objective objective = Objective.PROBABILITY;

  /** The attack these options describe. */
  PixelAttack attack() {
    try {
      PixelAttack.Builder b = PixelAttack.builder().pixels(pixels).seed(seed).population(population)
          .iterations(iterations).mutation(mutation).crossover(crossover).strategy(strategy).objective(objective);
      if (budget != null) {
        b.budget(budget);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }
}
