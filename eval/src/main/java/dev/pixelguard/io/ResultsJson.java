package dev.pixelguard.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.JsonErrors;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Perturbation;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.ModelInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one writer and reader of results files (schema: docs/results-schema.md). A file holds one
 * {@link EvaluationResult} ({@code "kind": "evaluation"}) or several ({@code "kind": "comparison"}); reading it
 * gives back the same typed results, from which every figure and the report are derived. Files are written
 * through a temporary file and moved into place, so a failed run never leaves half a file.
 */
public final class ResultsJson {
  /** Schema version written in every file; bumped on incompatible changes. */
  public static final int SCHEMA = 2;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** A sparse change is stored as its pixels up to this many; larger ones as a whole PNG. */
  private static final int MAX_LISTED_PIXELS = 64;

  private ResultsJson() {}

  // ------------------------------------------------------------------------------------------- writing

  /** Writes one evaluation to {@code file}, atomically. */
  public static void write(EvaluationResult r, Path file) {
    write(r, file, false);
  }

  /**
   * Writes one evaluation to {@code file}, atomically; with {@code sideCar}, the images go to PNG files in the
   * folder {@link #sideCar(Path)} instead of base64 inside the JSON, so the file's size per image stays bounded.
   */
  public static void write(EvaluationResult r, Path file, boolean sideCar) {
    SideCar images = sideCar ? SideCar.beside(file, "") : null;
    writeTree(body(header("evaluation"), r, images), file);
  }

  /** Writes several evaluations (a comparison of models or attacks on the same images), atomically. */
  public static void write(List<EvaluationResult> rs, Path file) {
    write(rs, file, false);
  }

  /** As {@link #write(List, Path)}; with {@code sideCar}, images as PNG files (evaluation {@code e} as {@code e<e>-...}). */
  public static void write(List<EvaluationResult> rs, Path file, boolean sideCar) {
    ObjectNode root = header("comparison");
    ArrayNode a = root.putArray("evaluations");
    for (int e = 0; e < rs.size(); e++) {
      a.add(body(JSON.createObjectNode(), rs.get(e), sideCar ? SideCar.beside(file, "e" + e + "-") : null));
    }
    writeTree(root, file);
  }

  /** One evaluation as a JSON tree. */
  public static ObjectNode toJson(EvaluationResult r) {
    return body(header("evaluation"), r, null);
  }

  /**
   * The folder of a results file's side-car images: {@code results.images} beside {@code results.json} (the
   * name without {@code .json}, plus {@code .images}).
   */
  public static Path sideCar(Path file) {
    String name = file.getFileName().toString();
    String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return file.resolveSibling(stem + ".images");
  }

  /** Where images go instead of the JSON: PNG files named by image index (and attempt), in {@link #sideCar(Path)}. */
  private record SideCar(Path folder, String relative, String prefix) {
    static SideCar beside(Path file, String prefix) {
      Path folder = sideCar(file);
      if (Files.exists(folder) && !Files.isDirectory(folder)) {
        throw new InputException("cannot write the images of " + file + " to " + folder + ": it is a file, not a "
            + "folder");
      }
      try {
        Files.createDirectories(folder);
      } catch (IOException e) {
        throw new InputException("cannot create the image folder " + folder + ": " + ImageFiles.reason(e));
      }
      return new SideCar(folder, folder.getFileName().toString() + "/", prefix);
    }

    /** Writes {@code im} as {@code name}.png; returns its path relative to the results file's folder. */
    String png(String name, Image im) {
      ImageFiles.writePng(im, folder.resolve(prefix + name + ".png"));
      return relative + prefix + name + ".png";
    }

    /** Writes {@code values} as little-endian float32 to {@code name}.f32; returns its relative path. */
    String floats(String name, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      ImageFiles.writeAtomically(folder.resolve(prefix + name + ".f32"), out -> out.write(b.array()));
      return relative + prefix + name + ".f32";
    }
  }

