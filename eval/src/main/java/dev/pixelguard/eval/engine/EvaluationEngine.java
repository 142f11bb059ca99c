package dev.pixelguard.eval.engine;

import dev.pixelguard.InputException;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.JournalFile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Where a plan's evaluations run when not in this JVM alone: an engine that spreads the images over workers
 * (pixelguard-spark's, on Apache Spark). Each worker opens the {@link EvaluationPlan} it is sent and runs its
 * share of the images ({@link EvaluationPlan.Opened#evaluate}); the engine merges the shares into the results a
 * local run gives, image for image, since every image's outcome depends only on the plan and the image.
 *
 * <p>Engines are found with {@link ServiceLoader}: a module lists its engines in
 * {@code META-INF/services/dev.pixelguard.eval.engine.EvaluationEngine}; putting its jar on the class path is all it
 * takes. It sits in a package of its own because it hands journal files ({@link JournalFile}) to the engine:
 * the evaluation itself knows journals only through {@link dev.pixelguard.eval.Journal}, and file formats sit above
 * it.
 */
public interface EvaluationEngine {

  /** A short lower-case name, such as {@code spark}. */
  String name();

  /**
   * Refuses, in one line, settings the engine cannot use (an unknown name, a malformed value), before any model is
   * opened or journal started. {@link #run} checks them too. The default accepts everything.
   *
   * @throws InputException for settings a user can fix
   */
  default void check(Map<String, String> settings) {}

  /**
   * Runs every evaluation of the opened plan ({@link EvaluationPlan#parts()}) over all of its images.
   *
   * @param run the plan, opened here (its model names the results; the workers open their own)
   * @param settings the engine's own settings by name (for Spark: {@code master}, {@code partitions},
   *     {@code work}); each engine documents the ones it reads and refuses unknown ones in one line
   * @param journals the journal of each part, by part name: attempts it holds are kept and every new one is
   *     recorded in it; null, or a function giving null, for none
   * @param progress where the engine reports its progress in lines, or null
   * @param sink for a model's plan, where each finished image goes in dataset order, or null
   * @return one result per part, in {@link EvaluationPlan#parts()} order
   * @throws InputException for settings a user can fix, before any work
   */
  List<EvaluationResult> run(EvaluationPlan.Opened run, Map<String, String> settings,
      Function<String, JournalFile> journals, PrintWriter progress, Evaluation.Sink sink);

  /**
   * The engine named {@code name} on the class path.
   *
   * @throws InputException if there is none, naming those there are
   */
  static EvaluationEngine named(String name) {
    List<EvaluationEngine> all = new ArrayList<>();
    ServiceLoader.load(EvaluationEngine.class).forEach(all::add);
    if (all.isEmpty()) {
      ServiceLoader.load(EvaluationEngine.class, EvaluationEngine.class.getClassLoader()).forEach(all::add);
    }
    for (EvaluationEngine e : all) {
      if (e.name().equalsIgnoreCase(name)) {
        return e;
      }
    }
    throw new InputException("no evaluation engine named " + name.toLowerCase(Locale.ROOT) + " is on the class path"
        + (name.equalsIgnoreCase("spark") ? " (run ./pixelguard-spark, which brings the pixelguard-spark module and "
            + "Spark's jars)" : "") + "; there are " + (all.isEmpty() ? "none" : String.join(", ",
                all.stream().map(EvaluationEngine::name).toList())));
  }
}
