package dev.pixelguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.eval.Summary;
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
 * Builds a self-contained HTML report from typed results ({@link EvaluationResult}, of any attack): one
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

  /**
   * Writes {@code dir/index.html} and {@code dir/results.json}, creating {@code dir} if needed. Each file is
   * written to a temporary file and moved into place.
   *
   * @return the HTML file
   */
  public static Path write(EvaluationResult results, Path dir) {
    String html = render(results);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create report folder " + dir + ": " + e.getMessage());
    }
    Path index = dir.resolve("index.html");
    ResultsJson.write(results, dir.resolve("results.json"));
    ImageFiles.writeAtomically(index, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return index;
  }

  /** The report page for the results. */
  public static String render(EvaluationResult r) {
    return render(r, GALLERY_MAX);
  }

  /** The report page, with at most {@code galleryMax} images in its gallery. */
  static String render(EvaluationResult r, int galleryMax) {
    Summary s = r.summary();
    List<AttackResult> attempts = r.attempts();
    boolean scan = attempts.stream().anyMatch(a -> a.findings() != null);
    boolean matrix = r.targets().matrix();
    boolean gradient = s.gradients() > 0;
    Map<String, Object> ctx = new LinkedHashMap<>();
    List<String> classes = r.model().classNames();
    ctx.put("title", scan ? "One-pixel scan" : matrix ? "Targeted attack toward every other class"
        : gradient ? "Robustness report: gradient attack" : "Robustness report");
    ctx.put("model", r.model().name());
    ctx.put("dataset", r.dataset());
    ctx.put("scores", r.modelGivesLogits() ? "logits" : "probabilities only");
    List<Map<String, String>> settings = new ArrayList<>();
    setting(settings, "attack", r.attack());
    r.settings().forEach((k, v) -> setting(settings, k, v == null ? "none" : String.valueOf(v)));
    setting(settings, "goals", r.targets().describe()
        + (r.targets().extra() == null ? "" : ", " + r.targets().extra().describe()));
    setting(settings, "seed", Long.toString(r.seed()));
    ctx.put("settings", settings);
    List<Map<String, String>> cards = new ArrayList<>();
    card(cards, "clean accuracy", pct(s.cleanAccuracy()), s.cleanCorrect() + " of " + s.labelled() + " labelled images");
    if (scan) {
      card(cards, "one-pixel vulnerable", pct(s.successRate()), s.successes() + " of " + s.attacked()
          + " correctly classified images");
      card(cards, "queries", String.format(Locale.ROOT, "%,d", s.attackQueries()), "every position x colour");
    } else if (matrix) {
      card(cards, "pairs reached", pct(s.successRate()), s.successes() + " of " + s.attempts() + " (image, target) pairs");
      card(cards, "images with any target", Integer.toString(s.fooled()), "of " + s.attacked() + " attacked");
      card(cards, "queries", String.format(Locale.ROOT, "%,d", r.totals().queries()),
          String.format(Locale.ROOT, "%.1f s", r.totals().seconds()));
    } else if (gradient) {
      card(cards, "attack success", pct(s.successRate()), s.successes() + " of " + s.attacked() + " attacked images fooled");
      card(cards, "accuracy under attack", pct(s.accuracyUnderAttack()), "of all images: correct and not fooled");
      card(cards, "wrong-class confidence", num(s.meanAdversarialConfidence()), "mean, over fooled images");
      card(cards, "perturbation", num(s.meanLinfOnSuccess()), "mean L-inf over fooled images; L2 "
          + num(s.meanL2OnSuccess()));
      card(cards, "gradient passes", String.format(Locale.ROOT, "%,d", s.gradients()),
          String.format(Locale.ROOT, "%.1f s", r.totals().seconds()));
    } else {
      card(cards, "attack success", pct(s.successRate()), s.successes() + " of " + s.attacked() + " attacked images flipped");
      card(cards, "robust accuracy", pct(s.robustAccuracy()), "attacked images that resisted");
      card(cards, "wrong-class confidence", num(s.meanAdversarialConfidence()), "mean, over flipped images");
      card(cards, "queries on success", num0(s.meanQueriesOnSuccess()), "mean; median " + num0(s.medianQueriesOnSuccess()));
      card(cards, "all queries", String.format(Locale.ROOT, "%,d", r.totals().queries()),
          String.format(Locale.ROOT, "%.1f s", r.totals().seconds()));
    }
    if (!scan && !s.successRateByBudget().isEmpty() && s.attempts() > 0) {
      ctx.put("chart", Charts.successByBudget(s.successRateByBudget(), 720, 300));
    }
    ctx.put("heatmap", matrix
        ? heatmap(classes, s.targetSuccesses(), s.targetTried(), "successes / tried: original class (rows) to target (columns)")
        : heatmap(classes, s.transitions(), null, (gradient ? "fooled" : "flipped")
            + " images: original class (rows) to adversarial class (columns)"));
    // Which attempts the gallery shows: successes first, in dataset order, at most GALLERY_MAX of them, chosen
    // before any image is drawn (a run of thousands of images neither loads nor embeds them all).
    List<AttackResult> shown = new ArrayList<>();
    for (AttackResult a : attempts) {
      if (scan ? a.findings() != null && a.findings().vulnerable() : !matrix || a.success()) {
        shown.add(a);
      }
    }
    int eligible = shown.size();
    shown.sort((a, b) -> Boolean.compare(b.success(), a.success()));
    shown = shown.subList(0, Math.min(galleryMax, shown.size()));
    List<Map<String, Object>> gallery = new ArrayList<>();
    for (AttackResult a : shown) {
      gallery.add(scan ? scanItem(a, classes)
          : a.perturbation().pixels() <= MARKED_PIXELS ? sparseItem(a, classes) : denseItem(a, classes));
    }
    ctx.put("galleryNote", scan
        ? "Every image one pixel can flip, with its vulnerability map: the darker red a position, the lower the "
            + "true class's probability falls (or the higher the target's rises) when that pixel is set to the worst "
            + "colour tried."
        : gradient ? "Original, adversarial (rounded to 8 bits) and the perturbation amplified to full contrast (grey = "
            + "unchanged), enlarged without smoothing. Fooled images first."
        : "Original and adversarial side by side, enlarged without smoothing; the changed pixels are circled. "
            + (matrix ? "Successful (image, target) pairs." : "Flipped images first."));
    if (eligible > gallery.size()) {
      ctx.put("galleryNote", ctx.get("galleryNote") + String.format(Locale.ROOT, " The first %,d of %,d are shown; "
          + "results.json holds every one.", gallery.size(), eligible));
    }
    ctx.put("cards", cards);
    ctx.put("galleryCount", gallery.size());
    ctx.put("galleryJson", safeJson(gallery));
    ctx.put("hasGallery", !gallery.isEmpty());
    return template().execute(ctx);
  }

  /** The most images the gallery shows (each embeds two or three PNGs in the page). */
  static final int GALLERY_MAX = 500;

  /** Changes of at most this many pixels are circled; larger ones are shown as a perturbation map. */
  private static final int MARKED_PIXELS = 64;

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

  private static void setting(List<Map<String, String>> settings, String key, String value) {
    settings.add(Map.of("key", key, "value", value));
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }

  private static String num(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "-";
  }

  private static String num0(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.0f", v) : "-";
  }

  private static String name(List<String> classes, int k) {
    return k >= 0 && k < classes.size() ? classes.get(k) : Integer.toString(k);
  }

  /** One cell per class pair, shaded by count; an optional second matrix gives denominators. */
  private static Map<String, Object> heatmap(List<String> classes, int[][] counts, int[][] tried, String caption) {
    int k = counts.length;
    int max = 1;
    for (int[] row : counts) {
      for (int v : row) {
        max = Math.max(max, v);
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
        int v = counts[f][t];
        double a = v == 0 ? 0 : 0.15 + 0.85 * v / max;
        String text = tried == null ? (v == 0 ? "" : Integer.toString(v)) : (tried[f][t] == 0 ? "-" : v + "/" + tried[f][t]);
        cells.add(Map.of("text", text, "style", v == 0 ? "background: #f3f4f6; color: #999"
            : String.format(Locale.ROOT, "background: rgba(192, 57, 43, %.3f); color: %s", a, a > 0.55 ? "#fff" : "#222"),
            "title", name(classes, f) + " -> " + name(classes, t) + ": " + (text.isEmpty() ? "0" : text)));
      }
      rows.add(Map.of("name", name(classes, f), "cells", cells));
    }
    return Map.of("head", head, "rows", rows, "caption", caption);
  }

  /** What every gallery entry shows: id, outcome, classes before and after, the original and the adversarial. */
  private static Map<String, Object> galleryItem(AttackResult a, List<String> classes) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.imageId() + (a.goal().target() >= 0 ? " -> " + name(classes, a.goal().target()) : ""));
    m.put("ok", a.success());
    m.put("before", name(classes, a.cleanClass()));
    m.put("beforeConf", round(a.cleanConfidence()));
    m.put("after", name(classes, a.adversarialClass()));
    m.put("afterConf", round(a.adversarialConfidence()));
    m.put("w", a.original().width());
    m.put("h", a.original().height());
    m.put("orig", ImageFiles.pngBase64(a.original()));
    m.put("adv", ImageFiles.pngBase64(a.adversarial()));
    m.put("marks", List.of());
    return m;
  }

  /** A change of a few pixels: they are circled. */
  private static Map<String, Object> sparseItem(AttackResult a, List<String> classes) {
    Map<String, Object> m = galleryItem(a, classes);
    m.put("queries", a.queries());
    m.put("marks", a.changes().stream().map(c -> new int[] {c.x(), c.y()}).toList());
    return m;
  }

  /** A change everywhere: the perturbation amplified to full contrast beside the images. */
  private static Map<String, Object> denseItem(AttackResult a, List<String> classes) {
    byte[] o = a.original().toBytes();
    byte[] v = a.adversarial().toBytes();
    int maxAbs = 1;
    for (int i = 0; i < o.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs((v[i] & 0xFF) - (o[i] & 0xFF)));
    }
    byte[] d = new byte[o.length];
    for (int i = 0; i < o.length; i++) {
      d[i] = (byte) Math.round(127.5 + 127.5 * ((v[i] & 0xFF) - (o[i] & 0xFF)) / (double) maxAbs);
    }
    Image original = a.original();
    Map<String, Object> m = galleryItem(a, classes);
    m.put("note", String.format(Locale.ROOT, "L-inf %.4f, L2 %.3f", a.perturbation().linf(), a.perturbation().l2()));
    m.put("map", ImageFiles.pngBase64(new Image(original.channels(), original.height(), original.width(), d)));
    m.put("mapLabel", "perturbation");
    return m;
  }

  /** A scanned image: its first flip and its vulnerability map. */
  private static Map<String, Object> scanItem(AttackResult a, List<String> classes) {
    ScanFindings f = a.findings();
    Image original = a.original();
    int w = original.width();
    int h = original.height();
    float[] map = f.map();
    byte[] rgb = new byte[3 * w * h];
    for (int p = 0; p < w * h; p++) {
      double heat = Float.isNaN(map[p]) ? 0 : Math.max(0, Math.min(1, 1 - map[p]));
      rgb[p] = (byte) 255;
      rgb[w * h + p] = (byte) Math.round(255 * (1 - heat));
      rgb[2 * w * h + p] = (byte) Math.round(255 * (1 - heat));
    }
    ScanFindings.Flip first = f.flips().get(0);
    Map<String, Object> m = galleryItem(a, classes);
    m.put("after", name(classes, first.adversarialClass()));
    m.put("afterConf", round(first.confidence()));
    m.put("queries", a.queries());
    m.put("note", f.flips().size() + " flipping changes at " + f.vulnerablePositions() + " positions");
    m.put("adv", ImageFiles.pngBase64(original.withPixels(List.of(new PixelChange(first.x(), first.y(),
        original.colour(first.x(), first.y()), first.colour())))));
    m.put("map", ImageFiles.pngBase64(new Image(3, h, w, rgb)));
    m.put("marks", List.of(new int[] {first.x(), first.y()}));
    return m;
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
