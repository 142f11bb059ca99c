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

  @Option(names = "--in-flight", paramLabel = "N", description = "Query attacks: model batches scored at once "
      + "(default: ${DEFAULT-VALUE}). With 2 and --threads 1, ONNX Runtime keeps two cores busy with one thread "
      + "each, and building the next batch overlaps scoring; outcomes do not change.")
  int inFlight = 1;

  @Option(names = "--quiet", description = "No progress bar and no per-image lines, only the summary.")
  boolean quiet;

  /** The command's output streams, quiet or not. */
  Evaluations.Console console(picocli.CommandLine.Model.CommandSpec spec) {
    return new Evaluations.Console(spec.commandLine().getOut(), spec.commandLine().getErr(), quiet);
  }

  Execution execution() {
    try {
      return new Execution(batch, concurrency, inFlight);
    } catch (IllegalArgumentException e) {
      throw new InputException("--batch, --concurrency and --in-flight must be at least 1");
    }
  }
}
