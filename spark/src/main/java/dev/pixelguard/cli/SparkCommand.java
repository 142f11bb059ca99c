package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.spark.SparkEvaluation;
import dev.pixelguard.spark.SparkOptions;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code pixelguard-spark}: {@code evaluate}'s command, options, outputs and journal, with the attempts run as a
 * Spark job ({@link SparkEvaluation}). It lives in the command line's package so that the driver and every
 * executor read the one command line with evaluate's own option classes: executors receive the arguments, not
 * a second description of the settings.
 */
public final class SparkCommand {
  private SparkCommand() {}

  /** Runs pixelguard-spark with these arguments; returns the exit code (as {@code pixelguard}'s). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    EvaluateCommand evaluate = new EvaluateCommand();
    SparkOptions spark = new SparkOptions();
    CommandLine cl = commandLine(evaluate, spark);
    String[] shipped = args.clone();
    evaluate.engine = (c, data, attack, targets, journal, console, line, sink) -> new SparkEvaluation(shipped, spark,
        evaluate.journalSettings(c.info(), data.name(), attack, targets), evaluate.run.execution(c.info()))
        .run(c, data, attack, targets, journal, console.out(), console.err(), console.quiet(), line::of, sink);
    return Main.execute(cl, args, out, err);
  }

  private static CommandLine commandLine(EvaluateCommand evaluate, SparkOptions spark) {
    CommandLine cl = new CommandLine(evaluate);
    cl.getCommandSpec().name("pixelguard-spark");
    cl.getCommandSpec().addMixin("spark", CommandLine.Model.CommandSpec.forAnnotatedObject(spark));
    cl.getCommandSpec().usageMessage().description(
        "Run evaluate as an Apache Spark job: the images are split into partitions, each executor JVM opens the "
            + "model once and attacks its partitions' images through the same evaluation as 'pixelguard evaluate', "
            + "and the driver merges the outcomes into the same results, report and gate. An image's outcome "
            + "depends only on --seed and the image, so it equals a plain evaluate's image for image.",
        "Embedded by default (--master local[*]: no cluster needed); --master spark://HOST:PORT or spark-submit "
            + "for a cluster (docs/scale.md).",
        "Options are evaluate's, plus --master, --partitions and --work; --gate is not supported.");
    return cl;
  }

  /**
   * What one executor JVM needs to evaluate images: the command line read again, its model open, its dataset
   * loaded and fitted, its attack and goals built. Thread-safe for evaluations: ONNX Runtime's sessions are.
   */
  public static final class Setup implements AutoCloseable {
    private final Classifier classifier;
    private final Dataset data;
    private final Attack<?> attack;
    private final Targets targets;
    private final Execution execution;
    private final boolean labelOnly;

    private Setup(Classifier classifier, Dataset data, Attack<?> attack, Targets targets, Execution execution,
        boolean labelOnly) {
      this.classifier = classifier;
      this.data = data;
      this.attack = attack;
      this.targets = targets;
      this.execution = execution;
      this.labelOnly = labelOnly;
    }

    /**
     * Reads pixelguard-spark's command line and opens what it names.
     *
     * @param threads inference threads when the command line does not set --threads (0: the engine's default)
     */
    public static Setup open(String[] args, int threads) {
      if (System.getProperty("ai.djl.offline") == null) {
        System.setProperty("ai.djl.offline", "true");
      }
      EvaluateCommand evaluate = new EvaluateCommand();
      CommandLine cl = commandLine(evaluate, new SparkOptions());
      cl.setCaseInsensitiveEnumValuesAllowed(true);
      cl.parseArgs(args);
      if (evaluate.model.threads == 0) {
        evaluate.model.threads = threads;
      }
      Dataset data = evaluate.dataOptions.load();
      Classifier c = evaluate.model.open(DataOptions.shape(data), DataOptions.namesForModel(data));
      try {
        ModelInfo info = c.info();
        evaluate.attackOptions.checkFits(info);
        data = evaluate.dataOptions.fit(data, info);
        return new Setup(c, data, evaluate.attackOptions.build(evaluate.seed.seed), evaluate.targets(info),
            evaluate.run.execution(info), evaluate.model.labelOnly);
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    }

    /** The dataset, fitted to the model. */
    public Dataset data() {
      return data;
    }

    /**
     * Evaluates some of the dataset's images through the one evaluation, journaled.
     *
     * @param indices the images, by index in {@link #data()}
     * @param journal where every attempt goes as it finishes, and which attempts are already finished; or null
     * @param listener called after each attempt, or null
     */
    public EvaluationResult evaluate(List<Integer> indices, JournalFile journal, Evaluation.Listener listener) {
      Dataset part = new Dataset(data.name(), indices.stream().map(data::get).toList(), data.classNames(),
          data.namedByFolder());
      return evaluate(attack, part, journal, listener);
    }

    private <M extends Classifier> EvaluationResult evaluate(Attack<M> attack, Dataset part, JournalFile journal,
        Evaluation.Listener listener) {
      M model = AttackOptions.modelFor(attack, classifier, labelOnly);
      return Evaluation.run(model, part, attack, targets, execution, listener, journal);
    }

    @Override
    public void close() {
      classifier.close();
    }
  }
}