  /**
   * A results file written as an evaluation runs ({@link Evaluation.Sink}): each image is written as it finishes,
   * in dataset order, then the rest of the evaluation (model, attack, summary, totals) after the images; the
   * file is moved into place by {@link #finish}, so a file that exists is complete. With side-car images, the
   * outcome kept for each image loads its images again from their files when they are used (and lets the
   * garbage collector take them back), so an evaluation's memory does not grow with its images.
   *
   * <pre>{@code
   * try (ResultsJson.Writer w = ResultsJson.Writer.open(Path.of("r.json"), true)) {
   *   EvaluationResult r = Evaluation.of(model, data, attack).targets(targets).execution(execution).sink(w).run();
   *   w.finish(r);
   * }
   * }</pre>
   */
  public static final class Writer implements Evaluation.Sink, AutoCloseable {
    private final Path file;
    private final Path tmp;
    private final SideCar images;
    private final boolean newFolder;
    private final com.fasterxml.jackson.core.JsonGenerator out;
    private boolean finished;

    private Writer(Path file, Path tmp, SideCar images, boolean newFolder) throws IOException {
      this.file = file;
      this.tmp = tmp;
      this.images = images;
      this.newFolder = newFolder;
      this.out = JSON.getFactory().createGenerator(Files.newOutputStream(tmp));
      out.useDefaultPrettyPrinter();
      out.writeStartObject();
      out.writeNumberField("schema", SCHEMA);
      out.writeStringField("tool", "pixelguard");
      out.writeStringField("kind", "evaluation");
      out.writeArrayFieldStart("images");
    }

    /**
     * Starts writing {@code file} (through a temporary file beside it).
     *
     * @param sideCar images as PNG files in {@link #sideCar(Path)} instead of base64 in the JSON
     * @throws InputException if the folder cannot be written
     */
    public static Writer open(Path file, boolean sideCar) {
      Path abs = file.toAbsolutePath();
      Path dir = abs.getParent();
      if (dir == null || !Files.isDirectory(dir)) {
        throw new InputException("cannot write " + file + ": folder " + dir + " does not exist");
      }
      boolean newFolder = sideCar && !Files.exists(sideCar(abs));
      SideCar images = sideCar ? SideCar.beside(abs, "") : null;
      Path tmp = null;
      try {
        tmp = ImageFiles.tempBeside(abs);
        return new Writer(abs, tmp, images, newFolder);
      } catch (IOException | RuntimeException e) {
        deleteQuietly(tmp); // no hidden temporary file is left by a writer that never started
        if (newFolder) {
          deleteQuietly(images.folder());
        }
        if (e instanceof RuntimeException r) {
          throw r;
        }
        throw new InputException("cannot write " + file + ": " + ImageFiles.reason((IOException) e));
      }
    }

