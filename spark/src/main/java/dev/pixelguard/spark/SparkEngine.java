package dev.pixelguard.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.TransientException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.engine.EvaluationEngine;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.io.ResultsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.collection.Iterator;
import scala.reflect.ClassTag$;
import scala.reflect.ClassTag;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * An {@link EvaluationPlan}'s evaluations as one Spark job: the engine {@code pixelguard-spark} runs, registered
 * as {@code spark}. The driver makes a dataset of image references (index and id, with the attempts each part's
 * journal already holds for the image), split into partitions, and ships the plan with the job. Each executor
 * JVM opens the plan once per task slot ({@link Executors}) and runs each of its partitions through every
 * evaluation of the plan ({@link EvaluationPlan.Opened#evaluate}: one for a model, three for a gate), journaling
 * every attempt in the partition's own journals, so that a retried task (a lost executor, a failed task)
 * finishes the partition instead of starting it again. The driver records each partition's attempts in the
 * run's journals as the partition finishes, and merges the partitions into the results a local run gives:
 * images in dataset order, totals summed. Every image's seed derives from the root seed and the image, so the
 * outcomes equal a plain {@code evaluate}'s image for image, whatever the partitions, the executors or the
 * retries; Spark keeps one result per partition, so no attempt is doubled.
 *
 * <p>Settings ({@link SparkSettings}): {@code master}, {@code partitions}, {@code work}.
 */
public final class SparkEngine implements EvaluationEngine {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "spark";
  }

  /** One image to evaluate: its index in the dataset, its id, and the journal lines each part has for it. */
  record ImageRef(int index, String id, Map<String, List<String>> journaled) implements Serializable {}

  /** An image's outcome as an executor returns it: the clean prediction and each attempt as results JSON. */
  record ImageResult(int index, String id, int cleanTop, float[] cleanProbabilities, String skipped,
      List<String> attempts) implements Serializable {}

  /** One part's outcomes in a partition and what it spent. */
  record PartResult(List<ImageResult> images, boolean logits, long queries, long cleanQueries, long gradients,
      long modelNanos) implements Serializable {}

  /** A partition's outcomes, one per part of the plan, and the executor that ran it. */
  record PartitionResult(List<PartResult> parts, String executor) implements Serializable {}

  /**
   * Refuses bad settings in one line, and a standalone master ({@code spark://}) that cannot be reached as a
   * failure that may pass when tried again ({@link dev.pixelguard.TransientException}), before Spark starts.
   */
  @Override
  public void check(Map<String, String> settings) {
    StandaloneMasters.requireReachable(master(SparkSettings.of(settings)));
  }

  /** The master the job will run on: the one given, else spark-submit's, else local[*]. */
  private static String master(SparkSettings options) {
    SparkConf submitted = new SparkConf();
    return options.master(submitted.contains("spark.master") ? submitted.get("spark.master") : null);
  }

  @Override
  public List<EvaluationResult> run(EvaluationPlan.Opened run, Map<String, String> settings,
      Function<String, JournalFile> journals, PrintWriter progress, Evaluation.Sink sink) {
    SparkSettings options = SparkSettings.of(settings); // refused in one line before Spark starts
    StandaloneMasters.requireReachable(master(options));
    long t0 = System.nanoTime();
    EvaluationPlan plan = run.plan();
    List<String> parts = plan.parts();
    Dataset data = run.images();
    Map<String, JournalFile> journal = new HashMap<>();
    Map<String, Set<String>> kept = new HashMap<>();
    Map<String, String> settingsLines = new HashMap<>();
    for (String part : parts) {
      JournalFile j = journals == null ? null : journals.apply(part);
      journal.put(part, j);
      kept.put(part, new HashSet<>());
      settingsLines.put(part, j == null ? null : j.settingsText());
    }
    List<ImageRef> refs = new ArrayList<>(data.size());
    for (int i = 0; i < data.size(); i++) {
      String id = data.get(i).id();
      Map<String, List<String>> lines = new HashMap<>();
      for (String part : parts) {
        JournalFile j = journal.get(part);
        List<String> had = j == null ? List.of() : j.held(id); // taken by this run: in the results it writes
        had.forEach(l -> kept.get(part).add(key(l)));
        lines.put(part, had);
      }
      refs.add(new ImageRef(i, id, lines));
    }
    String runId = UUID.randomUUID().toString();
    SparkConf conf = conf(options, data.name());
    int n = options.partitions(data.size());
    ImageOutcome[][] outcomes = new ImageOutcome[parts.size()][data.size()];
    PartitionResult[] results = new PartitionResult[n];
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      sc.setLogLevel("WARN");
      JavaRDD<ImageRef> rdd = sc.parallelize(refs, n);
      Handler handler = new Handler(data, parts, outcomes, results, kept, journal, progress, n,
          parts.size() == 1 ? sink : null);
      ClassTag<PartitionResult> tag = ClassTag$.MODULE$.apply(PartitionResult.class);
      try {
        sc.sc().runJob(rdd.rdd(), new PartitionTask(plan, settingsLines, options.work(), runId), handler, tag);
      } catch (IllegalStateException e) {
        if (sc.sc().isStopped() && conf.get("spark.master").startsWith("spark://")) {
          throw new TransientException("the Spark master " + conf.get("spark.master") + " did not take the job "
              + "(Spark gave up when no master answered its registration)", e);
        }
        throw e;
      }
      if (handler.failure != null) {
        throw handler.failure;
      }
    } finally {
      Executors.closeAll(); // in local mode the executors were this JVM
      deleteWork(Path.of(options.work() != null ? options.work() : System.getProperty("java.io.tmpdir"),
          "pixelguard-spark", runId));
    }
    List<EvaluationResult> blanks = run.blankResults();
    List<EvaluationResult> merged = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      long queries = 0;
      long cleanQueries = 0;
      long gradients = 0;
      long modelNanos = 0;
      boolean logits = false;
      for (PartitionResult r : results) {
        PartResult pr = r.parts().get(p);
        queries += pr.queries();
        cleanQueries += pr.cleanQueries();
        gradients += pr.gradients();
        modelNanos += pr.modelNanos();
        logits |= pr.logits();
      }
      merged.add(blanks.get(p).withImages(Arrays.asList(outcomes[p]), logits, new EvaluationResult.Totals(queries,
          cleanQueries, gradients, modelNanos, System.nanoTime() - t0)));
    }
    return merged;
  }

  private static SparkConf conf(SparkSettings options, String dataName) {
    SparkConf conf = new SparkConf().setAppName("pixelguard evaluate " + dataName);
    String master = master(options);
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
    return conf;
  }

  /** On the driver, as each partition's result arrives: its images rebuilt and its new attempts journaled. */
  private static final class Handler extends AbstractFunction2<Object, PartitionResult, BoxedUnit> {
    private final Dataset data;
    private final List<String> parts;
    private final ImageOutcome[][] outcomes;
    private final PartitionResult[] results;
    private final Map<String, Set<String>> kept;
    private final Map<String, JournalFile> journal;
    private final PrintWriter progress;
    private final int total;
    private final Evaluation.Sink sink;
    private int finished;
    /** The first image not yet handed to the sink. */
    private int next;
    RuntimeException failure;

    Handler(Dataset data, List<String> parts, ImageOutcome[][] outcomes, PartitionResult[] results,
        Map<String, Set<String>> kept, Map<String, JournalFile> journal, PrintWriter progress, int total,
        Evaluation.Sink sink) {
      this.data = data;
      this.parts = parts;
      this.outcomes = outcomes;
      this.results = results;
      this.kept = kept;
      this.journal = journal;
      this.progress = progress;
      this.total = total;
      this.sink = sink;
    }

    @Override
    public BoxedUnit apply(Object partition, PartitionResult result) {
      try {
        int successes = 0;
        int images = 0;
        for (int p = 0; p < parts.size(); p++) {
          JournalFile j = journal.get(parts.get(p));
          Set<String> had = kept.get(parts.get(p));
          for (ImageResult r : result.parts().get(p).images()) {
            ImageOutcome o = rebuild(data, r);
            outcomes[p][r.index()] = o;
            for (AttackResult a : o.attempts()) {
              successes += p == parts.size() - 1 && a.success() ? 1 : 0;
              if (j != null && !had.contains(key(a.imageId(), a.goal().describe()))) {
                j.record(a);
              }
            }
          }
          images = result.parts().get(p).images().size();
        }
        results[(Integer) partition] = result;
        finished++;
        ImageOutcome[] last = outcomes[parts.size() - 1];
        if (sink != null && failure == null) { // after a failed write, the run ends: nothing is handed twice
          while (next < last.length && last[next] != null) {
            last[next] = sink.accept(last[next]);
            next++;
          }
        }
        if (progress != null) {
          progress.printf(Locale.ROOT, "pixelguard-spark: partition %d done (%d of %d): %d images, %d %s, on "
              + "executor %s%n", (Integer) partition, finished, total, images, successes,
              parts.size() == 1 ? "flipped" : "harmed", result.executor());
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
    private final EvaluationPlan plan;
    /** Each part's journal settings line, or null when the run keeps no journal. */
    private final Map<String, String> settings;
    private final String work;
    private final String runId;

    PartitionTask(EvaluationPlan plan, Map<String, String> settings, String work, String runId) {
      this.plan = plan;
      this.settings = new HashMap<>(settings);
      this.work = work;
      this.runId = runId;
    }

    @Override
    public PartitionResult apply(TaskContext task, Iterator<ImageRef> it) {
      List<ImageRef> refs = new ArrayList<>();
      while (it.hasNext()) {
        refs.add(it.next());
      }
      EvaluationPlan here = plan.withThreads(Math.max(1, task.cpus()));
      EvaluationPlan.Opened opened = Executors.borrow(here);
      try {
        return run(task, refs, opened);
      } finally {
        Executors.giveBack(here, opened);
      }
    }

    private PartitionResult run(TaskContext task, List<ImageRef> refs, EvaluationPlan.Opened opened) {
      Path dir = Path.of(work != null ? work : System.getProperty("java.io.tmpdir"), "pixelguard-spark", runId);
      Map<String, JournalFile> open = new HashMap<>();
      List<EvaluationResult> r;
      try {
        Files.createDirectories(dir);
        for (String part : plan.parts()) {
          String line = settings.get(part);
          if (line == null) {
            continue;
          }
          Path file = dir.resolve("part-" + task.partitionId() + "." + part + ".journal");
          if (!Files.exists(file)) { // the partition's first try: its journal holds what the run's journal held
            JournalFile.open(file, (ObjectNode) JSON.readTree(line), false).start().close();
            StringBuilder had = new StringBuilder();
            refs.forEach(ref -> ref.journaled().get(part).forEach(l -> had.append(l).append('\n')));
            Files.writeString(file, had, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
          }
          open.put(part, JournalFile.open(file, (ObjectNode) JSON.readTree(line), true));
        }
        try {
          Seam seam = afterAttempt;
          r = opened.evaluate(refs.stream().map(ImageRef::index).toList(), open::get,
              seam == null ? null : (a, done, all, ok) -> seam.attempted(task, a));
        } finally {
          open.values().forEach(JournalFile::close);
        }
        for (JournalFile j : open.values()) {
          Files.deleteIfExists(j.file()); // the result goes to the driver now
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<PartResult> parts = new ArrayList<>();
      for (EvaluationResult part : r) {
        List<ImageResult> images = new ArrayList<>();
        for (ImageOutcome o : part.images()) {
          ImageRef ref = refs.get(o.index());
          images.add(new ImageResult(ref.index(), o.id(), o.clean().top(), o.clean().probabilities(), o.skipped(),
              o.attempts().stream().map(a -> ResultsJson.attemptToJson(a).toString()).toList()));
        }
        EvaluationResult.Totals t = part.totals();
        parts.add(new PartResult(images, part.modelGivesLogits(), t.queries(), t.cleanQueries(), t.gradients(),
            t.modelNanos()));
      }
      return new PartitionResult(parts, SparkEnv.get().executorId());
    }
  }

  /**
   * Each plan opened once per task slot of an executor JVM and kept for the JVM's life: a task borrows one and
   * gives it back, so tasks running side by side each have their own ONNX Runtime session with the task's cores
   * as its threads (sharing one session between tasks measured slower here), and a later task reuses it.
   */
  static final class Executors {
    private static final Map<String, java.util.Deque<EvaluationPlan.Opened>> IDLE = new HashMap<>();
    private static final List<EvaluationPlan.Opened> OPEN = new ArrayList<>();

    private Executors() {}

    /** The plan's identity: its serialised form (attacks have no equals of their own). */
    private static String key(EvaluationPlan plan) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(plan);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static EvaluationPlan.Opened borrow(EvaluationPlan plan) {
      synchronized (IDLE) {
        EvaluationPlan.Opened idle = IDLE.computeIfAbsent(key(plan), k -> new java.util.ArrayDeque<>()).poll();
        if (idle != null) {
          return idle;
        }
      }
      EvaluationPlan.Opened fresh = plan.open();
      synchronized (IDLE) {
        OPEN.add(fresh);
      }
      return fresh;
    }

    static void giveBack(EvaluationPlan plan, EvaluationPlan.Opened opened) {
      synchronized (IDLE) {
        IDLE.computeIfAbsent(key(plan), k -> new java.util.ArrayDeque<>()).push(opened);
      }
    }

    static void closeAll() {
      synchronized (IDLE) {
        OPEN.forEach(EvaluationPlan.Opened::close);
        OPEN.clear();
        IDLE.clear();
      }
    }
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
