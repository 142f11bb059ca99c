package dev.pixelguard.io;

import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatOutcome;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.JsonErrors;
import dev.pixelguard.data.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An audit as JSON ({@code "kind": "audit"}): every row's settings and both systems' counts, with where each image
 * ended ({@code perImage}), so a card can be re-rendered or checked by a CI job without running anything, and two
 * runs compared image for image. Written atomically.
 */
public final class AuditJson {
  /** The version of this file's layout. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private AuditJson() {}

  /** Writes {@code r} to {@code file}, atomically. */
  public static void write(AuditResult r, Path file) {
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, toJson(r)));
  }

  /** The audit as a JSON tree. */
  public static ObjectNode toJson(AuditResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("tool", "pixelguard");
    root.put("kind", "audit");
    root.put("model", r.model());
    if (r.defended() != null) {
      root.put("defended", r.defended());
    }
    root.put("dataset", r.dataset());
    root.put("images", r.images());
    root.put("seconds", r.seconds());
    ArrayNode rows = root.putArray("rows");
    for (AuditResult.Row row : r.rows()) {
      ObjectNode o = rows.addObject();
      o.put("threat", row.threat());
      o.put("describe", row.describe());
      ObjectNode s = o.putObject("settings");
      row.settings().forEach((k, v) -> s.set(k, v == null ? s.nullNode()
          : v instanceof Number || v instanceof Boolean || v instanceof String ? JSON.valueToTree(v)
          : s.textNode(String.valueOf(v))));
      o.set("plain", outcome(row.plain()));
      if (row.defended() != null) {
        o.set("defended", outcome(row.defended()));
      }
    }
    return root;
  }

  private static ObjectNode outcome(ThreatOutcome t) {
    ObjectNode o = JSON.createObjectNode();
    if (!t.applicable()) {
      o.put("notApplicable", t.notApplicable());
      return o;
    }
    o.put("images", t.images());
    o.put("cleanCorrect", t.cleanCorrect());
    o.put("cleanAbstained", t.cleanAbstained());
    o.put("attacked", t.attacked());
    o.put("fooled", t.fooled());
    o.put("correct", t.correct());
    o.put("abstained", t.abstained());
    o.put("wrong", t.wrong());
    o.put("queries", t.queries());
    o.put("seconds", t.seconds());
    if (!t.perImage().isEmpty()) {
      ArrayNode each = o.putArray("perImage");
      for (ThreatOutcome.ImageEnd e : t.perImage()) {
        ObjectNode i = each.addObject();
        i.put("id", e.id());
        i.put("label", e.label());
        i.put("clean", e.clean());
        i.put("end", e.end());
        i.put("won", e.won());
        i.put("queries", e.queries());
      }
    }
    return o;
  }

  /** Reads an audit file; anything else is refused in one line. */
  public static AuditResult read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("audit file not found: " + file);
    }
    JsonNode j;
    try {
      j = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read audit " + file + ": " + JsonErrors.describe(e));
    }
    if (j == null || !"pixelguard".equals(j.path("tool").asText()) || !"audit".equals(j.path("kind").asText())) {
      throw new InputException(file + " is not a pixelguard audit file");
    }
    if (j.path("schema").asInt() != SCHEMA) {
      throw new InputException(file + " has audit schema " + j.path("schema").asInt() + "; this pixelguard reads "
          + "schema " + SCHEMA);
    }
    List<AuditResult.Row> rows = new ArrayList<>();
    for (JsonNode o : j.path("rows")) {
      Map<String, Object> settings = JSON.convertValue(o.path("settings"),
          new TypeReference<LinkedHashMap<String, Object>>() {});
      rows.add(new AuditResult.Row(o.path("threat").asText(), o.path("describe").asText(), settings,
          outcome(o.path("plain")), o.has("defended") ? outcome(o.path("defended")) : null));
    }
    return new AuditResult(j.path("model").asText(), j.has("defended") ? j.path("defended").asText() : null,
        j.path("dataset").asText(), j.path("images").asInt(), rows, j.path("seconds").asDouble());
  }

  private static ThreatOutcome outcome(JsonNode o) {
    if (o.has("notApplicable")) {
      return ThreatOutcome.notApplicable(o.path("notApplicable").asText());
    }
    List<ThreatOutcome.ImageEnd> each = new ArrayList<>();
    for (JsonNode i : o.path("perImage")) {
      each.add(new ThreatOutcome.ImageEnd(i.path("id").asText(), i.path("label").asInt(), i.path("clean").asInt(),
          i.path("end").asInt(), i.path("won").asBoolean(), i.path("queries").asLong()));
    }
    return new ThreatOutcome(null, o.path("images").asInt(), o.path("cleanCorrect").asInt(),
        o.path("cleanAbstained").asInt(), o.path("attacked").asInt(), o.path("fooled").asInt(),
        o.path("correct").asInt(), o.path("abstained").asInt(), o.path("wrong").asInt(), o.path("queries").asLong(),
        o.path("seconds").asDouble(), each);
  }
}
