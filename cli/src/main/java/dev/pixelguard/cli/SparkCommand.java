package dev.pixelguard.cli;

import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.engine.EvaluationEngine;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.io.ResultsJson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code pixelguard-spark}: {@code evaluate}'s command, options, outputs and journals, with the evaluations run as
 * a Spark job by the {@code spark} {@link EvaluationEngine} (module pixelguard-spark, found on the class path).
 * The command line builds the {@link dev.pixelguard.eval.EvaluationPlan} once; the engine ships it to the
 * executors, which open it themselves.
 */
public final class SparkCommand {
  private SparkCommand() {}

  /** --master, --partitions, --work: where the job runs; none changes an outcome. */
  static final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master: local[*] (the default: embedded, every core of this machine), local[N], "
            + "local-cluster[W,C,MB] (W executor JVMs on this machine), spark://HOST:PORT. Under spark-submit the "
            + "master it gives is used.")
    String master;

    @Option(names = "--partitions", paramLabel = "N",
        description = "Partitions of the images (default: one per image, so that Spark hands images out as task "
            + "slots free up: an image that resists costs the whole budget, one that flips a few queries). A lost "
            + "executor costs at most the attempts its partitions had in flight.")
    Integer partitions;

    @Option(names = "--work", paramLabel = "DIR",
        description = "Where each partition journals its attempts, so that a retried task finishes its partition "
            + "instead of starting it again: a folder each executor can write at this path, shared by all of them "
            + "ideally (default: the temporary folder of each executor's machine).")
    String work;

    /** The engine's settings by name. */
    Map<String, String> settings() {
      Map<String, String> m = new LinkedHashMap<>();
      if (master != null) {
        m.put("master", master);
      }
      if (partitions != null) {
        m.put("partitions", Integer.toString(partitions));
      }
      if (work != null) {
        m.put("work", work);
      }
      return m;
    }
  }

  /** Runs pixelguard-spark with these arguments; returns the exit code (as {@code pixelguard}'s). */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    EvaluateCommand evaluate = new EvaluateCommand();
    SparkOptions spark = new SparkOptions();
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
        "Options are evaluate's, --gate included, plus --master, --partitions and --work.");
    evaluate.engine = new EvaluateCommand.Engine() {
      @Override
      public void check() {
        EvaluationEngine.named("spark").check(spark.settings());
      }

      @Override
      public List<EvaluationResult> run(EvaluationPlan.Opened opened, Function<String, JournalFile> journals,
          ResultsJson.Writer sink, Evaluations.Console console) {
        return EvaluationEngine.named("spark").run(opened, spark.settings(), journals,
            console.quiet() ? null : console.err(), sink);
      }
    };
    return Main.execute(cl, args, out, err);
  }
}
