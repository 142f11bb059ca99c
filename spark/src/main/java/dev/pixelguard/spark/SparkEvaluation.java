package dev.pixelguard.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.cli.SparkCommand;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.model.Classifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * One evaluation as a Spark job. The driver makes a dataset of image references (index and id, with the
 * attempts its journal already holds for the image), split into partitions. Each executor JVM opens the model
 * once ({@link Executors}) and runs each of its partitions through the one evaluation
 * ({@link dev.pixelguard.eval.Evaluation}), journaling every attempt in the partition's own journal, so that a
 * retried task (a lost executor, a failed task) finishes the partition instead of starting it again. The driver
 * records each partition's attempts in the run's journal as the partition finishes, and merges the partitions
 * into one {@link EvaluationResult}: images in dataset order, totals summed. Every image's seed derives from
 * the root seed and the image, so the outcomes equal a plain {@code evaluate}'s image for image, whatever the
 * partitions, the executors or the retries; Spark keeps one result per partition, so no attempt is doubled.
 */
public final class SparkEvaluation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String[] args;
  private final SparkOptions options;
  private final String settings;
  private final Execution execution;

  /**
   * @param args the command line, which every executor reads again
   * @param settings the journal's settings line (the run's identity), shared by every partition's journal
   * @param execution batch size and concurrency within each partition
   */
  public SparkEvaluation(String[] args, SparkOptions options, ObjectNode settings, Execution execution) {
    this.args = args.clone();
    this.options = options;
    this.settings = settings.toString();
    this.execution = execution;
  }

  /** One image to evaluate: its index in the dataset, its id, and the journal lines it already has. */
  record ImageRef(int index, String id, List<String> journaled) implements Serializable {}

  /** An image's outcome as an executor returns it: the clean prediction and each attempt as results JSON. */
  record ImageResult(int index, String id, int cleanTop, float[] cleanProbabilities, String skipped,
      List<String> attempts) implements Serializable {}

  /** A partition's outcomes and what it spent. */
  record PartitionResult(List<ImageResult> images, boolean logits, long queries, long cleanQueries, long gradients,
      long modelNanos, String executor) implements Serializable {}

  /**
   * Runs the evaluation of {@code data} on Spark.
   *
   * @param c the driver's model: its info names the results
   * @param journal the run's journal (finished attempts are kept, new ones appended), or null
   * @param line what to print for an attempt, by dataset index, or null for nothing
   */
  public EvaluationResult run(Classifier c, Dataset data, Attack<?> attack, Targets targets, JournalFile journal,
      PrintWriter out, PrintWriter err, boolean quiet, BiFunction<Integer, AttackResult, String> line) {
    return run(c, data, attack, targets, journal, out, err, quiet, line, null);
  }

  /**
   * As above, handing each finished image to {@code sink} in dataset order as soon as every image before it has
   * arrived (partitions are consecutive images, so the driver holds only the partitions that finished ahead of
   * an unfinished one): the results file is written as the job runs, and with side-car images the driver keeps
   * no image once written.
   *
   * @param sink where finished images go, or null to keep them
   */
  public EvaluationResult run(Classifier c, Dataset data, Attack<?> attack, Targets targets, JournalFile journal,
      PrintWriter out, PrintWriter err, boolean quiet, BiFunction<Integer, AttackResult, String> line,
      Evaluation.Sink sink) {
    long t0 = System.nanoTime();
    Map<String, List<String>> journaled = journal == null ? Map.of() : journaledLines(journal.file());
    Set<String> kept = new HashSet<>();
    journaled.values().forEach(ls -> ls.forEach(l -> kept.add(key(l))));
    List<ImageRef> refs = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      String id = data.get(i).id();
      refs.add(new ImageRef(i, id, journaled.getOrDefault(id, List.of())));
    }
    String runId = UUID.randomUUID().toString();
    SparkConf conf = new SparkConf().setAppName("pixelguard evaluate " + data.name());
    String master = options.master(conf.contains("spark.master") ? conf.get("spark.master") : null);
    conf.setMaster(master);
    conf.set("spark.speculation", "false"); // one task per partition at a time: a partition's journal has one writer
    if (master.startsWith("local[") || master.equals("local")) {
      conf.setIfMissing("spark.ui.enabled", "false"); // nobody to look at it (local-cluster's master needs it)
    }
    if (master.startsWith("local")) { // everything on this machine: talk over the loopback interface only
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    if (master.startsWith("local-cluster")) {
      // executor JVMs started on this machine run with this JVM's class path (pixelguard, its dependencies, Spark)
      conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
      conf.setIfMissing("spark.scheduler.minRegisteredResourcesRatio", "1.0"); // start once every executor is up
    }
    options.partitions(data.size()); // a bad --partitions is refused before Spark starts
    ImageOutcome[] outcomes = new ImageOutcome[data.size()];
    PartitionResult[] parts;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      int n = options.partitions(data.size());
      JavaRDD<ImageRef> rdd = sc.parallelize(refs, n);
      parts = new PartitionResult[n];
      int[] finished = {0};
      Handler handler = new Handler(data, outcomes, parts, kept, journal, quiet ? null : err, finished, n, sink);
      ClassTag<PartitionResult> tag = ClassTag$.MODULE$.apply(PartitionResult.class);
      sc.sc().runJob(rdd.rdd(), new PartitionTask(args, settings, options.work(), runId), handler, tag);
      if (handler.failure != null) {
        throw handler.failure;
      }
    } finally {
      Executors.closeAll(); // in local mode the executors were this JVM
      deleteWork(Path.of(options.work() != null ? options.work() : System.getProperty("java.io.tmpdir"),
          "pixelguard-spark", runId));
    }
    List<ImageOutcome> images = List.of(outcomes);
    long queries = 0;
    long cleanQueries = 0;
    long gradients = 0;
    long modelNanos = 0;
    boolean logits = false;
    for (PartitionResult p : parts) {
      queries += p.queries();
      cleanQueries += p.cleanQueries();
      gradients += p.gradients();
      modelNanos += p.modelNanos();
      logits |= p.logits();
    }
    if (line != null && !quiet) {
      for (ImageOutcome o : images) {
        for (AttackResult a : o.attempts()) {
          String text = line.apply(o.index(), a);
          if (text != null) {
            out.println(text);
          }
        }
      }
      out.flush();
    }
    return new EvaluationResult(c.info(), logits, data.name(), attack.name(), attack.settings(), targets,
        attack.seed(), execution, images, new EvaluationResult.Totals(queries, cleanQueries, gradients, modelNanos,
            System.nanoTime() - t0));
  }

  /** On the driver, as each partition's result arrives: its images rebuilt and its new attempts journaled. */
  private static final class Handler extends AbstractFunction2<Object, PartitionResult, BoxedUnit> {
    private final Dataset data;
    private final ImageOutcome[] outcomes;
    private final PartitionResult[] parts;
    private final Set<String> kept;
    private final JournalFile journal;
    private final PrintWriter progress;
    private final int[] finished;
    private final int total;
    private final Evaluation.Sink sink;
    /** The first image not yet handed to the sink. */
    private int next;
    RuntimeException failure;

    Handler(Dataset data, ImageOutcome[] outcomes, PartitionResult[] parts, Set<String> kept, JournalFile journal,
        PrintWriter progress, int[] finished, int total, Evaluation.Sink sink) {
      this.sink = sink;
      this.data = data;
      this.outcomes = outcomes;
      this.parts = parts;
      this.kept = kept;
      this.journal = journal;
      this.progress = progress;
      this.finished = finished;
      this.total = total;
    }

    @Override
    public BoxedUnit apply(Object partition, PartitionResult result) {
      try {
        int flipped = 0;
        for (ImageResult r : result.images()) {
          ImageOutcome o = rebuild(data, r);
          outcomes[r.index()] = o;
          for (AttackResult a : o.attempts()) {
            flipped += a.success() ? 1 : 0;
            if (journal != null && !kept.contains(key(a.imageId(), a.goal().describe()))) {
              journal.record(a);
            }
          }
        }
        parts[(Integer) partition] = result;
        finished[0]++;
        if (sink != null && failure == null) { // after a failed write, the run ends: nothing is handed twice
          while (next < outcomes.length && outcomes[next] != null) {
            outcomes[next] = sink.accept(outcomes[next]);
            next++;
          }
        }
        if (progress != null) {
          progress.printf(Locale.ROOT, "pixelguard-spark: partition %d done (%d of %d): %d images, %d flipped, on "
              + "executor %s%n", (Integer) partition, finished[0], total, result.images().size(), flipped,
              result.executor());
          progress.flush();
        }
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
      return BoxedUnit.UNIT;
    }
  }

  /** An image's outcome from an executor's result, with the image from the driver's dataset. */
  static ImageOutcome rebuild(Dataset data, ImageResult r) {
    LabeledImage li = data.get(r.index());
    if (!li.id().equals(r.id())) {
      throw new InputException("an executor read image " + r.index() + " of " + data.name() + " as " + r.id()
          + ", the driver as " + li.id() + ": every executor must read the same dataset at the same path");
    }
    Prediction clean = new Prediction(r.cleanTop(), r.cleanProbabilities());
    List<AttackResult> attempts = new ArrayList<>();
    for (String a : r.attempts()) {
      try {
        attempts.add(ResultsJson.attemptFromJson(JSON.readTree(a), li.id(), li.image(), clean,
            li.hasLabel() ? li.label() : clean.top()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ImageOutcome(r.index(), li.id(), li.label(), clean, r.skipped(), attempts);
  }

  /**
   * Tests only: called in a task after each attempt of its partition is journaled (a failure thrown here fails
   * the task, as a lost executor would). Seen by tasks of this JVM, so only with a local master.
   */
  static volatile Seam afterAttempt;

  /** See {@link #afterAttempt}. */
  interface Seam {
    void attempted(TaskContext task, AttackResult attempt);
  }

  /** A partition's work on an executor. */
  static final class PartitionTask extends AbstractFunction2<TaskContext, Iterator<ImageRef>, PartitionResult>
      implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String[] args;
    private final String settings;
    private final String work;
    private final String runId;

    PartitionTask(String[] args, String settings, String work, String runId) {
      this.args = args;
      this.settings = settings;
      this.work = work;
      this.runId = runId;
    }

    @Override
    public PartitionResult apply(TaskContext task, Iterator<ImageRef> it) {
      List<ImageRef> refs = new ArrayList<>();
      while (it.hasNext()) {
        refs.add(it.next());
      }
      int threads = Math.max(1, task.cpus());
      SparkCommand.Setup setup = Executors.borrow(args, threads);
      try {
        return run(task, refs, setup);
      } finally {
        Executors.giveBack(args, threads, setup);
      }
    }

    private PartitionResult run(TaskContext task, List<ImageRef> refs, SparkCommand.Setup setup) {
      ObjectNode s;
      try {
        s = (ObjectNode) JSON.readTree(settings);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path dir = Path.of(work != null ? work : System.getProperty("java.io.tmpdir"), "pixelguard-spark", runId);
      Path file = dir.resolve("part-" + task.partitionId() + ".journal");
      EvaluationResult r;
      try {
        Files.createDirectories(dir);
        if (!Files.exists(file)) { // the partition's first try: its journal holds what the run's journal held
          JournalFile.open(file, s, false).close();
          StringBuilder held = new StringBuilder();
          refs.forEach(ref -> ref.journaled().forEach(l -> held.append(l).append('\n')));
          Files.writeString(file, held, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        try (JournalFile journal = JournalFile.open(file, s, true)) {
          Seam seam = afterAttempt;
          r = setup.evaluate(refs.stream().map(ImageRef::index).toList(), journal,
              seam == null ? null : (a, done, total, ok) -> seam.attempted(task, a));
        }
        Files.deleteIfExists(file); // the result goes to the driver now
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<ImageResult> images = new ArrayList<>();
      for (ImageOutcome o : r.images()) {
        ImageRef ref = refs.get(o.index());
        images.add(new ImageResult(ref.index(), o.id(), o.clean().top(), o.clean().probabilities(), o.skipped(),
            o.attempts().stream().map(a -> ResultsJson.attemptToJson(a).toString()).toList()));
      }
      EvaluationResult.Totals t = r.totals();
      return new PartitionResult(images, r.modelGivesLogits(), t.queries(), t.cleanQueries(), t.gradients(),
          t.modelNanos(), org.apache.spark.SparkEnv.get().executorId());
    }
  }

  /**
   * The model, data and attack of each command line, opened once per task slot of an executor JVM and kept
   * for the JVM's life: a task borrows one and gives it back, so tasks running side by side each have their own
   * ONNX Runtime session with the task's cores as its threads (sharing one session between tasks measured
   * slower here), and a later task reuses it.
   */
  static final class Executors {
    private static final Map<String, java.util.Deque<SparkCommand.Setup>> IDLE = new HashMap<>();
    private static final List<SparkCommand.Setup> OPEN = new ArrayList<>();

    private Executors() {}

    private static String key(String[] args, int threads) {
      return String.join("\u0000", args) + "\u0000threads=" + threads;
    }

    static SparkCommand.Setup borrow(String[] args, int threads) {
      synchronized (IDLE) {
        SparkCommand.Setup idle = IDLE.computeIfAbsent(key(args, threads), k -> new java.util.ArrayDeque<>()).poll();
        if (idle != null) {
          return idle;
        }
      }
      SparkCommand.Setup fresh = SparkCommand.Setup.open(args, threads);
      synchronized (IDLE) {
        OPEN.add(fresh);
      }
      return fresh;
    }

    static void giveBack(String[] args, int threads, SparkCommand.Setup setup) {
      synchronized (IDLE) {
        IDLE.computeIfAbsent(key(args, threads), k -> new java.util.ArrayDeque<>()).push(setup);
      }
    }

    static void closeAll() {
      synchronized (IDLE) {
        OPEN.forEach(SparkCommand.Setup::close);
        OPEN.clear();
        IDLE.clear();
      }
    }
  }

  /** The journal's attempt lines by image id (the first line, the settings, is not one). */
  static Map<String, List<String>> journaledLines(Path file) {
    Map<String, List<String>> out = new HashMap<>();
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (String l : lines.subList(Math.min(1, lines.size()), lines.size())) {
        if (!l.isBlank()) {
          out.computeIfAbsent(JSON.readTree(l).path("id").asText(), k -> new ArrayList<>()).add(l);
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot read journal " + file + ": " + e.getMessage());
    }
    return out;
  }

  private static String key(String line) {
    try {
      JsonNode j = JSON.readTree(line);
      return key(j.path("id").asText(), j.path("goal").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(String id, String goal) {
    return id + '\u0000' + goal;
  }

  private static void deleteWork(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary folder: nothing depends on it
    }
  }
}
