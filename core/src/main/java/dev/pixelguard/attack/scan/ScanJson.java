package dev.pixelguard.attack.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.model.ModelInfo;
import java.nio.file.Path;
import java.util.List;

/** Writes scan results as JSON (schema: docs/results-schema.md, section "scan"), atomically. */
public final class ScanJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScanJson() {}

  /**
   * @param scanned the scanned images, in the order of {@code results}
   */
  public static ObjectNode toJson(ModelInfo model, String dataset, PixelScan scan, List<Integer> indices,
      List<ScanResult> results, List<dev.pixelguard.image.Image> scanned) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", 1);
    root.put("tool", "pixelguard");
    root.put("kind", "scan");
    ObjectNode m = root.putObject("model");
    m.put("name", model.name());
    ArrayNode classes = m.putArray("classes");
    model.classNames().forEach(classes::add);
    root.putObject("dataset").put("name", dataset).put("images", results.size());
    root.putObject("scan").put("levels", scan.levels()).put("earlyExit", scan.earlyExit());
    ObjectNode summary = root.putObject("summary");
    summary.put("scanned", results.size());
    summary.put("vulnerable", results.stream().filter(ScanResult::vulnerable).count());
    summary.put("queries", results.stream().mapToLong(ScanResult::queries).sum());
    ArrayNode images = root.putArray("images");
    for (int i = 0; i < results.size(); i++) {
      ScanResult r = results.get(i);
      ObjectNode im = images.addObject();
      im.put("index", indices.get(i));
      im.put("id", r.imageId());
      im.put("goal", r.goal() instanceof Goal.Targeted t ? "target " + t.target() : "untargeted");
      im.put("vulnerable", r.vulnerable());
      im.put("vulnerablePositions", r.vulnerablePositions());
      im.put("queries", r.queries());
      im.put("firstSuccessQuery", r.firstSuccessQuery());
      im.put("complete", r.complete());
      im.put("width", r.width());
      im.put("height", r.height());
      im.put("image", ImageFiles.pngBase64(scanned.get(i)));
      ArrayNode flips = im.putArray("flips");
      for (ScanResult.Flip f : r.flips()) {
        ObjectNode o = flips.addObject();
        o.put("x", f.x());
        o.put("y", f.y());
        ArrayNode c = o.putArray("colour");
        for (int v : f.colour()) {
          c.add(v);
        }
        o.put("adversarialClass", f.adversarialClass());
        o.put("confidence", f.confidence());
      }
      ArrayNode map = im.putArray("map");
      for (float v : r.map()) {
        if (Float.isNaN(v)) {
          map.addNull();
        } else {
          map.add(Math.round(v * 1e5) / 1e5);
        }
      }
    }
    return root;
  }

  public static void write(ObjectNode tree, Path file) {
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, tree));
  }
}
