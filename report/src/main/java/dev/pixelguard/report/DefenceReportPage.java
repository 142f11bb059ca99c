package dev.pixelguard.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.calibration.CalibrationMetrics;
import dev.pixelguard.calibration.CalibrationSummary;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.eval.DefenceReport;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Summary;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.io.ResultsJson;
import dev.pixelguard.model.ModelInfo;
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
 * Writes a {@link DefenceReport} as one self-contained page: {@code index.html} (charts as inline SVG, images
 * as data URIs, its own CSS, no script and no network) and the {@code results.json} comparison it was built
 * from ({@link ResultsJson#write(List, Path)}: undefended, attack that ignores the gate, adaptive attack).
 *
 * <p>The page shows, top to bottom: what the gate stops and what it does not, in plain sentences derived from
 * the numbers; the side-by-side table with the threat model, budget and seed above it; the risk-coverage
 * chart with the operating point; the reliability diagram before and after scaling; the detectors' ROC with
 * AUC and the 1% and 5% false-positive points; and a gallery of every image on which the adaptive attack made
 * the gate accept a wrong class. Sections whose data the report lacks are left out.
 */
public final class DefenceReportPage {
  /** Changes of at most this many pixels are circled and shown close up; larger ones as a perturbation map. */
  static final int MARKED_PIXELS = 64;
  private static final int CLOSE_UP = 9;

  private DefenceReportPage() {}

  /**
   * Writes {@code dir/index.html} and {@code dir/results.json}, creating {@code dir} if needed. Each file is
   * written to a temporary file and moved into place.
   *
   * @return the HTML file
   */
  public static Path write(DefenceReport report, Path dir) {
    String html = render(report);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create report folder " + dir + ": " + e.getMessage());
    }
    Path index = dir.resolve("index.html");
    ResultsJson.write(report.comparison(), dir.resolve("results.json"));
    ImageFiles.writeAtomically(index, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return index;
  }

  /** The page for {@code report}. */
  public static String render(DefenceReport report) {
    Summary u = report.undefended().summary();
    Summary b = report.oblivious().summary();
    Summary a = report.adaptive().summary();
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("gate", report.gate());
    ctx.put("model", report.undefended().model().name());
    ctx.put("dataset", report.adaptive().dataset());
    ctx.put("images", report.adaptive().images().size());
    ctx.put("threat", report.threatModel());
    boolean gradient = a.gradients() > 0;
    ctx.put("attacker", gradient
        ? "The adaptive attack differentiates the whole gated system (every view, transforms by expectation or "
            + "straight-through gradients) and wins only when the gate accepts a wrong class."
        : "The adaptive attack queries the whole gated system (its classes and abstain) and wins only when the "
            + "gate accepts a wrong class. The attack that ignores the gate attacks the undefended model; its "
            + "image is then judged by the gate.");
    headline(ctx, u, b, a);
    ctx.put("facts", facts(report, u, b, a));
    ctx.put("rows", List.of(
        row("undefended", "Undefended model", "any wrong class counts", u, "bad", ""),
        row("oblivious", "Gate vs attack that ignores it", "accepted wrong class counts", b, "mid",
            "queries to the undefended model"),
        row("adaptive", "Gate vs adaptive attack", "accepted wrong class counts", a, "main", "")));
    if (report.clean() != null) {
      ctx.put("riskCoverage", riskCoverage(report.clean(), report.cleanData(), u));
    }
    if (report.calibration() != null) {
      ctx.put("calibration", calibration(report.calibration()));
    }
    if (!report.detectors().isEmpty()) {
      ctx.put("roc", roc(report.detectors()));
    }
    List<Map<String, Object>> gallery = gallery(report.adaptive());
    ctx.put("gallery", gallery);
    ctx.put("galleryCount", gallery.size() == 1 ? "1 image" : gallery.size() + " images");
    ctx.put("galleryEmpty", gallery.isEmpty());
    ctx.put("runs", List.of(run("Undefended model", report.undefended()),
        run("Gate vs attack that ignores it", report.oblivious()), run("Gate vs adaptive attack", report.adaptive())));
    return template().execute(ctx);
  }

  private static void headline(Map<String, Object> ctx, Summary u, Summary b, Summary a) {
    String text;
    String tone;
    if (a.attacked() == 0) {
      text = "Nothing to attack: the gate accepts none of these images correctly";
      tone = "warn";
    } else if (a.successes() == 0) {
      text = "The adaptive attack found no way through the gate on these images";
      tone = "good";
    } else if (u.attacked() > 0 && a.successRate() < u.successRate()) {
      text = "The gate lowers harm from " + pct(u.successRate()) + " to " + pct(a.successRate())
          + ", but an attacker who knows it still gets through";
      tone = "warn";
    } else {
      text = "The gate does not stop an attacker who knows it: " + pct(a.successRate()) + " harmed, against "
          + pct(u.successRate()) + " without it";
      tone = "bad";
    }
    ctx.put("headline", text);
    ctx.put("headlineTone", tone);
  }

  /** The plain statements: what the gate stops and what it does not, from the numbers alone. */
  private static List<Map<String, String>> facts(DefenceReport r, Summary u, Summary b, Summary a) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(fact("info", "Without the gate",
        "the attack turns " + u.successes() + " of the " + u.attacked() + " images the model gets right into a "
            + "wrong answer (" + pct(u.successRate()) + ")."));
    out.add(fact("info", "Clean images",
        "the gate accepts, and answers correctly, " + a.attacked() + " of the " + a.evaluated() + " images; the "
            + "model alone gets " + u.cleanCorrect() + " right. Only the accepted ones can be harmed."));
    if (b.attacked() > 0) {
      boolean stops = b.successRate() < u.successRate() || u.attacked() == 0;
      out.add(fact(stops ? "good" : "bad", stops ? "Stops the attack that ignores it" : "Does not stop even the attack "
          + "that ignores it", b.successes() + " of " + b.attacked() + " accepted images end with an accepted wrong "
          + "class (" + pct(b.successRate()) + ")."));
    }
    if (a.attacked() > 0) {
      if (a.successes() > 0) {
        out.add(fact("bad", "Does not stop the adaptive attack", "it still finds an accepted wrong answer on "
            + a.successes() + " of " + a.attacked() + " images (" + pct(a.successRate()) + "); every one is in the "
            + "gallery below."));
      } else {
        out.add(fact("good", "Holds against the adaptive attack", "no accepted wrong answer on any of the "
            + a.attacked() + " images within its budget. That bounds this attack at this budget; a stronger one "
            + "may still get through."));
      }
      if (b.attacked() > 0 && a.successRate() > b.successRate()) {
        out.add(fact("warn", "The attack that ignores the gate flatters it",
            "it reports " + pct(b.successRate()) + " harm where the adaptive attack finds " + pct(a.successRate())
                + ". Judge a defence by the attack that knows it."));
      }
    }
    GateFit.Figures f = r.clean();
    if (f != null) {
      out.add(fact("info", "Selective risk", String.format(Locale.ROOT, "on %d clean images%s the gate accepts "
          + "%s and errs on %s of those it accepts; the model alone errs on %s of all.", f.images(),
          r.cleanData() == null ? "" : " (" + r.cleanData() + ")", pct(f.coverage()), pct2(f.risk()),
          pct2(f.images() == 0 ? 0 : (double) f.modelErrors() / f.images()))));
    }
    for (DefenceReport.Detector d : r.detectors()) {
      out.add(fact("info", "Detector", String.format(Locale.ROOT, "%s: flags %s of adversarial images at 5%% false "
          + "positives, %s at 1%% (AUC %.3f).", d.label(), pct(d.roc().detectionAt(0.05)),
          pct(d.roc().detectionAt(0.01)), d.roc().auc())));
    }
    return out;
  }

  private static Map<String, String> fact(String tone, String title, String text) {
    String icon = switch (tone) {
      case "good" -> "\u2713";
      case "bad" -> "\u2717";
      case "warn" -> "!";
      default -> "i";
    };
    return Map.of("tone", tone, "icon", icon, "title", title, "text", text);
  }

  private static Map<String, Object> row(String id, String name, String note, Summary s, String tone,
      String queriesNote) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", name);
    m.put("note", note);
    m.put("tone", tone);
    m.put("attacked", Integer.toString(s.attacked()));
    m.put("harmed", Integer.toString(s.successes()));
    m.put("rate", s.attacked() == 0 ? "-" : pct(s.successRate()));
    m.put("bar", String.format(Locale.ROOT, "width: %.1f%%", s.attacked() == 0 ? 0 : 100 * s.successRate()));
    m.put("queries", String.format(Locale.ROOT, "%,d", s.attackQueries()));
    List<String> per = new ArrayList<>();
    if (s.attacked() > 0) {
      per.add(String.format(Locale.ROOT, "%,.0f per image", s.attackQueries() / (double) s.attacked()));
    }
    if (s.gradients() > 0) {
      per.add(String.format(Locale.ROOT, "%,d gradient passes", s.gradients()));
    }
    if (!queriesNote.isEmpty()) {
      per.add(queriesNote);
    }
    m.put("perImage", String.join("; ", per));
    return m;
  }

  private static Map<String, Object> riskCoverage(GateFit.Figures f, String data, Summary u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", DefenceCharts.riskCoverage(f, 760, 380));
    m.put("data", data == null ? "clean images" : data);
    m.put("cards", List.of(
        card("coverage", pct(f.coverage()), f.accepted() + " of " + f.images() + " clean images accepted"),
        card("selective risk", pct2(f.risk()), f.errors() + " wrong among the accepted"),
        card("model alone", pct2(f.images() == 0 ? 0 : (double) f.modelErrors() / f.images()),
            f.modelErrors() + " wrong at full coverage"),
        card("AURC", String.format(Locale.ROOT, "%.4f", f.aurc()), "area under the curve; lower is better")));
    return m;
  }

  private static Map<String, Object> calibration(DefenceReport.Calibration c) {
    CalibrationMetrics before = c.before().metrics();
    CalibrationMetrics after = c.after().metrics();
    String t = Double.isNaN(c.temperature()) ? "after scaling" : String.format(Locale.ROOT, "after (T = %.3f)",
        c.temperature());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", DefenceCharts.reliability(before.reliability(), after.reliability(),
        "before: ECE " + pct2(before.ece()), t + ": ECE " + pct2(after.ece()), 760, 400));
    m.put("model", c.model() == null ? "the model" : c.model());
    m.put("images", before.images());
    m.put("bins", before.bins());
    m.put("afterLabel", t);
    m.put("verdict", c.after().indistinguishableFromPerfect()
        ? "After scaling the ECE is inside the band a perfectly calibrated model would score on these images."
        : "After scaling the ECE is still above the band a perfectly calibrated model would score on these images.");
    m.put("verdictTone", c.after().indistinguishableFromPerfect() ? "good" : "warn");
    List<Map<String, String>> rows = new ArrayList<>();
    rows.add(metric("ECE [95% bootstrap]", ece(c.before()), ece(c.after())));
    rows.add(metric("perfect-calibration floor (mean, p95)", floor(c.before()), floor(c.after())));
    rows.add(metric("MCE", pct2(before.mce()), pct2(after.mce())));
    rows.add(metric("NLL", String.format(Locale.ROOT, "%.4f", before.nll()), String.format(Locale.ROOT, "%.4f",
        after.nll())));
    rows.add(metric("Brier", String.format(Locale.ROOT, "%.4f", before.brier()), String.format(Locale.ROOT, "%.4f",
        after.brier())));
    rows.add(metric("accuracy", pct(before.accuracy()), pct(after.accuracy())));
    m.put("metrics", rows);
    return m;
  }

  private static String ece(CalibrationSummary s) {
    return String.format(Locale.ROOT, "%s [%.2f, %.2f]", pct2(s.metrics().ece()), 100 * s.interval().low(),
        100 * s.interval().high());
  }

  private static String floor(CalibrationSummary s) {
    return String.format(Locale.ROOT, "%s, %s", pct2(s.floor().mean()), pct2(s.floor().p95()));
  }

  private static Map<String, String> metric(String name, String before, String after) {
    return Map.of("name", name, "before", before, "after", after);
  }

  private static Map<String, Object> roc(List<DefenceReport.Detector> detectors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("chart", DefenceCharts.roc(detectors, 760, 420));
    List<Map<String, String>> rows = new ArrayList<>();
    for (DefenceReport.Detector d : detectors) {
      Roc r = d.roc();
      rows.add(Map.of("label", d.label(), "auc", String.format(Locale.ROOT, "%.3f", r.auc()),
          "at1", pct(r.detectionAt(0.01)), "fp1", pct(r.falsePositivesAt(0.01)),
          "at5", pct(r.detectionAt(0.05)), "fp5", pct(r.falsePositivesAt(0.05))));
    }
    m.put("rows", rows);
    return m;
  }

  private static Map<String, String> card(String label, String value, String note) {
    return Map.of("label", label, "value", value, "note", note);
  }

  /** Every successful attempt of the adaptive attack, in dataset order. */
  private static List<Map<String, Object>> gallery(EvaluationResult adaptive) {
    ModelInfo classes = adaptive.model();
    List<Map<String, Object>> out = new ArrayList<>();
    for (AttackResult a : adaptive.attempts()) {
      if (a.success()) {
        out.add(item(a, classes));
      }
    }
    return out;
  }

  private static Map<String, Object> item(AttackResult a, ModelInfo classes) {
    Image original = a.original();
    int w = original.width();
    int h = original.height();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.imageId());
    m.put("trueClass", name(classes, a.cleanClass()));
    m.put("cleanConf", String.format(Locale.ROOT, "%.3f", a.cleanConfidence()));
    m.put("wrongClass", name(classes, a.adversarialClass()));
    m.put("conf", String.format(Locale.ROOT, "%.3f", a.adversarialConfidence()));
    m.put("orig", ImageFiles.pngBase64(original));
    m.put("adv", ImageFiles.pngBase64(a.adversarial()));
    m.put("queries", a.cost().gradients() > 0 ? String.format(Locale.ROOT, "%,d gradient passes", a.cost().gradients())
        : String.format(Locale.ROOT, "%,d queries", a.queries()));
    List<PixelChange> changes = a.perturbation().pixels() <= MARKED_PIXELS ? a.changes() : List.of();
    List<Map<String, String>> marks = new ArrayList<>();
    for (PixelChange c : changes) {
      marks.add(Map.of("style", String.format(Locale.ROOT, "left: %.4f%%; top: %.4f%%; width: %.4f%%; height: %.4f%%",
          100.0 * c.x() / w, 100.0 * c.y() / h, 100.0 / w, 100.0 / h)));
    }
    m.put("marks", marks);
    if (!changes.isEmpty()) {
      PixelChange first = changes.get(0);
      int x0 = Math.max(0, Math.min(w - CLOSE_UP, first.x() - CLOSE_UP / 2));
      int y0 = Math.max(0, Math.min(h - CLOSE_UP, first.y() - CLOSE_UP / 2));
      int cw = Math.min(CLOSE_UP, w);
      int ch = Math.min(CLOSE_UP, h);
      m.put("third", ImageFiles.pngBase64(crop(a.adversarial(), x0, y0, cw, ch)));
      m.put("thirdLabel", "close-up");
      m.put("thirdMark", String.format(Locale.ROOT, "left: %.4f%%; top: %.4f%%; width: %.4f%%; height: %.4f%%",
          100.0 * (first.x() - x0) / cw, 100.0 * (first.y() - y0) / ch, 100.0 / cw, 100.0 / ch));
      List<Map<String, String>> swatches = new ArrayList<>();
      for (PixelChange c : changes.subList(0, Math.min(3, changes.size()))) {
        swatches.add(Map.of("at", "(" + c.x() + "," + c.y() + ")", "from", rgb(c.before()), "to", rgb(c.after())));
      }
      m.put("swatches", swatches);
      m.put("change", changes.size() == 1 ? "1 pixel changed" : changes.size() + " pixels changed");
    } else {
      m.put("third", ImageFiles.pngBase64(perturbationMap(a)));
      m.put("thirdLabel", "perturbation");
      m.put("change", String.format(Locale.ROOT, "%d pixels changed, L-inf %.4f, L2 %.3f", a.perturbation().pixels(),
          a.perturbation().linf(), a.perturbation().l2()));
    }
    return m;
  }

  private static String rgb(int[] c) {
    return c.length == 1 ? String.format(Locale.ROOT, "rgb(%d, %d, %d)", c[0], c[0], c[0])
        : String.format(Locale.ROOT, "rgb(%d, %d, %d)", c[0], c[1], c[2]);
  }

  /** The {@code cw x ch} window of {@code im} at ({@code x0}, {@code y0}). */
  static Image crop(Image im, int x0, int y0, int cw, int ch) {
    int c = im.channels();
    byte[] out = new byte[c * cw * ch];
    for (int k = 0; k < c; k++) {
      for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
          out[(k * ch + y) * cw + x] = (byte) im.get(k, y0 + y, x0 + x);
        }
      }
    }
    return new Image(c, ch, cw, out);
  }

  /** The change amplified to full contrast, grey where nothing changed. */
  private static Image perturbationMap(AttackResult a) {
    byte[] o = a.original().toBytes();
    byte[] v = a.adversarial().toBytes();
    int max = 1;
    for (int i = 0; i < o.length; i++) {
      max = Math.max(max, Math.abs((v[i] & 0xFF) - (o[i] & 0xFF)));
    }
    byte[] d = new byte[o.length];
    for (int i = 0; i < o.length; i++) {
      d[i] = (byte) Math.round(127.5 + 127.5 * ((v[i] & 0xFF) - (o[i] & 0xFF)) / (double) max);
    }
    Image im = a.original();
    return new Image(im.channels(), im.height(), im.width(), d);
  }

  private static Map<String, Object> run(String name, EvaluationResult r) {
    List<Map<String, String>> settings = new ArrayList<>();
    settings.add(Map.of("key", "model", "value", r.model().name()));
    settings.add(Map.of("key", "goals", "value", r.targets().describe()));
    r.settings().forEach((k, v) -> settings.add(Map.of("key", k, "value", v == null ? "none" : String.valueOf(v))));
    settings.add(Map.of("key", "seed", "value", Long.toString(r.seed())));
    settings.add(Map.of("key", "time", "value", String.format(Locale.ROOT, "%.1f s, %,d queries in all",
        r.totals().seconds(), r.totals().queries())));
    return Map.of("name", name, "settings", settings);
  }

  private static Template template() {
    try (InputStream in = DefenceReportPage.class.getResourceAsStream("defence.html.mustache")) {
      return Mustache.compiler().escapeHTML(true).defaultValue("").compile(new InputStreamReader(in,
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("defence report template missing", e);
    }
  }

  private static String name(ModelInfo info, int k) {
    return k >= 0 && k < info.numClasses() ? info.className(k) : Integer.toString(k);
  }

  /** A rate in [0, 1] as a percentage with one decimal, "-" when undefined. */
  static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }

  private static String pct2(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "-";
  }
}
