package dev.pixelguard.cli;

import picocli.CommandLine.Option;

/** {@code --seed}, shared by every command with random choices. */
public final class SeedOption {
  @Option(names = {"-s", "--seed"}, description = "Root seed (default: ${DEFAULT-VALUE}). Each image's seed derives "
      + "from it and the image's identity, so an image's outcome is the same whatever --limit, --batch or the other "
      + "images.")
  long seed = 1;
}
