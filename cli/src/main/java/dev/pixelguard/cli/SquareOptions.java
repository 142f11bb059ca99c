package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.square.SquareAttack;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --method square}: Andriushchenko et al.'s Square attack, small changes everywhere within --eps. */
final class SquareOptions implements AttackFamily {
  @Option(names = "--p-init", paramLabel = "P", description = "The first windows' share of the image, halved on the "
      + "paper's schedule (default: ${DEFAULT-VALUE}, tuned on held-out CIFAR-10 images; the paper used 0.8).")
  double pInit = 0.1;

  @Override
  public String method() {
    return "square";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--eps", "--norm", "--budget", "--objective");
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    SquareAttack.Builder b = SquareAttack.builder().norm(s.norm());
    if (s.given("--eps")) { // else the norm's default: 8/255 for L-inf, 0.5 for L2
      b.eps(s.eps());
    }
    return b.pInit(pInit).objective(s.objective(Objective.MARGIN)).budget(s.budget(5_000)).build();
  }
}
