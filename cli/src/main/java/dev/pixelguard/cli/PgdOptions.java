package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.gradient.Pgd;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --method pgd}: projected gradient descent (Madry et al.), white-box, within --eps. */
final class PgdOptions implements AttackFamily {
  @Option(names = "--steps", paramLabel = "N", description = "Gradient steps (default: ${DEFAULT-VALUE}).")
  int steps = 10;

  @Option(names = "--step", paramLabel = "S", description = "Step size (default: 2.5 * eps / steps).")
  Double step;

  @Option(names = "--restarts", paramLabel = "R", description = "Random restarts for images not yet fooled "
      + "(default: ${DEFAULT-VALUE}).")
  int restarts = 1;

  @Option(names = "--no-random-start", description = "Start from the image itself, not a random point of the ball.")
  boolean noRandomStart;

  @Override
  public String method() {
    return "pgd";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--eps", "--norm", "--loss");
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    Pgd.Builder b = Pgd.builder(s.eps()).norm(s.norm()).iterations(steps).restarts(restarts)
        .randomStart(!noRandomStart).loss(s.loss());
    if (step != null) {
      b.step(step);
    }
    return b.build();
  }

  @Override
  public InputException refusal(IllegalArgumentException e) {
    return new InputException(e.getMessage().replace("epsilon", "--eps").replace("iterations must", "--steps must"));
  }
}
