package dev.pixelguard.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ModelInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The journal of a running evaluation as a file ({@link Journal}): one line of JSON per finished attempt, appended as each finishes, after
 * a first line that records the settings. A run killed at any moment (SIGKILL included) leaves every finished
 * attempt on its own complete line; each line is handed to the operating system in one write, so at most a
 * torn last line is lost, and it is cut off on resume. Resuming with other settings is refused, since the
 * outcomes would then mix two runs. Attempts that finished are never run again, so none is doubled, and
 * because every image's seed derives from the root seed and the image, the resumed run's outcomes equal an
 * uninterrupted run's image for image.
 *
 * <p>Lines (JSON Lines): {@code {"journal": 1, "settings": {...}}}, then {@code {"id": ID, "goal": GOAL,
 * "attempt": {...}}} with the attempt as in a results file.
 *
 * <p>The file is made when the first attempt is recorded, not when the journal is opened: a run refused or
 * stopped before any attempt finished leaves no journal behind to block the corrected command. Only the last
 * line can be torn (it then has no line end); a complete line that is not a journal line means the file was
 * damaged or edited, and resuming from it is refused in one line naming the line, since dropping it (and
 * everything after it) would silently lose finished attempts. {@link #finish} deletes the file only when every
 * attempt it holds was taken by this run ({@link #used}); a run over fewer images keeps it.
 *
 * <p>A run of several evaluations can keep them all in one journal: each {@link #part} is a view whose lines
 * carry {@code "part": NAME}, and whose attempts are looked up among that part's only ({@code audit} keeps one part
 * per threat model and system). An outcome that is not an attack's attempt (a universal sticker's verdict on an
 * image) is kept as {@code "outcome": {...}} instead, through {@link #recordOutcome} and {@link #finishedOutcome}.
 */
public final class JournalFile implements Journal, AutoCloseable {
  /** The version of the journal's lines. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What every view of one journal shares: the file, its lines from earlier runs, and the channel once made. */
  private static final class Shared {
    final Path file;
    final ObjectNode head;
    /** The finished lines of earlier runs, of every part, by {@link #key}, sorted: an image's lines are a range. */
    final NavigableMap<String, JsonNode> done;
    /** The keys of {@link #done} this run has taken. */
    final Set<String> used = new HashSet<>();
    /** Open for appending once the file exists (at once when resuming, else at the first line recorded). */
    FileChannel out;
    boolean closed;

    Shared(Path file, ObjectNode head, NavigableMap<String, JsonNode> done, FileChannel out) {
      this.file = file;
      this.head = head;
      this.done = done;
      this.out = out;
    }
  }

  private final Shared shared;
  /** This view's part, or null for the journal's lines without one. */
  private final String part;

  private JournalFile(Shared shared, String part) {
    this.shared = shared;
    this.part = part;
  }

  /**
   * A view of this journal for one part of the run: what it records carries {@code "part": name}, and what it
   * finds is that part's only. It shares the file: close or finish the journal it came from, not the view.
   */
  @Override
  public JournalFile part(String name) {
    java.util.Objects.requireNonNull(name, "name");
    return new JournalFile(shared, name);
  }

  /** The journal file beside a results file: {@code results.json.journal}. */
  public static Path beside(Path results) {
    return results.resolveSibling(results.getFileName() + ".journal");
  }

  /**
   * What a run's outcomes depend on, and so what a resumed run must share: the model, the dataset, the attack
   * with its settings, the root seed, and the goals. Batch size, concurrency and the number of images are not
   * part of it (they never change an image's outcome).
   */
  public static ObjectNode settings(ModelInfo model, String dataset, Attack<?> attack, long seed, Targets targets) {
    return settings(model, dataset, attack.name(), attack.settings(), seed, targets);
  }

  /** {@link #settings(ModelInfo, String, Attack, long, Targets)} of the evaluation that gives results like {@code r}. */
  public static ObjectNode settings(EvaluationResult r) {
    return settings(r.model(), r.dataset(), r.attack(), r.settings(), r.seed(), r.targets());
  }

  private static ObjectNode settings(ModelInfo model, String dataset, String attack, Map<String, Object> attackSettings,
      long seed, Targets targets) {
    ObjectNode s = JSON.createObjectNode();
    s.put("model", model.name());
    s.put("classes", String.join(",", model.classNames()));
    s.put("shape", model.channels() + "x" + model.height() + "x" + model.width());
    s.put("dataset", dataset);
    s.put("attack", attack);
    ObjectNode a = s.putObject("attackSettings");
    attackSettings.forEach((k, v) -> a.put(k, String.valueOf(v)));
    a.remove("seed"); // recorded once, below
    s.put("seed", seed);
    s.put("targets", targets.describe());
    s.put("criterion", targets.extra() == null ? "none" : targets.extra().describe());
    return s;
  }

  /**
   * Starts a journal, or resumes one.
   *
   * @param resume whether to finish an earlier run: its finished attempts are kept, and its settings must equal
   *     {@code settings}; when there is no journal the run starts afresh
   * @throws InputException when a journal exists and {@code resume} is false, when the journal's settings
   *     differ, or when it cannot be read or written
   */
  public static JournalFile open(Path file, ObjectNode settings, boolean resume) {
    NavigableMap<String, JsonNode> done = new TreeMap<>();
    boolean exists = Files.exists(file);
    if (exists && !resume) {
      throw new InputException("a journal of an interrupted run exists: " + file + "; add --resume to finish that "
          + "run, or delete the journal to start again");
    }
    ObjectNode head = JSON.createObjectNode();
    head.put("journal", VERSION);
    head.set("settings", settings);
    if (!exists) {
      return new JournalFile(new Shared(file, head, done, null), null); // the file is made by the first line
    }
    try {
      long good = read(file, settings, done);
      FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
      ch.truncate(good); // a torn last line from a killed run
      ch.position(good);
      return new JournalFile(new Shared(file, head, done, ch), null);
    } catch (IOException e) {
      throw new InputException("cannot use journal " + file + ": " + ImageFiles.reason(e));
    }
  }

  /**
   * Makes the file now, with its settings line, if it does not exist yet (it is otherwise made when the first
   * line is recorded): for an engine that hands a journal's lines to a worker's journal of its own.
   *
   * @return this journal
   */
  public JournalFile start() {
    try {
      synchronized (shared) {
        if (shared.out == null) {
          append(null);
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot use journal " + shared.file + ": " + ImageFiles.reason(e));
    }
    return this;
  }

  /**
   * Appends {@code line} (null: nothing) in one write; when the file does not exist yet, it is made and the
   * settings line goes first, in the same write.
   */
  private void append(JsonNode line) throws IOException {
    if (shared.closed) {
      throw new IllegalStateException("journal " + shared.file + " is closed");
    }
    StringBuilder text = new StringBuilder();
    if (shared.out == null) {
      Path dir = shared.file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir); // a report folder that the run's report will fill
      }
      shared.out = FileChannel.open(shared.file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      text.append(JSON.writeValueAsString(shared.head)).append('\n');
    }
    if (line != null) {
      text.append(JSON.writeValueAsString(line)).append('\n');
    }
    ByteBuffer b = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      shared.out.write(b);
    }
  }

  /**
   * Reads the finished attempts; returns the length of the file's complete lines. A last line without its line
   * end is a write a kill tore: it is left out (and cut off). A complete line that is not a journal line is
   * refused: it was damaged or edited, and what follows it cannot be trusted to be skipped silently.
   */
  private static long read(Path file, ObjectNode settings, Map<String, JsonNode> done) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long good = 0;
    int start = 0;
    int number = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      number++;
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      JsonNode j;
      try {
        j = JSON.readTree(line);
      } catch (IOException e) {
        j = null;
      }
      if (number == 1) {
        if (j == null || j.path("journal").asInt() != VERSION) {
          throw new InputException(file + " is not a pixelguard journal of version " + VERSION);
        }
        JsonNode now = JSON.readTree(JSON.writeValueAsString(settings)); // the numbers' types as read back
        if (!j.path("settings").equals(now)) {
          throw new InputException("the journal " + file + " is of a run with other settings (" + difference(
              "", j.path("settings"), now) + "); resuming would mix two runs: delete it, or resume with its "
              + "settings");
        }
      } else {
        if (j == null || !j.path("id").isTextual() || !j.path("goal").isTextual()
            || !(j.path("attempt").isObject() || j.path("outcome").isObject())) {
          throw new InputException("line " + number + " of the journal " + file + " is damaged (" + (j == null
              ? "not JSON" : "not an attempt") + "; only a last line without its line end is a torn write): "
              + "repair or remove that line and resume again, or delete the journal to start again");
        }
        JsonNode p = j.path("part");
        done.put(key(p.isTextual() ? p.asText() : null, j.path("id").asText(), j.path("goal").asText()), j);
      }
      good = i + 1;
      start = i + 1;
    }
    if (number == 0) {
      throw new InputException(file + " is not a pixelguard journal (it has no complete first line)");
    }
    return good;
  }

  /** The first setting that differs, such as "seed was 1, now 5" or "attackSettings.budget was ...". */
  private static String difference(String prefix, JsonNode was, JsonNode now) {
    for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      JsonNode a = was.path(k);
      JsonNode b = now.path(k);
      if (!a.equals(b)) {
        return a.isObject() && b.isObject() ? difference(prefix + k + ".", a, b)
            : prefix + k + " was " + (a.isMissingNode() ? "not set" : text(a)) + ", now " + text(b);
      }
    }
    return "a setting was dropped";
  }

  private static String text(JsonNode v) {
    return v.isValueNode() ? v.asText() : v.toString();
  }

  private static String key(String part, String id, String goal) {
    return (part == null ? "" : part + '\u0000') + id + '\u0000' + goal;
  }

  /** How many attempts (and outcomes) the journal holds from earlier runs, of every part. */
  public int resumed() {
    return shared.done.size();
  }

  /**
   * How many of the attempts (and outcomes) held from earlier runs this run has taken so far instead of running
   * them: fewer than {@link #resumed} when the run covers fewer images than the journal.
   */
  public int used() {
    synchronized (shared) {
      return shared.used.size();
    }
  }

  /** The held line of this view's part for image {@code id} and {@code goal}, marked as used, or null. */
  private JsonNode take(String id, String goal) {
    String k = key(part, id, goal);
    JsonNode line = shared.done.get(k);
    if (line != null) {
      synchronized (shared) {
        shared.used.add(k);
      }
    }
    return line;
  }

  /**
   * The attempt of image {@code id} toward {@code goal} finished by an earlier run, rebuilt, or null.
   *
   * @param trueClass the image's label
   */
  @Override
  public AttackResult finished(String id, String goal, Image original, Prediction clean, int trueClass) {
    JsonNode line = take(id, goal);
    return line == null || !line.has("attempt") ? null
        : ResultsJson.attemptFromJson(line.path("attempt"), id, original, clean, trueClass);
  }

  /**
   * The lines this view's part holds from earlier runs for image {@code id}, as JSON text, each marked as used: for
   * an engine that hands them to the worker that runs the image.
   */
  public List<String> held(String id) {
    List<String> out = new ArrayList<>();
    String prefix = key(part, id, "");
    for (Map.Entry<String, JsonNode> e : shared.done.subMap(prefix, true, prefix + '\uffff', false).entrySet()) {
      synchronized (shared) {
        shared.used.add(e.getKey());
      }
      out.add(e.getValue().toString());
    }
    return out;
  }

  /** The settings line's settings, as JSON text. */
  public String settingsText() {
    return shared.head.path("settings").toString();
  }

  /** Appends a finished attempt, in one write. */
  @Override
  public void record(AttackResult r) {
    ObjectNode line = line(r.imageId(), r.goal().describe());
    line.set("attempt", ResultsJson.attemptToJson(r));
    write(line);
  }

  /**
   * The outcome of image {@code id} toward {@code goal} that an earlier run recorded with {@link #recordOutcome},
   * or null.
   */
  @Override
  public JsonNode finishedOutcome(String id, String goal) {
    JsonNode line = take(id, goal);
    return line == null ? null : line.get("outcome");
  }

  /** Appends a finished image's outcome that is not an attack's attempt, in one write. */
  @Override
  public void recordOutcome(String id, String goal, JsonNode outcome) {
    ObjectNode line = line(id, goal);
    line.set("outcome", outcome);
    write(line);
  }

  private ObjectNode line(String id, String goal) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", id);
    line.put("goal", goal);
    if (part != null) {
      line.put("part", part);
    }
    return line;
  }

  private void write(JsonNode line) {
    try {
      synchronized (shared) { // one line at a time, from every part's view
        append(line);
      }
    } catch (IOException e) {
      throw new InputException("cannot append to journal " + shared.file + ": " + ImageFiles.reason(e));
    }
  }

  /** The journal's file. */
  public Path file() {
    return shared.file;
  }

  /**
   * Closes the file and deletes it, the run being finished and its results written, when every attempt it held
   * from earlier runs was taken by this run ({@link #used}); otherwise it is closed and kept, since it holds
   * attempts of images the results do not include.
   *
   * @return whether the journal was deleted
   */
  public boolean finish() {
    close();
    if (used() < resumed()) {
      return false;
    }
    try {
      Files.deleteIfExists(shared.file);
      return true;
    } catch (IOException e) {
      throw new InputException("cannot delete journal " + shared.file + ": " + ImageFiles.reason(e));
    }
  }

  @Override
  public void close() {
    synchronized (shared) {
      shared.closed = true;
      if (shared.out != null) {
        try {
          shared.out.close();
        } catch (IOException e) {
          // closing a file opened for appending: nothing left to save
        }
      }
    }
  }
}
