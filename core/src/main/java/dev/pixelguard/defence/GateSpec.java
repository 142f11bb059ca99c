package dev.pixelguard.defence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.calibration.TemperatureScaled;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.defence.transform.Transforms;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Models;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A gate as written in a small JSON file ({@code gate.json}): the models (each with the temperature that
 * calibrates it), the transformed views, the fusion rule, the thresholds and the fallback, and where they
 * were fitted. {@code pixelguard gate fit} writes it; {@code predict --gate}, {@code evaluate --gate} and
 * {@link #open()} read it. Model paths are stored relative to the file's folder, so a gate moves with its
 * models. See docs/defences.md for the format.
 *
 * @param models the models, the reference first; each is looked at plain and through every view transform
 * @param views transform specs such as {@code median:2} (see {@link Transforms#parse})
 * @param frameViews views of the scene's other frame (a second camera's), which the attacker of the image does
 *     not control; empty for a gate that decides on the image alone
 * @param settings fusion and thresholds; its fallback is resolved from {@code fallbackText} against the first
 *     model's classes when the gate is opened ({@link #fallback(ModelInfo)})
 * @param fallbackText the fallback as written ({@code abstain} or {@code class:NAME})
 * @param seed the root seed of random transforms
 * @param fitted where and how the thresholds were fitted, for people; may be empty
 */
public record GateSpec(List<Member> models, List<String> views, List<FrameView> frameViews, Gate.Settings settings,
    String fallbackText, long seed, Map<String, Object> fitted) {

  /** The format version this release writes and reads. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> KEYS = List.of("schema", "models", "views", "frameViews", "fusion", "alarm",
      "minConfidence", "maxSqueeze", "fallback", "seed", "fitted");

  /**
   * One model of the gate.
   *
   * @param location a model file (absolute, or relative to the gate file's folder once written) or
   *     {@code builtin:NAME}
   * @param temperature the temperature that calibrates it, or NaN for none
   */
  public record Member(String location, double temperature) {
    public Member {
      if (!Double.isNaN(temperature) && !(temperature > 0 && Double.isFinite(temperature))) {
        throw new InputException("a temperature must be positive and finite, was " + temperature);
      }
    }
  }

  /**
   * A view of the scene's other frame: model {@code model} (its index in {@link #models()}, 0 for the reference),
   * calibrated like its views of the image, on the other frame, through {@code transform} when one is given.
   *
   * @param model the model's index
   * @param transform a transform spec such as {@code impulse:0.3}, or null for the plain frame
   */
  public record FrameView(int model, String transform) {
    public FrameView {
      if (model < 0) {
        throw new InputException("a frame view names a model by its index from 0, was " + model);
      }
      if (transform != null && transform.isBlank()) {
        transform = null;
      }
      if (transform != null) {
        Transforms.parse(transform);
      }
    }

    /**
     * Reads {@code M} or {@code M:TRANSFORM}, e.g. {@code 0} or {@code 1:impulse:0.3}: the model's index, then
     * optionally a transform spec.
     */
    public static FrameView parse(String text) {
      String t = text.trim();
      int colon = t.indexOf(':');
      String index = colon < 0 ? t : t.substring(0, colon);
      try {
        return new FrameView(Integer.parseInt(index.trim()), colon < 0 ? null : t.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new InputException("a frame view is a model's index from 0, optionally with a transform, e.g. 0 or "
            + "1:impulse:0.3; was '" + text + "'");
      }
    }

    /** As {@link #parse} reads it. */
    public String describe() {
      return transform == null ? String.valueOf(model) : model + ":" + transform;
    }
  }

  public GateSpec {
    if (models.isEmpty()) {
      throw new InputException("a gate needs at least one model");
    }
    models = List.copyOf(models);
    views = List.copyOf(views);
    for (String v : views) {
      Transforms.parse(v); // refuses an unknown transform before any model is opened
    }
    frameViews = List.copyOf(frameViews);
    for (FrameView f : frameViews) {
      if (f.model() >= models.size()) {
        throw new InputException("a frame view names model " + f.model() + " but the gate has " + models.size()
            + " model(s), numbered from 0");
      }
    }
    fitted = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fitted));
  }

  /** A gate that decides on the image alone (no views of another frame). */
  public GateSpec(List<Member> models, List<String> views, Gate.Settings settings, String fallbackText, long seed,
      Map<String, Object> fitted) {
    this(models, views, List.of(), settings, fallbackText, seed, fitted);
  }

  /**
   * Opens the models and builds the gate: for every model (calibrated by its temperature) a plain view and one
   * view per transform, then the views of the other frame. The gate owns the models.
   *
   * @param dataClassNames class names to give models that have none, or null
   */
  public Gate open(List<String> dataClassNames) {
    return open(dataClassNames, null);
  }

  /**
   * As {@link #open(List)}, for images of shape {@code dataShape} [C, H, W] (used by models that do not
   * record their input shape, such as TorchScript; may be null).
   */
  public Gate open(List<String> dataClassNames, int[] dataShape) {
    List<Classifier> opened = new ArrayList<>();
    try {
      List<Gate.View> vs = new ArrayList<>();
      List<Classifier> calibrated = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (Member m : models) {
        Path file = Models.localPath(m.location());
        ModelRequest.Builder request = ModelRequest.builder(m.location())
            .spec(file == null ? ModelSpec.DEFAULT : Models.descriptorFor(file));
        if (dataShape != null) {
          request.dataShape(dataShape);
        }
        Classifier c = Models.open(request.build());
        opened.add(c);
        if (!c.info().hasNames() && dataClassNames != null && dataClassNames.size() == c.info().numClasses()) {
          c = dev.pixelguard.model.Classifiers.withClassNames(c, dataClassNames);
        }
        if (!Double.isNaN(m.temperature())) {
          c = TemperatureScaled.of(c, m.temperature());
        }
        String name = c.info().name() + (Double.isNaN(m.temperature()) ? ""
            : String.format(Locale.ROOT, " (T=%.3f)", m.temperature()));
        vs.add(new Gate.View(name, c));
        for (String v : views) {
          Transform t = Transforms.parse(v);
          vs.add(new Gate.View(name + " + " + t.describe(), TransformedClassifier.of(c, t, seed)));
        }
        calibrated.add(c);
        names.add(name);
      }
      for (FrameView f : frameViews) {
        Classifier c = calibrated.get(f.model());
        String name = names.get(f.model()) + " on the other frame";
        if (f.transform() == null) {
          vs.add(new Gate.View(name, c, true));
        } else {
          Transform t = Transforms.parse(f.transform());
          vs.add(new Gate.View(name + " + " + t.describe(), TransformedClassifier.of(c, t, seed), true));
        }
      }
      ModelInfo info = vs.get(0).classifier().info();
      Gate.Settings s = new Gate.Settings(settings.fusion(), settings.alarm(), settings.minConfidence(),
          settings.maxSqueeze(), fallback(info));
      return new Gate(vs, s, opened);
    } catch (RuntimeException e) {
      opened.forEach(Classifier::close);
      throw e;
    }
  }

  /**
   * Reads a gate file; model paths are resolved against its folder.
   *
   * @throws InputException for a file that cannot be read, an unknown key, a wrong type or a bad value
   */
  public static GateSpec read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read gate file " + file + ": " + InputException.firstLine(e.getMessage()));
    }
    if (n == null || !n.isObject()) {
      throw new InputException("gate file " + file + " must be a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!KEYS.contains(k)) {
        throw new InputException("gate file " + file + ": unknown key '" + k + "'; the keys are "
            + String.join(", ", KEYS));
      }
    }
    if (n.path("schema").asInt(-1) != SCHEMA) {
      throw new InputException("gate file " + file + " has schema " + n.path("schema") + "; this release reads "
          + "schema " + SCHEMA);
    }
    Path dir = file.toAbsolutePath().getParent();
    List<Member> models = new ArrayList<>();
    for (JsonNode m : array(n, "models", file)) {
      String loc = m.isTextual() ? m.asText() : m.path("location").asText(null);
      if (loc == null || loc.isBlank()) {
        throw new InputException("gate file " + file + ": every model needs a location");
      }
      JsonNode t = m.path("temperature");
      if (!t.isMissingNode() && !t.isNull() && !t.isNumber()) {
        throw new InputException("gate file " + file + ": temperature must be a number, was " + t);
      }
      models.add(new Member(resolve(dir, loc), t.isNumber() ? t.asDouble() : Double.NaN));
    }
    List<String> views = new ArrayList<>();
    if (n.has("views")) {
      for (JsonNode v : array(n, "views", file)) {
        views.add(v.asText());
      }
    }
    List<FrameView> frameViews = new ArrayList<>();
    if (n.has("frameViews")) {
      for (JsonNode f : array(n, "frameViews", file)) {
        JsonNode m = f.path("model");
        JsonNode t = f.path("transform");
        if (!f.isObject() || !m.isInt() || !(t.isMissingNode() || t.isNull() || t.isTextual())) {
          throw new InputException("gate file " + file + ": every frame view is an object with a model index and an "
              + "optional transform, e.g. {\"model\": 0, \"transform\": \"impulse:0.3\"}; was " + f);
        }
        for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!k.equals("model") && !k.equals("transform")) {
            throw new InputException("gate file " + file + ": unknown key '" + k + "' in a frame view; the keys are "
                + "model, transform");
          }
        }
        frameViews.add(new FrameView(m.asInt(), t.isTextual() ? t.asText() : null));
      }
    }
    Gate.Fusion fusion = Gate.Fusion.parse(n.path("fusion").asText("all-agree"));
    double minConf = number(n, "minConfidence", 0, file);
    double maxSqueeze = n.hasNonNull("maxSqueeze") ? number(n, "maxSqueeze", 0, file) : Double.POSITIVE_INFINITY;
    String fallback = n.path("fallback").asText("abstain");
    Fallback fb = fallbackOf(fallback, null);
    Map<String, Object> fitted = n.has("fitted") ? JSON.convertValue(n.get("fitted"), Map.class) : Map.of();
    @SuppressWarnings("unchecked")
    Map<String, Object> f = (Map<String, Object>) fitted;
    return new GateSpec(models, views, frameViews,
        new Gate.Settings(fusion, n.path("alarm").asBoolean(false), minConf, maxSqueeze, fb), fallback,
        n.path("seed").asLong(1), f);
  }

  /** The fallback, with a class named by name resolved against {@code info} once the models are open. */
  public Fallback fallback(ModelInfo info) {
    return fallbackOf(fallbackText, info);
  }

  private static Fallback fallbackOf(String text, ModelInfo info) {
    if (info == null) {
      String t = text.trim();
      if (t.equalsIgnoreCase("abstain")) {
        return Fallback.ABSTAIN;
      }
      if (t.regionMatches(true, 0, "class:", 0, 6)) {
        return new Fallback(-1); // resolved by name once the models are open
      }
      throw new InputException("unknown fallback '" + text + "'; give abstain or class:NAME");
    }
    return Fallback.parse(text, info);
  }

  private static Iterable<JsonNode> array(JsonNode n, String key, Path file) {
    JsonNode a = n.get(key);
    if (a == null || !a.isArray()) {
      throw new InputException("gate file " + file + ": " + key + " must be a list");
    }
    return a;
  }

  private static double number(JsonNode n, String key, double dflt, Path file) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      throw new InputException("gate file " + file + ": " + key + " must be a number, was " + v);
    }
    return v.asDouble();
  }

  private static String resolve(Path dir, String location) {
    if (location.contains(":") && !location.matches("^[A-Za-z]:[\\\\/].*")) {
      return location; // builtin:NAME or a URL
    }
    Path p = Path.of(location);
    return p.isAbsolute() || dir == null ? location : dir.resolve(p).normalize().toString();
  }

  private static String relativize(Path dir, String location) {
    if (location.contains(":") && !location.matches("^[A-Za-z]:[\\\\/].*")) {
      return location;
    }
    try {
      return dir.relativize(Path.of(location).toAbsolutePath().normalize()).toString();
    } catch (IllegalArgumentException e) {
      return Path.of(location).toAbsolutePath().normalize().toString();
    }
  }

  /** Writes the gate file (atomically), model paths relative to its folder. */
  public void write(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    ArrayNode ms = root.putArray("models");
    for (Member m : models) {
      ObjectNode o = ms.addObject();
      o.put("location", relativize(dir, m.location()));
      if (!Double.isNaN(m.temperature())) {
        o.put("temperature", m.temperature());
      }
    }
    ArrayNode vs = root.putArray("views");
    views.forEach(vs::add);
    if (!frameViews.isEmpty()) {
      ArrayNode fs = root.putArray("frameViews");
      for (FrameView f : frameViews) {
        ObjectNode o = fs.addObject();
        o.put("model", f.model());
        if (f.transform() != null) {
          o.put("transform", f.transform());
        }
      }
    }
    root.put("fusion", settings.fusion().label());
    root.put("alarm", settings.alarm());
    root.put("minConfidence", settings.minConfidence());
    if (Double.isInfinite(settings.maxSqueeze())) {
      root.putNull("maxSqueeze");
    } else {
      root.put("maxSqueeze", settings.maxSqueeze());
    }
    root.put("fallback", fallbackText);
    root.put("seed", seed);
    root.set("fitted", JSON.valueToTree(fitted));
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, root));
  }
}
