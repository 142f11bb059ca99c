package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.model.ModelInfo;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code --method sparse-rs}: Croce et al.'s Sparse-RS, -k pixels anywhere, a patch or a frame. */
final class SparseRsOptions implements AttackFamily {
  @Option(names = "--patch", paramLabel = "S", description = "Attack with one S x S patch placed anywhere (an "
      + "image-specific patch) instead of -k pixels.")
  Integer patch;

  @Option(names = "--frame", paramLabel = "W", description = "Attack with a frame W pixels wide along the border "
      + "instead of -k pixels.")
  Integer frame;

  @Option(names = "--alpha-init", paramLabel = "A", description = "The share of the pixels (or of the patch) "
      + "resampled at first, shrunk on the paper's schedule, in (0, 1] (default: " + SparseRs.DEFAULT_ALPHA_TEXT
      + ").")
  Double alphaInit;

  @Override
  public String method() {
    return "sparse-rs";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--pixels", "--budget", "--objective");
  }

  @Override
  public void check(AttackOptions.Shared s) {
    int threats = (patch != null ? 1 : 0) + (frame != null ? 1 : 0) + (s.given("--pixels") ? 1 : 0);
    if (threats > 1) {
      throw new InputException("--pixels, --patch and --frame choose different threat models: give one");
    }
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    SparseRs.Builder b = SparseRs.builder().budget(s.budget(10_000)).objective(s.objective(null));
    if (patch != null) {
      b.patch(patch);
    } else if (frame != null) {
      b.frame(frame);
    } else {
      b.pixels(s.pixels(10));
    }
    if (alphaInit != null) {
      b.alphaInit(alphaInit);
    }
    return b.build();
  }

  @Override
  public void checkFits(AttackOptions.Shared s, ModelInfo info) {
    String unfit = ((SparseRs) build(s)).unfit(info.height(), info.width());
    if (unfit != null) {
      throw new InputException((patch != null ? "--patch " + patch : frame != null ? "--frame " + frame
          : "--pixels " + s.pixels(10)) + ": " + unfit + " (the model's " + info.inputShape() + ")");
    }
  }

  @Override
  public InputException refusal(IllegalArgumentException e) {
    return new InputException(e.getMessage().replace("alpha_init", "--alpha-init").replace("patch side", "--patch")
        .replace("frame width", "--frame"));
  }
}
