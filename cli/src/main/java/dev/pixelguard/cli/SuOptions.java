package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.pixel.PixelAttack;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.optim.DifferentialEvolution;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --method su}: Su, Vargas & Sakurai's differential evolution, the paper's reference. */
final class SuOptions implements AttackFamily {
  @Option(names = "--population", description = "Candidates per generation (default: ${DEFAULT-VALUE}).")
  int population = 400;

  @Option(names = "--iterations", description = "Populations evaluated at most, the first included (default: "
      + "${DEFAULT-VALUE}).")
  int iterations = 100;

  @Option(names = "--mutation", paramLabel = "F", description = "Differential weight F (default: ${DEFAULT-VALUE}).")
  double mutation = 0.5;

  @Option(names = "--crossover", paramLabel = "CR",
      description = "Binomial crossover rate; 1 = no crossover, the paper's setting (default: ${DEFAULT-VALUE}).")
  double crossover = 1.0;

  @Option(names = "--strategy", description = "DE strategy, ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  DifferentialEvolution.Strategy strategy = DifferentialEvolution.Strategy.RAND_1;

  @Override
  public String method() {
    return "su";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--pixels", "--budget", "--objective");
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    PixelAttack.Builder b = PixelAttack.builder().pixels(s.pixels(1)).population(population).iterations(iterations)
        .mutation(mutation).crossover(crossover).strategy(strategy).objective(s.objective(Objective.PROBABILITY));
    if (s.budget() != null) {
      b.budget(s.budget());
    }
    return b.build();
  }

  @Override
  public void checkFits(AttackOptions.Shared s, ModelInfo info) {
    AttackFamily.checkPixels(s.pixels(1), info);
  }
}
