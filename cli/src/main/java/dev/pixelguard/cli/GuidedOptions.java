package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.model.ModelInfo;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --method guided}: pixelguard's one-pixel (and k-pixel) search. */
final class GuidedOptions implements AttackFamily {
  @Option(names = "--request-size", description = "Candidates per request of one image (default: ${DEFAULT-VALUE}).")
  int requestSize = 50;

  @Option(names = "--refine-positions", description = "Positions refined with non-corner colours (default: "
      + "${DEFAULT-VALUE}).")
  int refinePositions = 16;

  @Override
  public String method() {
    return "guided";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--pixels", "--budget", "--objective");
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    return GuidedPixelAttack.builder().pixels(s.pixels(1)).requestSize(requestSize).refinePositions(refinePositions)
        .objective(s.objective(Objective.MARGIN)).budget(s.budget(s.pixels(1) == 1 ? 9_600 : 10_000)).build();
  }

  @Override
  public void checkFits(AttackOptions.Shared s, ModelInfo info) {
    AttackFamily.checkPixels(s.pixels(1), info);
  }
}