    private static void deleteQuietly(Path p) {
      if (p != null) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: the failure itself is what gets reported
        }
      }
    }

    /** Writes one finished image; returns the outcome to keep (images loaded from their files, with side-car). */
    @Override
    public ImageOutcome accept(ImageOutcome o) {
      ObjectNode im = JSON.createObjectNode();
      image(im, o, images);
      try {
        out.writeTree(im);
      } catch (IOException e) {
        throw new InputException("cannot write " + file + ": " + ImageFiles.reason(e));
      }
      return images == null ? o : reloadable(o, im, images.folder().getParent());
    }

    /** Writes the rest of {@code r} (whose images are those accepted) and moves the file into place. */
    public void finish(EvaluationResult r) {
      ObjectNode rest = JSON.createObjectNode();
      body(rest, r, images, false);
      try {
        out.writeEndArray();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) rest::fields) {
          out.writeFieldName(e.getKey());
          out.writeTree(e.getValue());
        }
        out.writeEndObject();
        out.close();
        try {
          Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        finished = true;
      } catch (IOException e) {
        throw new InputException("cannot write " + file + ": " + ImageFiles.reason(e));
      }
    }

    /** Without {@link #finish}: removes the temporary file (and the image folder, if this writer made it). */
    @Override
    public void close() {
      if (finished) {
        return;
      }
      try {
        out.close();
      } catch (IOException ignored) {
        // removed below
      }
      try {
        Files.deleteIfExists(tmp);
        if (newFolder && images != null) {
          try (var s = Files.list(images.folder())) {
            for (Path p : s.toList()) {
              Files.deleteIfExists(p);
            }
          }
          Files.deleteIfExists(images.folder());
        }
      } catch (IOException ignored) {
        // best effort: the failure itself is what gets reported
      }
    }
  }

  /** {@code o} with its images loaded again from the side-car files named in its JSON {@code im}. */
  private static ImageOutcome reloadable(ImageOutcome o, ObjectNode im, Path base) {
    if (o.attempts().isEmpty()) {
      return o;
    }
    Image first = o.attempts().get(0).original();
    Image original = fromFile(base, im.get("imageFile").asText(), first.channels(), first.height(), first.width());
    List<AttackResult> attempts = new ArrayList<>();
    JsonNode a = im.get("attempts");
    for (int t = 0; t < o.attempts().size(); t++) {
      AttackResult r = o.attempts().get(t);
      JsonNode j = a.get(t);
      Image adversarial = j.has("adversarialImageFile")
          ? fromFile(base, j.get("adversarialImageFile").asText(), first.channels(), first.height(), first.width())
          : withPixels(original, r.changes());
      attempts.add(r.withImages(original, adversarial));
    }
    return new ImageOutcome(o.index(), o.id(), o.label(), o.clean(), o.skipped(), attempts);
  }

  /** {@code original} with {@code changes}, made when used. */
  private static Image withPixels(Image original, List<PixelChange> changes) {
    return Image.lazy(original.channels(), original.height(), original.width(),
        () -> original.withPixels(changes).toBytes());
  }

  /** The PNG at {@code relative} (to {@code base}), loaded when used; it must be C x H x W. */
  private static Image fromFile(Path base, String relative, int channels, int height, int width) {
    Path f = base.resolve(relative);
    if (!Files.isRegularFile(f)) {
      throw new InputException("image file not found: " + f);
    }
    return Image.lazy(channels, height, width, () -> {
      Image im = ImageFiles.read(f);
      if (im.channels() != channels || im.height() != height || im.width() != width) {
        throw new InputException("image file " + f + " is " + im.shape() + ", expected "
            + Image.describe(channels, height, width));
      }
      return im.toBytes();
    });
  }

  private static ObjectNode header(String kind) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("tool", "pixelguard");
    root.put("kind", kind);
    return root;
  }

  private static void writeTree(ObjectNode tree, Path file) {
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, tree));
  }

  private static ObjectNode body(ObjectNode root, EvaluationResult r, SideCar store) {
    return body(root, r, store, true);
  }

  /** @param withImages whether to write the images too (a {@link Writer} has written them already) */
  private static ObjectNode body(ObjectNode root, EvaluationResult r, SideCar store, boolean withImages) {
    ModelInfo info = r.model();
    ObjectNode model = root.putObject("model");
    model.put("name", info.name());
    model.put("channels", info.channels()).put("height", info.height()).put("width", info.width());
    model.put("logits", r.modelGivesLogits());
    ArrayNode classes = model.putArray("classes");
    info.classNames().forEach(classes::add);
    root.putObject("dataset").put("name", r.dataset()).put("images", r.images().size());
    ObjectNode attack = root.putObject("attack");
    attack.put("name", r.attack());
    ObjectNode settings = attack.putObject("settings");
    r.settings().forEach(settings::putPOJO);
    root.put("targets", r.targets().describe());
    if (r.targets().extra() == null) {
      root.putNull("criterion");
    } else {
      root.put("criterion", r.targets().extra().describe());
    }
    root.put("seed", r.seed());
    root.putObject("execution").put("batchSize", r.execution().batchSize())
        .put("concurrency", r.execution().concurrency());
    summary(root.putObject("summary"), r.summary());
    EvaluationResult.Totals t = r.totals();
    root.putObject("totals").put("queries", t.queries()).put("cleanQueries", t.cleanQueries())
        .put("gradients", t.gradients()).put("modelNanos", t.modelNanos()).put("wallNanos", t.wallNanos());
    if (withImages) {
      ArrayNode images = root.putArray("images");
      for (ImageOutcome o : r.images()) {
        image(images.addObject(), o, store);
      }
    }
    return root;
  }

  /** One image as JSON; with {@code store}, its images as files there. */
  private static void image(ObjectNode im, ImageOutcome o, SideCar store) {
    im.put("index", o.index());
    im.put("id", o.id());
    im.put("label", o.label());
    im.put("cleanClass", o.clean().top());
    floats(im.putArray("cleanProbabilities"), o.clean().probabilities());
    if (o.skipped() != null) {
      im.put("skipped", o.skipped());
      return;
    }
    if (!o.attempts().isEmpty()) {
      Image original = o.attempts().get(0).original();
      if (store == null) {
        im.put("image", ImageFiles.pngBase64(original));
      } else {
        im.put("imageFile", store.png(Integer.toString(o.index()), original));
      }
    }
    ArrayNode attempts = im.putArray("attempts");
    for (int t = 0; t < o.attempts().size(); t++) {
      attempt(attempts.addObject(), o.attempts().get(t), store, o.index() + "-" + t);
    }
  }

  /** The summary as written for people and CI tools; readers recompute it from the images. */
  private static void summary(ObjectNode s, Summary m) {
    s.put("evaluated", m.evaluated());
    s.put("labelled", m.labelled());
    s.put("cleanCorrect", m.cleanCorrect());
    number(s, "cleanAccuracy", m.cleanAccuracy());
    s.put("attacked", m.attacked());
    s.put("attempts", m.attempts());
    s.put("successes", m.successes());
    s.put("fooled", m.fooled());
    number(s, "successRate", m.successRate());
    number(s, "robustAccuracy", m.robustAccuracy());
    number(s, "accuracyUnderAttack", m.accuracyUnderAttack());
    number(s, "meanAdversarialConfidence", m.meanAdversarialConfidence());
    number(s, "meanQueriesOnSuccess", m.meanQueriesOnSuccess());
    number(s, "medianQueriesOnSuccess", m.medianQueriesOnSuccess());
    s.put("attackQueries", m.attackQueries());
    s.put("gradients", m.gradients());
    number(s, "meanPixelsOnSuccess", m.meanPixelsOnSuccess());
    number(s, "meanL2OnSuccess", m.meanL2OnSuccess());
    number(s, "meanLinfOnSuccess", m.meanLinfOnSuccess());
    ObjectNode curve = s.putObject("successRateByBudget");
    m.successRateByBudget().forEach((b, v) -> number(curve, Long.toString(b), v));
    matrix(s.putArray("transitions"), m.transitions());
    matrix(s.putArray("targetSuccesses"), m.targetSuccesses());
    matrix(s.putArray("targetTried"), m.targetTried());
  }

  /** One attempt as JSON, as in a results file's images (without the original image, kept per image). */
  public static ObjectNode attemptToJson(AttackResult r) {
    ObjectNode a = JSON.createObjectNode();
    attempt(a, r, null, null);
    return a;
  }

  /**
   * An attempt read back from {@link #attemptToJson}.
   *
   * @param trueClass the class an untargeted goal moves away from: the image's label
   * @throws InputException when it does not fit {@code original}
   */
  public static AttackResult attemptFromJson(JsonNode a, String id, Image original, Prediction clean, int trueClass) {
    return attempt(a, id, original, clean, trueClass, null);
  }

  /** @param store where images go instead of base64, or null; {@code name} is this attempt's file name there */
  private static void attempt(ObjectNode a, AttackResult r, SideCar store, String name) {
    a.put("goal", r.goal().describe());
    a.put("seed", r.seed());
    a.put("success", r.success());
    a.put("adversarialClass", r.adversarialClass());
    floats(a.putArray("adversarialProbabilities"), r.after().probabilities());
    Perturbation p = r.perturbation();
    a.putObject("perturbation").put("pixels", p.pixels()).put("l2", p.l2()).put("linf", p.linf());
    if (r.exactIn8Bits() && p.pixels() <= MAX_LISTED_PIXELS) {
      ArrayNode px = a.putArray("pixels");
      for (PixelChange c : r.changes()) {
        ObjectNode o = px.addObject().put("x", c.x()).put("y", c.y());
        ints(o.putArray("before"), c.before());
        ints(o.putArray("after"), c.after());
      }
    } else if (store != null) {
      a.put("adversarialImageFile", store.png(name, r.adversarial()));
      if (!r.exactIn8Bits()) {
        a.put("adversarialValuesFile", store.floats(name, r.adversarialValues()));
      }
    } else {
      a.put("adversarialImage", ImageFiles.pngBase64(r.adversarial()));
      if (!r.exactIn8Bits()) {
        ByteBuffer b = ByteBuffer.allocate(4 * r.adversarialValues().length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(r.adversarialValues());
        a.put("adversarialValues", Base64.getEncoder().encodeToString(b.array()));
      }
    }
    Cost c = r.cost();
    a.put("queries", c.queries()).put("gradients", c.gradients()).put("firstSuccessQuery", c.firstSuccessQuery())
        .put("nanos", c.nanos());
    number(a, "fitness", r.fitness());
    ScanFindings f = r.findings();
    if (f != null) {
      ObjectNode s = a.putObject("scan");
      s.put("complete", f.complete());
      s.put("vulnerablePositions", f.vulnerablePositions());
      ArrayNode colours = s.putArray("colours");
      f.colours().forEach(col -> ints(colours.addArray(), col));
      ArrayNode flips = s.putArray("flips");
      for (ScanFindings.Flip fl : f.flips()) {
        ObjectNode o = flips.addObject().put("x", fl.x()).put("y", fl.y());
        ints(o.putArray("colour"), fl.colour());
        o.put("adversarialClass", fl.adversarialClass()).put("confidence", fl.confidence());
      }
      ArrayNode map = s.putArray("map");
      for (float v : f.map()) {
        if (Float.isNaN(v)) {
          map.addNull();
        } else {
          map.add(v);
        }
      }
    }
  }

  /** Puts {@code v}, or null when it is not finite (a mean over nothing). */
  public static void number(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  private static void floats(ArrayNode a, float[] v) {
    for (float x : v) {
      a.add(x);
    }
  }

  private static void ints(ArrayNode a, int[] v) {
    for (int x : v) {
      a.add(x);
    }
  }

  private static void matrix(ArrayNode a, int[][] m) {
    for (int[] row : m) {
      ints(a.addArray(), row);
    }
  }

  // ------------------------------------------------------------------------------------------- reading

  /** Reads a file holding one evaluation; a comparison is refused with one clear message. */
  public static EvaluationResult read(Path file) {
    List<EvaluationResult> all = readAll(file);
    if (all.size() != 1) {
      throw new InputException(file + " holds a comparison of " + all.size() + " evaluations, not one evaluation");
    }
    return all.get(0);
  }

  /** Reads a results file: one evaluation, or every evaluation of a comparison. */
  public static List<EvaluationResult> readAll(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("results file not found: " + file);
    }
    JsonNode j;
    try {
      j = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read results " + file + ": " + JsonErrors.describe(e));
    }
    if (j == null || !"pixelguard".equals(j.path("tool").asText())) {
      throw new InputException(file + " is not a pixelguard results file");
    }
    int schema = j.path("schema").asInt();
    if (schema != SCHEMA) {
      throw new InputException(file + " has results schema " + schema + "; this pixelguard reads schema " + SCHEMA
          + (schema < SCHEMA ? " (an older pixelguard wrote it: run the evaluation again to rebuild it)"
              : " (a newer pixelguard wrote it: read it with that version)"));
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      if ("comparison".equals(j.path("kind").asText())) {
        List<EvaluationResult> out = new ArrayList<>();
        for (JsonNode e : j.path("evaluations")) {
          out.add(evaluation(e, base));
        }
        return out;
      }
      return List.of(evaluation(j, base));
    } catch (RuntimeException e) {
      if (e instanceof InputException) {
        throw new InputException(file + ": " + e.getMessage(), e);
      }
      throw new InputException(file + " is not valid pixelguard results: " + InputException.firstLine(e.toString()), e);
    }
  }

  /** @param base the results file's folder, against which side-car image paths are resolved */
  private static EvaluationResult evaluation(JsonNode r, Path base) {
    JsonNode m = need(r, "model");
    List<String> classes = new ArrayList<>();
    need(m, "classes").forEach(c -> classes.add(c.asText()));
    ModelInfo info = new ModelInfo(need(m, "channels").asInt(), need(m, "height").asInt(), need(m, "width").asInt(),
        classes.size(), classes, need(m, "name").asText());
    JsonNode attack = need(r, "attack");
    @SuppressWarnings("unchecked")
    Map<String, Object> settings = JSON.convertValue(need(attack, "settings"), LinkedHashMap.class);
    String criterion = r.path("criterion").isTextual() ? r.path("criterion").asText() : null;
    Criterion extra = criterion == null ? null : Criterion.parse(criterion);
    Targets targets = Targets.parse(need(r, "targets").asText(), extra);
    JsonNode ex = need(r, "execution");
    List<ImageOutcome> images = new ArrayList<>();
    for (JsonNode im : need(r, "images")) {
      Prediction clean = new Prediction(need(im, "cleanClass").asInt(), floats(need(im, "cleanProbabilities")));
      List<AttackResult> attempts = new ArrayList<>();
      String skipped = im.path("skipped").isTextual() ? im.path("skipped").asText() : null;
      if (skipped == null && need(im, "attempts").size() > 0) {
        // Side-car images (--no-images) are loaded when used, so a large file reads without holding them all.
        Image original = im.has("imageFile")
            ? fromFile(base, im.get("imageFile").asText(), info.channels(), info.height(), info.width())
            : ImageFiles.fromPngBase64(need(im, "image").asText());
        int label = need(im, "label").asInt();
        for (JsonNode a : need(im, "attempts")) {
          attempts.add(attempt(a, im.path("id").asText(), original, clean, label >= 0 ? label : clean.top(),
              im.has("imageFile") ? base : null));
        }
      }
      images.add(new ImageOutcome(need(im, "index").asInt(), need(im, "id").asText(), need(im, "label").asInt(),
          clean, skipped, attempts));
    }
    JsonNode t = need(r, "totals");
    return new EvaluationResult(info, m.path("logits").asBoolean(), need(r, "dataset").path("name").asText(),
        need(attack, "name").asText(), settings, targets, need(r, "seed").asLong(),
        new Execution(need(ex, "batchSize").asInt(), need(ex, "concurrency").asInt()), images,
        new EvaluationResult.Totals(t.path("queries").asLong(), t.path("cleanQueries").asLong(),
            t.path("gradients").asLong(), t.path("modelNanos").asLong(), t.path("wallNanos").asLong()));
  }

  /**
   * @param trueClass the class an untargeted goal moves away from: the image's label
   * @param base for side-car images, the results file's folder (images are then loaded when used, and the
   *     perturbation is taken as written); null for images inside the JSON
   */
  private static AttackResult attempt(JsonNode a, String id, Image original, Prediction clean, int trueClass,
      Path base) {
    Goal goal = Goal.parse(need(a, "goal").asText(), trueClass);
    Image adversarial;
    float[] values;
    Perturbation perturbation = null;
    if (base != null) {
      JsonNode p = need(a, "perturbation");
      perturbation = new Perturbation(need(p, "pixels").asInt(), need(p, "l2").asDouble(), need(p, "linf").asDouble());
    }
    if (base != null && a.has("pixels")) {
      adversarial = withPixels(original, changes(a, original, id, true));
      values = null;
    } else if (base != null) {
      adversarial = fromFile(base, need(a, "adversarialImageFile").asText(), original.channels(), original.height(),
          original.width());
      values = null;
      if (a.has("adversarialValuesFile")) {
        Path f = base.resolve(a.get("adversarialValuesFile").asText());
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (IOException e) {
          throw new InputException("cannot read the adversarial values of " + id + ": " + ImageFiles.reason(e));
        }
        values = new float[original.channels() * original.height() * original.width()];
        if (bytes.length != 4 * values.length) {
          throw new InputException("the adversarial values of " + id + " (" + f + ") do not fit its image");
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      }
    } else if (a.has("pixels")) {
      adversarial = original.withPixels(changes(a, original, id, false));
      values = new float[original.channels() * original.height() * original.width()];
      adversarial.writeUnit(values, 0);
    } else {
      adversarial = ImageFiles.fromPngBase64(need(a, "adversarialImage").asText());
      if (!adversarial.sameShape(original)) {
        throw new InputException("the adversarial image of " + id + " is " + adversarial.shape() + ", its original "
            + original.shape());
      }
      values = new float[original.channels() * original.height() * original.width()];
      if (a.has("adversarialValues")) {
        byte[] bytes = Base64.getDecoder().decode(a.get("adversarialValues").asText());
        if (bytes.length != 4 * values.length) {
          throw new InputException("the adversarial values of " + id + " do not fit its image");
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
      } else {
        adversarial.writeUnit(values, 0);
      }
    }
    ScanFindings findings = null;
    JsonNode s = a.path("scan");
    if (s.isObject()) {
      List<int[]> colours = new ArrayList<>();
      need(s, "colours").forEach(c -> colours.add(ints(c)));
      List<ScanFindings.Flip> flips = new ArrayList<>();
      for (JsonNode f : need(s, "flips")) {
        flips.add(new ScanFindings.Flip(need(f, "x").asInt(), need(f, "y").asInt(), ints(need(f, "colour")),
            need(f, "adversarialClass").asInt(), (float) need(f, "confidence").asDouble()));
      }
      JsonNode mapNode = need(s, "map");
      float[] map = new float[mapNode.size()];
      for (int i = 0; i < map.length; i++) {
        map[i] = mapNode.get(i).isNull() ? Float.NaN : mapNode.get(i).floatValue();
      }
      findings = new ScanFindings(original.width(), colours, flips, map, need(s, "complete").asBoolean());
    }
    Prediction after = new Prediction(need(a, "adversarialClass").asInt(), floats(need(a, "adversarialProbabilities")));
    JsonNode fit = a.path("fitness");
    return new AttackResult(id, goal, need(a, "seed").asLong(), original, clean, values, adversarial, after,
        need(a, "success").asBoolean(), perturbation != null ? perturbation : Perturbation.between(original, values),
        new Cost(a.path("queries").asLong(), a.path("gradients").asLong(), a.path("firstSuccessQuery").asLong(-1),
            a.path("nanos").asLong()), fit.isNumber() ? fit.asDouble() : Double.NaN, findings);
  }

  private static JsonNode need(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new InputException("missing field '" + field + "'");
    }
    return v;
  }

  private static float[] floats(JsonNode a) {
    float[] out = new float[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).floatValue();
    }
    return out;
  }

  /**
   * The pixel changes an attempt records, checked to lie inside the image; each change's colour before is the
   * recorded one ({@code recordedBefore}, side-car files) or the original image's.
   */
  private static List<PixelChange> changes(JsonNode a, Image original, String id, boolean recordedBefore) {
    List<PixelChange> changes = new ArrayList<>();
    for (JsonNode p : a.get("pixels")) {
      int x = need(p, "x").asInt();
      int y = need(p, "y").asInt();
      if (x < 0 || y < 0 || x >= original.width() || y >= original.height()) {
        throw new InputException("pixel (" + x + "," + y + ") of image " + id + " is outside its "
            + original.width() + "x" + original.height() + " pixels");
      }
      changes.add(new PixelChange(x, y, recordedBefore ? ints(need(p, "before")) : original.colour(x, y),
          ints(need(p, "after"))));
    }
    return changes;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
