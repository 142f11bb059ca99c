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
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

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
 * <p>A run of several evaluations can keep them all in one journal: each {@link #part} is a view whose lines
 * carry {@code "part": NAME}, and whose attempts are looked up among that part's only ({@code audit} keeps one part
 * per threat model and system). An outcome that is not an attack's attempt (a universal sticker's verdict on an
 * image) is kept as {@code "outcome": {...}} instead, through {@link #recordOutcome} and {@link #finishedOutcome}.
 */
public final class JournalFile implements Journal, AutoCloseable {
  /** The version of the journal's lines. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  /** The finished lines of every part, by {@link #key}. */
  private final Map<String, JsonNode> done;
  private final FileChannel out;
  /** This view's part, or null for the journal's lines without one. */
  private final String part;

  private JournalFile(Path file, Map<String, JsonNode> done, FileChannel out, String part) {
    this.file = file;
    this.done = done;
    this.out = out;
    this.part = part;
  }

  /**
   * A view of this journal for one part of the run: what it records carries {@code "part": name}, and what it
   * finds is that part's only. It shares the file: close or finish the journal it came from, not the view.
   */
  @Override
  public JournalFile part(String name) {
    java.util.Objects.requireNonNull(name, "name");
    return new JournalFile(file, done, out, name);
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
    Map<String, JsonNode> done = new HashMap<>();
    boolean exists = Files.exists(file);
    if (exists && !resume) {
      throw new InputException("a journal of an interrupted run exists: " + file + "; add --resume to finish that "
          + "run, or delete the journal to start again");
    }
    try {
      if (exists) {
        long good = read(file, settings, done);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE);
        ch.truncate(good); // a torn last line from a killed run
        ch.position(good);
        return new JournalFile(file, done, ch, null);
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir); // a report folder that the run's report will fill
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ObjectNode head = JSON.createObjectNode();
      head.put("journal", VERSION);
      head.set("settings", settings);
      JournalFile j = new JournalFile(file, done, ch, null);
      j.append(head);
      return j;
    } catch (IOException e) {
      throw new InputException("cannot use journal " + file + ": " + ImageFiles.reason(e));
    }
  }

  /** Reads the finished attempts; returns the length of the file's complete, valid lines. */
  private static long read(Path file, ObjectNode settings, Map<String, JsonNode> done) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    long good = 0;
    int start = 0;
    boolean first = true;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      JsonNode j;
      try {
        j = JSON.readTree(line);
      } catch (IOException e) {
        break; // only the last line can be torn; nothing after it counts
      }
      if (first) {
        if (j == null || j.path("journal").asInt() != VERSION) {
          throw new InputException(file + " is not a pixelguard journal of version " + VERSION);
        }
        JsonNode now = JSON.readTree(JSON.writeValueAsString(settings)); // the numbers' types as read back
        if (!j.path("settings").equals(now)) {
          throw new InputException("the journal " + file + " is of a run with other settings (" + difference(
              "", j.path("settings"), now) + "); resuming would mix two runs: delete it, or resume with its "
              + "settings");
        }
        first = false;
      } else {
        JsonNode p = j.path("part");
        done.put(key(p.isTextual() ? p.asText() : null, j.path("id").asText(), j.path("goal").asText()), j);
      }
      good = i + 1;
      start = i + 1;
    }
    if (first) {
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
    return done.size();
  }

  /**
   * The attempt of image {@code id} toward {@code goal} finished by an earlier run, rebuilt, or null.
   *
   * @param trueClass the image's label
   */
  @Override
  public AttackResult finished(String id, String goal, Image original, Prediction clean, int trueClass) {
    JsonNode line = done.get(key(part, id, goal));
    return line == null || !line.has("attempt") ? null
        : ResultsJson.attemptFromJson(line.path("attempt"), id, original, clean, trueClass);
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
    JsonNode line = done.get(key(part, id, goal));
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
      append(line);
    } catch (IOException e) {
      throw new InputException("cannot append to journal " + file + ": " + ImageFiles.reason(e));
    }
  }

  private void append(JsonNode line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (out) { // one line at a time, from every part's view
      while (b.hasRemaining()) {
        out.write(b);
      }
    }
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  /** Closes the file and deletes it: the run is finished and its results are written. */
  public void finish() {
    close();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new InputException("cannot delete journal " + file + ": " + ImageFiles.reason(e));
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      // closing a file opened for appending: nothing left to save
    }
  }
}
