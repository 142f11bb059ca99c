package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.eval.EvaluationPlan;
import picocli.CommandLine.Option;

/** How a run uses the engine and the terminal; none of it changes any image's outcome. */
public final class RunOptions {
  @Option(names = "--batch", description = "Images per model call (default: from the model's input size, as many "
      + "images as hold 4 Mi input values, at most 400: 400 at 32x32 RGB, 27 at 224x224 RGB).")
  Integer batch;

  @Option(names = "--concurrency", description = "Query attacks (guided, su, scan): images attacked at once, their "
      + "candidates sharing model batches; gradient attacks take --batch images at once (default: ${DEFAULT-VALUE}).")
  int concurrency = 16;

  @Option(names = "--in-flight", paramLabel = "N", description = "Query attacks: model batches scored at once "
      + "(default: ${DEFAULT-VALUE}). With 2 and --threads 1, ONNX Runtime keeps two cores busy with one thread "
      + "each, and building the next batch overlaps scoring; outcomes do not change.")
  int inFlight = 1;

  @Option(names = "--quiet", description = "No progress (bar or log lines) and no per-image lines, only the summary.")
  boolean quiet;

  /** The command's output streams, quiet or not. */
  Evaluations.Console console(picocli.CommandLine.Model.CommandSpec spec) {
    return new Evaluations.Console(spec.commandLine().getOut(), spec.commandLine().getErr(), quiet);
  }

  /** --batch (the model's default when not given), --concurrency and --in-flight, as a plan's batching. */
  EvaluationPlan.Batching batching() {
    return new EvaluationPlan.Batching(batch, concurrency, inFlight);
  }

  /** Whether per-image lines and progress are left out. */
  boolean quiet() {
    return quiet;
  }

  /** The execution for a model whose input is unknown here: --batch, or 400. */
  Execution execution() {
    return execution(Execution.MAX_DEFAULT_BATCH);
  }

  /** The execution for a model with {@code info}: --batch, or the default for its input size. */
  Execution execution(dev.pixelguard.model.ModelInfo info) {
    return execution(Execution.defaultBatchSize(info.channels(), info.height(), info.width()));
  }

  private Execution execution(int defaultBatch) {
    try {
      return new Execution(batch == null ? defaultBatch : batch, concurrency, inFlight);
    } catch (IllegalArgumentException e) {
      throw new InputException("--batch, --concurrency and --in-flight must be at least 1");
    }
  }
}
