package dev.pixelguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.pixelguard.InputException;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a self-contained HTML report from results JSON (of {@code evaluate} or {@code scan}): one
 * {@code index.html} with every image as a data URI, charts as inline SVG, its own CSS and a small script,
 * so it opens from disk with no network; plus the {@code results.json} it was built from. The page shows a
 * summary, a paged gallery (original and adversarial side by side, enlarged with nearest-neighbour scaling,
 * changed pixels marked), the original-to-adversarial class heatmap, success against query budget, and,
 * for scans, per-image vulnerability maps.
 *
 * <p>Templating is jmustache; charts are JFreeChart drawn into SVG by JFreeSVG.
 */
public final class HtmlReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private HtmlReport() {}

  /** Reads results JSON, with one clear error for anything that is not pixelguard results. */
  public static JsonNode readResults(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InputException("results file not found: " + file);
    }
    JsonNode j;
    try {
      j = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new InputException("cannot read results " + file + ": " + e.getMessage().split("\n")[0]);
    }
    if (j == null || !"pixelguard".equals(j.path("tool").asText()) || j.path("schema").asInt() != 1) {
      throw new InputException(file + " is not a pixelguard results file (schema 1)");
    }
    return j;
  }

  /**
   * Writes {@code dir/index.html} and {@code dir/results.json}, creating {@code dir} if needed. Each file is
   * written to a temporary file and moved into place.
   *
   * @return the HTML file
   */
  public static Path write(JsonNode results, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create report folder " + dir + ": " + e.getMessage());
    }
    String html = render(results);
    Path index = dir.resolve("index.html");
    ImageFiles.writeAtomically(dir.resolve("results.json"),
        out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, results));
    ImageFiles.writeAtomically(index, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return index;
  }

  /** The report page for the results. */
  public static String render(JsonNode results) {
    // The same page whether the tree was just built in memory or read back from results.json.
    JsonNode r;
    try {
      r = JSON.readTree(JSON.writeValueAsBytes(results));
    } catch (IOException e) {
      throw new IllegalStateException("results do not serialise", e);
    }
    String kind = r.path("kind").asText("evaluation");
    Map<String, Object> ctx = new LinkedHashMap<>();
    List<String> classes = new ArrayList<>();
    r.path("model").path("classes").forEach(c -> classes.add(c.asText()));
    ctx.put("title", switch (kind) {
      case "scan" -> "One-pixel scan";
      case "targeted" -> "Targeted one-pixel attack";
      case "gradient" -> "Robustness report: gradient attack";
      default -> "Robustness report";
    });
    ctx.put("model", r.path("model").path("name").asText());
    ctx.put("dataset", r.path("dataset").path("name").asText());
    if (r.path("model").has("logits")) {
      ctx.put("scores", r.path("model").path("logits").asBoolean() ? "logits" : "probabilities only");
    }
    List<Map<String, String>> settings = new ArrayList<>();
    r.path(kind.equals("scan") ? "scan" : "attack").fields()
        .forEachRemaining(e -> settings.add(Map.of("key", e.getKey(), "value", e.getValue().isNull() ? "none"
            : e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString())));
    ctx.put("settings", settings);
    List<Map<String, String>> cards = new ArrayList<>();
    List<Map<String, Object>> gallery = new ArrayList<>();
    JsonNode s = r.path("summary");
    switch (kind) {
      case "scan" -> {
        card(cards, "images scanned", Long.toString(s.path("scanned").asLong()), "correctly classified");
        card(cards, "one-pixel vulnerable", pct(s.path("vulnerable").asDouble() / Math.max(1, s.path("scanned").asDouble())),
            s.path("vulnerable").asLong() + " images");
        card(cards, "queries", String.format(Locale.ROOT, "%,d", s.path("queries").asLong()), "every position x colour");
        for (JsonNode im : r.path("images")) {
          if (im.path("vulnerable").asBoolean()) {
            gallery.add(scanItem(im, classes));
          }
        }
        ctx.put("galleryNote", "Every image one pixel can flip, with its vulnerability map: the darker red a position, "
            + "the lower the true class's probability falls when that pixel is set to the worst colour tried.");
      }
      case "targeted" -> {
        card(cards, "pairs reached", pct(s.path("successRate").asDouble()),
            s.path("successes").asLong() + " of " + s.path("pairs").asLong() + " (image, target) pairs");
        card(cards, "images with any target", Long.toString(s.path("imagesWithAnyTarget").asLong()), "");
        card(cards, "queries", String.format(Locale.ROOT, "%,d", s.path("totalQueries").asLong()), "");
        ctx.put("heatmap", heatmap(classes, r.path("successes"), r.path("tried"), "successes / tried: original class (rows) to target (columns)"));
        ctx.put("galleryNote", "Targeted results carry no images; see the pairs in results.json.");
      }
      case "gradient" -> {
        card(cards, "clean accuracy", pct(s.path("cleanAccuracy").asDouble()),
            s.path("cleanCorrect").asLong() + " of " + s.path("evaluated").asLong() + " images");
        card(cards, "attack success", pct(s.path("successRate").asDouble()),
            s.path("successes").asLong() + " of " + s.path("attacked").asLong() + " attacked images fooled");
        card(cards, "accuracy under attack", pct(s.path("accuracyUnderAttack").asDouble()),
            "of all images: correct and not fooled");
        card(cards, "wrong-class confidence", num(s.path("meanAdversarialConfidence")), "mean, over fooled images");
        card(cards, "perturbation", num(s.path("meanLinfOnSuccess")),
            "mean L-inf over fooled images; L2 " + num(s.path("meanL2OnSuccess")));
        card(cards, "gradient batches", String.format(Locale.ROOT, "%,d", s.path("gradients").asLong()),
            String.format(Locale.ROOT, "%.1f s", s.path("seconds").asDouble()));
        ctx.put("heatmap", heatmap(classes, r.path("transitions"), null, "fooled images: original class (rows) to adversarial class (columns)"));
        for (JsonNode im : r.path("images")) {
          if (im.path("attacked").asBoolean() && im.has("adversarialImage")) {
            gallery.add(gradientItem(im, classes));
          }
        }
        ctx.put("galleryNote", "Original, adversarial (rounded to 8 bits) and the perturbation amplified to full "
            + "contrast (grey = unchanged), enlarged without smoothing. Fooled images first.");
      }
      default -> {
        card(cards, "clean accuracy", pct(s.path("cleanAccuracy").asDouble()),
            s.path("cleanCorrect").asLong() + " of " + s.path("evaluated").asLong() + " images");
        card(cards, "attack success", pct(s.path("successRate").asDouble()),
            s.path("successes").asLong() + " of " + s.path("attacked").asLong() + " attacked images flipped");
        card(cards, "robust accuracy", pct(s.path("robustAccuracy").asDouble()), "attacked images that resisted");
        card(cards, "wrong-class confidence", num(s.path("meanAdversarialConfidence")), "mean, over flipped images");
        card(cards, "queries on success", num0(s.path("meanQueriesOnSuccess")),
            "mean; median " + num0(s.path("medianQueriesOnSuccess")));
        card(cards, "all queries", String.format(Locale.ROOT, "%,d", s.path("totalQueries").asLong()),
            String.format(Locale.ROOT, "%.1f s", s.path("seconds").asDouble()));
        Map<Long, Double> curve = new LinkedHashMap<>();
        s.path("successRateByBudget").fields().forEachRemaining(e -> curve.put(Long.parseLong(e.getKey()),
            e.getValue().isNull() ? Double.NaN : e.getValue().asDouble()));
        if (!curve.isEmpty() && s.path("attacked").asLong() > 0) {
          ctx.put("chart", Charts.successByBudget(curve, 720, 300));
        }
        ctx.put("heatmap", heatmap(classes, r.path("transitions"), null, "flipped images: original class (rows) to adversarial class (columns)"));
        for (JsonNode im : r.path("images")) {
          if (im.path("attacked").asBoolean() && im.has("image")) {
            gallery.add(attackItem(im, classes));
          }
        }
        ctx.put("galleryNote", "Original and adversarial side by side, enlarged without smoothing; the changed pixels "
            + "are circled. Flipped images first.");
      }
    }
    gallery.sort((a, b) -> Boolean.compare((Boolean) b.get("ok"), (Boolean) a.get("ok")));
    ctx.put("cards", cards);
    ctx.put("galleryCount", gallery.size());
    ctx.put("galleryJson", safeJson(gallery));
    ctx.put("hasGallery", !gallery.isEmpty());
    return template().execute(ctx);
  }

  private static Template template() {
    try (InputStream in = HtmlReport.class.getResourceAsStream("report.html.mustache")) {
      return Mustache.compiler().escapeHTML(true).defaultValue("").compile(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("report template missing", e);
    }
  }

  private static void card(List<Map<String, String>> cards, String label, String value, String note) {
    cards.add(Map.of("label", label, "value", value, "note", note));
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }

  private static String num(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "-";
  }

  private static String num0(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%,.0f", n.asDouble()) : "-";
  }

  private static String name(List<String> classes, int k) {
    return k >= 0 && k < classes.size() ? classes.get(k) : Integer.toString(k);
  }

  /** One cell per class pair, shaded by count; an optional second matrix gives denominators. */
  private static Map<String, Object> heatmap(List<String> classes, JsonNode counts, JsonNode tried, String caption) {
    int k = counts.size();
    int max = 1;
    for (JsonNode row : counts) {
      for (JsonNode v : row) {
        max = Math.max(max, v.asInt());
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, String>> head = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      head.add(Map.of("name", name(classes, t)));
    }
    for (int f = 0; f < k; f++) {
      List<Map<String, String>> cells = new ArrayList<>();
      for (int t = 0; t < k; t++) {
        int v = counts.get(f).get(t).asInt();
        double a = v == 0 ? 0 : 0.15 + 0.85 * v / max;
        String text = tried == null ? (v == 0 ? "" : Integer.toString(v))
            : (tried.get(f).get(t).asInt() == 0 ? "-" : v + "/" + tried.get(f).get(t).asInt());
        cells.add(Map.of("text", text, "style", v == 0 ? "background: #f3f4f6; color: #999"
            : String.format(Locale.ROOT, "background: rgba(192, 57, 43, %.3f); color: %s", a, a > 0.55 ? "#fff" : "#222"),
            "title", name(classes, f) + " -> " + name(classes, t) + ": " + (text.isEmpty() ? "0" : text)));
      }
      rows.add(Map.of("name", name(classes, f), "cells", cells));
    }
    return Map.of("head", head, "rows", rows, "caption", caption);
  }

  private static Map<String, Object> attackItem(JsonNode im, List<String> classes) {
    Image original = ImageFiles.fromPngBase64(im.get("image").asText());
    List<PixelChange> changes = new ArrayList<>();
    List<int[]> marks = new ArrayList<>();
    for (JsonNode p : im.path("pixels")) {
      int[] before = ints(p.get("before"));
      int[] after = ints(p.get("after"));
      changes.add(new PixelChange(p.get("x").asInt(), p.get("y").asInt(), before, after));
      marks.add(new int[] {p.get("x").asInt(), p.get("y").asInt()});
    }
    Map<String, Object> m = galleryItem(im, classes, original);
    m.put("queries", im.path("queries").asLong());
    m.put("adv", ImageFiles.pngBase64(original.withPixels(changes)));
    m.put("marks", marks);
    return m;
  }

  /** What every attacked image's gallery entry shows: id, outcome, classes before and after, the original. */
  private static Map<String, Object> galleryItem(JsonNode im, List<String> classes, Image original) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", im.path("id").asText());
    m.put("ok", im.path("success").asBoolean());
    m.put("before", name(classes, im.path("cleanClass").asInt()));
    m.put("beforeConf", round(im.path("cleanConfidence").asDouble()));
    m.put("after", name(classes, im.path("adversarialClass").asInt()));
    m.put("afterConf", round(im.path("adversarialConfidence").asDouble()));
    m.put("w", original.width());
    m.put("h", original.height());
    m.put("orig", im.get("image").asText());
    return m;
  }

  private static Map<String, Object> gradientItem(JsonNode im, List<String> classes) {
    Image original = ImageFiles.fromPngBase64(im.get("image").asText());
    Image adv = ImageFiles.fromPngBase64(im.get("adversarialImage").asText());
    byte[] o = original.toBytes();
    byte[] a = adv.toBytes();
    int maxAbs = 1;
    for (int i = 0; i < o.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs((a[i] & 0xFF) - (o[i] & 0xFF)));
    }
    byte[] d = new byte[o.length];
    for (int i = 0; i < o.length; i++) {
      d[i] = (byte) Math.round(127.5 + 127.5 * ((a[i] & 0xFF) - (o[i] & 0xFF)) / (double) maxAbs);
    }
    Map<String, Object> m = galleryItem(im, classes, original);
    m.put("note", String.format(Locale.ROOT, "L-inf %.4f, L2 %.3f", im.path("linf").asDouble(), im.path("l2").asDouble()));
    m.put("adv", im.get("adversarialImage").asText());
    m.put("map", ImageFiles.pngBase64(new Image(original.channels(), original.height(), original.width(), d)));
    m.put("mapLabel", "perturbation");
    m.put("marks", List.of());
    return m;
  }

  private static Map<String, Object> scanItem(JsonNode im, List<String> classes) {
    Image original = ImageFiles.fromPngBase64(im.get("image").asText());
    int w = original.width();
    int h = original.height();
    JsonNode map = im.get("map");
    byte[] rgb = new byte[3 * w * h];
    for (int p = 0; p < w * h; p++) {
      double v = map.get(p).isNull() ? 1.0 : map.get(p).asDouble();
      double heat = Math.max(0, Math.min(1, 1 - v));
      rgb[p] = (byte) 255;
      rgb[w * h + p] = (byte) Math.round(255 * (1 - heat));
      rgb[2 * w * h + p] = (byte) Math.round(255 * (1 - heat));
    }
    Image heat = new Image(3, h, w, rgb);
    JsonNode first = im.path("flips").get(0);
    Image adv = original.withPixels(List.of(new PixelChange(first.get("x").asInt(), first.get("y").asInt(),
        original.colour(first.get("x").asInt(), first.get("y").asInt()), ints(first.get("colour")))));
    List<int[]> marks = new ArrayList<>();
    for (JsonNode f : im.path("flips")) {
      marks.add(new int[] {f.get("x").asInt(), f.get("y").asInt()});
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", im.path("id").asText());
    m.put("ok", true);
    m.put("before", "");
    m.put("beforeConf", "");
    m.put("after", name(classes, first.get("adversarialClass").asInt()));
    m.put("afterConf", round(first.get("confidence").asDouble()));
    m.put("queries", im.path("queries").asLong());
    m.put("note", im.path("flips").size() + " flipping changes at " + im.path("vulnerablePositions").asInt() + " positions");
    m.put("w", w);
    m.put("h", h);
    m.put("orig", im.get("image").asText());
    m.put("adv", ImageFiles.pngBase64(adv));
    m.put("map", ImageFiles.pngBase64(heat));
    m.put("marks", marks.subList(0, 1));
    return m;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** JSON for a script element: "</" cannot close the element early. */
  private static String safeJson(Object o) {
    try {
      return JSON.writeValueAsString(o).replace("</", "<\\/");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
