package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Execution;
import picocli.CommandLine.Option;

/** How a run uses the engine and the terminal; none of it changes any image's outcome. */
public final class RunOptions {
  @Option(names = "--batch", description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batch = 400;

  @Option(names = "--concurrency", description = "Query attacks (guided, su, scan): images attacked at once, their "
      + "candidates sharing model batches; gradient attacks take --batch images at once (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(names = "--quiet", description = "No progress bar and no per-image lines, only the summary.")
  boolean quiet;

  /** The command's output streams, quiet or not. */
  Evaluations.Console console(picocli.CommandLine.Model.CommandSpec spec) {
    return new Evaluations.Console(spec.commandLine().getOut(), spec.commandLine().getErr(), quiet);
  }

  Execution execution() {
    try {
      return new Execution(batch, concurrency);
    } catch (IllegalArgumentException e) {
      throw new InputException("--batch and --concurrency must be at least 1");
    }
  }
}
