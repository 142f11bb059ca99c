package dev.pixelguard.verify;

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
import java.util.Locale;
import java.util.Map;

/**
 * Writes and reads a verification run as JSON ({@code pixelguard verify --results}); the format is described
 * in docs/verification.md. Margins are written with 6 significant digits and null where nothing was
 * concluded; counts and rates are recomputed from the images when read.
 */
public final class VerificationJson {
  /** The format's name and version, the first field of every file. */
  public static final String FORMAT = "pixelguard-verification/1";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private VerificationJson() {}

  /** Writes the run atomically (a temporary file moved into place). */
  public static void write(VerificationResult r, Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("model", r.model());
    root.put("dataset", r.dataset());
    ArrayNode names = root.putArray("classNames");
    r.classNames().forEach(names::add);
    root.put("width", r.width());
    root.put("height", r.height());
    root.set("settings", JSON.valueToTree(new LinkedHashMap<>(r.settings())));
    ArrayNode net = root.putArray("net");
    r.net().forEach(net::add);
    ObjectNode s = root.putObject("summary");
    s.put("images", r.images().size());
    for (Verdict v : Verdict.values()) {
      s.put(v.key(), r.count(v));
    }
    s.put("cleanAccuracy", r.cleanAccuracy());
    s.put("certifiedRobustAccuracy", r.certifiedAccuracy());
    s.put("empiricalRobustAccuracy", r.empiricalAccuracy());
    s.put("meanSecondsPerImage", r.meanSeconds());
    ArrayNode images = root.putArray("images");
    for (ImageVerdict v : r.images()) {
      ObjectNode im = images.addObject();
      im.put("index", v.index());
      im.put("id", v.id());
      im.put("label", v.label());
      im.put("verdict", v.verdict().key());
      if (v.counterexample() != null) {
        Counterexample c = v.counterexample();
        ObjectNode cx = im.putObject("counterexample");
        cx.put("x", c.x());
        cx.put("y", c.y());
        ArrayNode colour = cx.putArray("colour");
        for (int ch : c.colour()) {
          colour.add(ch);
        }
        cx.put("newClass", c.newClass());
        cx.put("found", c.found());
      }
      im.put("cleared", v.cleared());
      if (v.verdict() == Verdict.ROBUST) { // the certificate's figure: a lower bound, not the model's own margin
        im.put("marginLowerBound", Double.parseDouble(String.format(Locale.ROOT, "%.6g", v.smallestMargin())));
      }
      im.put("boxes", v.boxes());
      im.put("seconds", Math.round(v.seconds() * 1000) / 1000.0);
      im.put("note", v.note());
      ArrayNode m = im.putArray("margins");
      for (double x : v.margins()) {
        if (Double.isNaN(x)) {
          m.addNull();
        } else {
          m.add(Double.parseDouble(String.format(Locale.ROOT, "%.6g", x)));
        }
      }
    }
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, root));
  }

  /**
   * Reads a run written by {@link #write}.
   *
   * @throws InputException if the file is missing, not JSON, or not a verification run
   */
  public static VerificationResult read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new InputException("cannot read verification results " + file + ": " + JsonErrors.describe(e));
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new InputException(file + " is not a pixelguard verification run (format " + FORMAT + ")");
    }
    List<String> names = new ArrayList<>();
    root.path("classNames").forEach(n -> names.add(n.asText()));
    List<String> net = new ArrayList<>();
    root.path("net").forEach(n -> net.add(n.asText()));
    Map<String, Object> settings = JSON.convertValue(root.path("settings"), LinkedHashMap.class);
    List<ImageVerdict> images = new ArrayList<>();
    for (JsonNode im : root.path("images")) {
      Counterexample cx = null;
      JsonNode c = im.get("counterexample");
      if (c != null) {
        int[] colour = new int[c.path("colour").size()];
        for (int k = 0; k < colour.length; k++) {
          colour[k] = c.path("colour").get(k).asInt();
        }
        cx = new Counterexample(c.path("x").asInt(), c.path("y").asInt(), colour, c.path("newClass").asInt(),
            c.path("found").asText());
      }
      double[] margins = new double[im.path("margins").size()];
      for (int k = 0; k < margins.length; k++) {
        JsonNode m = im.path("margins").get(k);
        margins[k] = m.isNull() ? Double.NaN : m.asDouble();
      }
      Verdict verdict;
      try {
        verdict = Verdict.valueOf(im.path("verdict").asText().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InputException(file + ": unknown verdict " + im.path("verdict").asText());
      }
      images.add(new ImageVerdict(im.path("index").asInt(), im.path("id").asText(), im.path("label").asInt(), verdict,
          cx, margins, im.path("cleared").asInt(), im.path("boxes").asLong(), im.path("seconds").asDouble(),
          im.path("note").asText()));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> s = settings;
    return new VerificationResult(root.path("model").asText(), root.path("dataset").asText(), names,
        root.path("width").asInt(), root.path("height").asInt(), s, net, images);
  }
}
