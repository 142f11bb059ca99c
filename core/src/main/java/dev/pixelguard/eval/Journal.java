package dev.pixelguard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.data.ImageFiles;
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
 * The journal of a running evaluation: one line of JSON per finished attempt, appended as each finishes, after
 * a first line that records the settings. A run killed at any moment (SIGKILL included) leaves every finished
 * attempt on its own complete line; each line is handed to the operating system in one write, so at most a
 * torn last line is lost, and it is cut off on resume. Resuming with other settings is refused, since the
 * outcomes would then mix two runs. Attempts that finished are never run again, so none is doubled, and
 * because every image's seed derives from the root seed and the image, the resumed run's outcomes equal an
 * uninterrupted run's image for image.
 *
 * <p>Lines (JSON Lines): {@code {"journal": 1, "settings": {...}}}, then {@code {"id": ID, "goal": GOAL,
 * "attempt": {...}}} with the attempt as in a results file.
 */
public final class Journal implements AutoCloseable {
  /** The version of the journal's lines. */
  public static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final Map<String, JsonNode> done;
  private final FileChannel out;

  private Journal(Path file, Map<String, JsonNode> done, FileChannel out) {
    this.file = file;
    this.done = done;
    this.out = out;
  }

  /** The journal file beside a results file: {@code results.json.journal}. */
  public static Path beside(Path results) {
    return results.resolveSibling(results.getFileName() + ".journal");
  }

  /**
   * What a run's outcomes depend on, and so what a resumed run must share: the model, the dataset, the attack
   * with its settings and root seed, and the goals. Batch size, concurrency and the number of images are not
   * part of it (they never change an image's outcome).
   */
  public static ObjectNode settings(ModelInfo model, String dataset, Attack<?> attack, Targets targets) {
    ObjectNode s = JSON.createObjectNode();
    s.put("model", model.name());
    s.put("classes", String.join(",", model.classNames()));
    s.put("shape", model.channels() + "x" + model.height() + "x" + model.width());
    s.put("dataset", dataset);
    s.put("attack", attack.name());
    ObjectNode a = s.putObject("attackSettings");
    attack.settings().forEach((k, v) -> a.put(k, String.valueOf(v)));
    a.remove("seed"); // recorded once, below
    s.put("seed", attack.seed());
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
  public static Journal open(Path file, ObjectNode settings, boolean resume) {
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
        return new Journal(file, done, ch);
      }
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) {
        Files.createDirectories(dir); // a report folder that the run's report will fill
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ObjectNode head = JSON.createObjectNode();
      head.put("journal", VERSION);
      head.set("settings", settings);
      Journal j = new Journal(file, done, ch);
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
        done.put(key(j.path("id").asText(), j.path("goal").asText()), j.path("attempt"));
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
            : prefix + k + " was " + (a.isMissingNode() ? "not set" : a.asText()) + ", now " + b.asText();
      }
    }
    return "a setting was dropped";
  }

  private static String key(String id, String goal) {
    return id + '\u0000' + goal;
  }

  /** How many attempts the journal holds from earlier runs. */
  public int resumed() {
    return done.size();
  }

  /**
   * The attempt of image {@code id} toward {@code goal} finished by an earlier run, rebuilt, or null.
   *
   * @param trueClass the image's label
   */
  public AttackResult finished(String id, String goal, Image original, Prediction clean, int trueClass) {
    JsonNode a = done.get(key(id, goal));
    return a == null ? null : ResultsJson.attemptFromJson(a, id, original, clean, trueClass);
  }

  /** Appends a finished attempt, in one write. */
  public synchronized void record(AttackResult r) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", r.imageId());
    line.put("goal", r.goal().describe());
    line.set("attempt", ResultsJson.attemptToJson(r));
    try {
      append(line);
    } catch (IOException e) {
      throw new InputException("cannot append to journal " + file + ": " + ImageFiles.reason(e));
    }
  }

  private void append(JsonNode line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      out.write(b);
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
