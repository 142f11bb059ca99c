package dev.pixelguard.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.JsonErrors;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The gate file, {@code gate.json}: a {@link GateSpec} as a small JSON file, model paths relative to the file's
 * folder so that a gate moves with its models. {@code pixelguard gate fit} writes it; {@code predict --gate},
 * {@code evaluate --gate}, {@code serve --gate} and the rest read it. See docs/defences.md for the format.
 */
public final class GateFile {
  /** The format version this release writes and reads. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final List<String> KEYS = List.of("schema", "models", "views", "frameViews", "fusion", "alarm",
      "minConfidence", "maxSqueeze", "fallback", "seed", "fitted", "classes");

  private GateFile() {}

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
      throw new InputException("cannot read gate file " + file + ": " + JsonErrors.describe(e));
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
    List<GateSpec.Member> models = new ArrayList<>();
    for (JsonNode m : array(n, "models", file)) {
      String loc = m.isTextual() ? m.asText() : m.path("location").asText(null);
      if (loc == null || loc.isBlank()) {
        throw new InputException("gate file " + file + ": every model needs a location");
      }
      JsonNode t = m.path("temperature");
      if (!t.isMissingNode() && !t.isNull() && !t.isNumber()) {
        throw new InputException("gate file " + file + ": temperature must be a number, was " + t);
      }
      models.add(new GateSpec.Member(resolve(dir, loc), t.isNumber() ? t.asDouble() : Double.NaN));
    }
    List<String> views = new ArrayList<>();
    if (n.has("views")) {
      for (JsonNode v : array(n, "views", file)) {
        views.add(v.asText());
      }
    }
    List<GateSpec.FrameView> frameViews = new ArrayList<>();
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
        frameViews.add(new GateSpec.FrameView(m.asInt(), t.isTextual() ? t.asText() : null));
      }
    }
    Gate.Fusion fusion = Gate.Fusion.parse(n.path("fusion").asText("all-agree"));
    double minConf = number(n, "minConfidence", 0, file);
    double maxSqueeze = n.hasNonNull("maxSqueeze") ? number(n, "maxSqueeze", 0, file) : Double.POSITIVE_INFINITY;
    String fallback = n.path("fallback").asText("abstain");
    Fallback fb = GateSpec.parseFallback(fallback);
    Map<String, Object> fitted = n.has("fitted") ? JSON.convertValue(n.get("fitted"), Map.class) : Map.of();
    @SuppressWarnings("unchecked")
    Map<String, Object> f = (Map<String, Object>) fitted;
    List<String> classes = new ArrayList<>();
    if (n.has("classes")) {
      for (JsonNode c : array(n, "classes", file)) {
        if (!c.isTextual()) {
          throw new InputException("gate file " + file + ": classes must be a list of names, was " + n.get("classes"));
        }
        classes.add(c.asText());
      }
    }
    return new GateSpec(models, views, frameViews,
        new Gate.Settings(fusion, n.path("alarm").asBoolean(false), minConf, maxSqueeze, fb), fallback,
        n.path("seed").asLong(1), f, classes);
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
  public static void write(GateSpec spec, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    ArrayNode ms = root.putArray("models");
    for (GateSpec.Member m : spec.models()) {
      ObjectNode o = ms.addObject();
      o.put("location", relativize(dir, m.location()));
      if (!Double.isNaN(m.temperature())) {
        o.put("temperature", m.temperature());
      }
    }
    ArrayNode vs = root.putArray("views");
    spec.views().forEach(vs::add);
    if (!spec.frameViews().isEmpty()) {
      ArrayNode fs = root.putArray("frameViews");
      for (GateSpec.FrameView f : spec.frameViews()) {
        ObjectNode o = fs.addObject();
        o.put("model", f.model());
        if (f.transform() != null) {
          o.put("transform", f.transform());
        }
      }
    }
    root.put("fusion", spec.settings().fusion().label());
    root.put("alarm", spec.settings().alarm());
    root.put("minConfidence", spec.settings().minConfidence());
    if (Double.isInfinite(spec.settings().maxSqueeze())) {
      root.putNull("maxSqueeze");
    } else {
      root.put("maxSqueeze", spec.settings().maxSqueeze());
    }
    root.put("fallback", spec.fallbackText());
    root.put("seed", spec.seed());
    root.set("fitted", JSON.valueToTree(spec.fitted()));
    if (!spec.classes().isEmpty()) {
      spec.classes().forEach(root.putArray("classes")::add);
    }
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, root));
  }
}
