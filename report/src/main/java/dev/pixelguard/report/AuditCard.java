package dev.pixelguard.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.pixelguard.InputException;
import dev.pixelguard.io.AuditJson;
import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.data.ImageFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
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
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The threat-model card of an audit, in three forms written side by side: {@code card.html} (a page with the
 * chart and every setting), {@code card.md} with {@code card.svg} (readable where Markdown is rendered, such as
 * a repository's docs) and {@code audit.json} (the figures, for re-rendering and CI checks).
 */
public final class AuditCard {
  private static final Color CORRECT = new Color(0x2da44e);
  private static final Color ABSTAINED = new Color(0xbf8700);
  private static final Color WRONG = new Color(0xcf222e);

  private AuditCard() {}

  /**
   * Writes the card's four files into {@code dir}, creating it if needed; each file is written to a temporary
   * file and moved into place.
   *
   * @return the HTML page
   */
  public static Path write(AuditResult r, Path dir) {
    String svg = chart(r);
    String html = html(r, svg);
    String md = markdown(r, "card.svg");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create card folder " + dir + ": " + e.getMessage());
    }
    AuditJson.write(r, dir.resolve("audit.json"));
    ImageFiles.writeAtomically(dir.resolve("card.svg"), out -> out.write(svg.getBytes(StandardCharsets.UTF_8)));
    ImageFiles.writeAtomically(dir.resolve("card.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    Path page = dir.resolve("card.html");
    ImageFiles.writeAtomically(page, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    return page;
  }

  /**
   * A stacked horizontal bar per threat model and system: the share of the audited images that end correct,
   * abstained (a gate declined) and wrong (the system acts on a wrong class).
   */
  public static String chart(AuditResult r) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    AuditResult.Row head = r.rows().get(0);
    if (head.plain().applicable()) {
      addClean(d, "no attack · model", head.plain());
    }
    if (head.defended() != null && head.defended().applicable()) {
      addClean(d, "no attack · defended", head.defended());
    }
    for (AuditResult.Row row : r.rows()) {
      add(d, row.threat() + " · model", row.plain());
      if (row.defended() != null) {
        add(d, row.threat() + " · defended", row.defended());
      }
    }
    StackedBarRenderer renderer = new StackedBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setSeriesPaint(0, CORRECT);
    renderer.setSeriesPaint(1, ABSTAINED);
    renderer.setSeriesPaint(2, WRONG);
    renderer.setMaximumBarWidth(0.08);
    renderer.setItemMargin(0);
    CategoryAxis y = new CategoryAxis();
    y.setTickLabelFont(new Font("SansSerif", Font.PLAIN, 12));
    y.setCategoryMargin(0.25);
    NumberAxis x = new NumberAxis("share of the audited images (%)");
    x.setRange(0, 100);
    CategoryPlot plot = new CategoryPlot(d, y, x, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
    plot.setBackgroundPaint(new Color(0xfafafa));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlineVisible(false);
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.TOP);
    legend.setFrame(BlockBorder.NONE);
    int width = 860;
    int height = 110 + 24 * d.getColumnCount();
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix("pgaudit"); // a fixed prefix keeps the card reproducible
    chart.draw(g, new Rectangle(0, 0, width, height));
    // dimensions for a standalone file (card.svg, shown as drawn), a view box so the page can scale it
    return g.getSVGElement("audit-chart", true, new ViewBox(0, 0, width, height), null, null);
  }

  private static void add(DefaultCategoryDataset d, String column, ThreatOutcome t) {
    if (!t.applicable()) {
      return;
    }
    d.addValue(100.0 * t.correct() / t.images(), "correct", column);
    d.addValue(100.0 * t.abstained() / t.images(), "abstained", column);
    d.addValue(100.0 * t.wrong() / t.images(), "wrong (harm)", column);
  }

  private static void addClean(DefaultCategoryDataset d, String column, ThreatOutcome t) {
    int wrong = t.images() - t.cleanCorrect() - t.cleanAbstained();
    d.addValue(100.0 * t.cleanCorrect() / t.images(), "correct", column);
    d.addValue(100.0 * t.cleanAbstained() / t.images(), "abstained", column);
    d.addValue(100.0 * wrong / t.images(), "wrong (harm)", column);
  }

  /** The card as Markdown, the chart referenced as {@code chartFile}. */
  public static String markdown(AuditResult r, String chartFile) {
    StringBuilder b = new StringBuilder();
    b.append("# Threat-model card: ").append(r.model()).append("\n\n");
    b.append(String.format(Locale.ROOT, "%d images of `%s`%s. Every threat model runs with one stated budget and "
        + "the same seed%s; an image ends **correct**, **abstained** (the defended system "
        + "declines to answer) or **wrong** (the system acts on a wrong class: the harm).%n%n", r.images(),
        r.dataset(), r.hasDefended() ? "; defended system: " + r.defended() : "",
        r.hasDefended() ? " against both systems" : ""));
    b.append("![accuracy under each threat model](").append(chartFile).append(")\n\n");
    b.append(r.hasDefended()
        ? "| threat model | model: accuracy | model: wrong | defended: correct | defended: abstained | defended: "
            + "wrong | attacker won (model / defended) |\n|---|---|---|---|---|---|---|\n"
        : "| threat model | accuracy | wrong | attacker won |\n|---|---|---|---|\n");
    AuditResult.Row head = r.rows().get(0);
    if (head.plain().applicable()) {
      b.append("| no attack | ").append(pct(head.plain().cleanAccuracy())).append(" | ")
          .append(pct(1 - head.plain().cleanAccuracy())).append(" | ");
      if (r.hasDefended()) {
        ThreatOutcome g = head.defended();
        b.append(pct(g.cleanAccuracy())).append(" | ").append(pct((double) g.cleanAbstained() / g.images()))
            .append(" | ").append(pct(1 - g.cleanAccuracy() - (double) g.cleanAbstained() / g.images()))
            .append(" | - |\n");
      } else {
        b.append("- |\n");
      }
    }
    for (AuditResult.Row row : r.rows()) {
      ThreatOutcome p = row.plain();
      b.append("| ").append(row.threat()).append(" | ");
      b.append(p.applicable() ? pct(p.accuracy()) + " | " + pct(p.harm()) : "n/a | n/a").append(" | ");
      if (r.hasDefended()) {
        ThreatOutcome g = row.defended();
        b.append(g.applicable() ? pct(g.accuracy()) + " | " + pct(g.abstention()) + " | " + pct(g.harm())
            : "n/a | n/a | n/a").append(" | ").append(won(p)).append(" / ").append(won(g)).append(" |\n");
      } else {
        b.append(won(p)).append(" |\n");
      }
    }
    b.append("\n*attacker won*: images the attack turned from correct (and, defended, accepted) to its goal: any "
        + "wrong class against the model; an accepted wrong class against the defended system, which is attacked "
        + "as a whole (the attack sees its abstentions).\n\n## Threat models and settings\n\n");
    for (AuditResult.Row row : r.rows()) {
      b.append("- **").append(row.threat()).append("**: ").append(row.describe()).append(". ");
      List<String> kv = new ArrayList<>();
      row.settings().forEach((k, v) -> kv.add(k + " " + v));
      b.append("Settings: ").append(String.join(", ", kv)).append('.');
      notes(b, "model", row.plain());
      if (row.defended() != null) {
        notes(b, "defended", row.defended());
      }
      b.append('\n');
    }
    b.append(String.format(Locale.ROOT, "%nThe whole audit took %.0f s.%n", r.seconds()));
    return b.toString();
  }

  private static void notes(StringBuilder b, String system, ThreatOutcome t) {
    if (!t.applicable()) {
      b.append(" Not run against the ").append(system).append(": ").append(t.notApplicable()).append('.');
    } else {
      b.append(String.format(Locale.ROOT, " %s: %,d queries, %.0f s.", system, t.queries(), t.seconds()));
    }
  }

  private static String won(ThreatOutcome t) {
    return t.applicable() ? t.fooled() + " of " + t.attacked() : "n/a";
  }

  private static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", 100 * v) : "-";
  }

  /** The card as one self-contained HTML page with {@code svg} inline. */
  public static String html(AuditResult r, String svg) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    ctx.put("model", r.model());
    ctx.put("defended", r.defended());
    ctx.put("dataset", r.dataset());
    ctx.put("images", r.images());
    ctx.put("chart", svg);
    ctx.put("seconds", String.format(Locale.ROOT, "%.0f", r.seconds()));
    List<Map<String, Object>> rows = new ArrayList<>();
    List<Map<String, Object>> settingsRows = new ArrayList<>();
    AuditResult.Row head = r.rows().get(0);
    if (head.plain().applicable()) {
      Map<String, Object> clean = new LinkedHashMap<>();
      clean.put("threat", "no attack");
      clean.put("describe", "the images as they are");
      clean.put("plain", cleanCells(head.plain()));
      if (head.defended() != null && head.defended().applicable()) {
        clean.put("gated", cleanCells(head.defended()));
      }
      rows.add(clean);
    }
    for (AuditResult.Row row : r.rows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("threat", row.threat());
      m.put("describe", row.describe());
      m.put("plain", cells(row.plain()));
      if (row.defended() != null) {
        m.put("gated", cells(row.defended()));
      }
      List<Map<String, String>> settings = new ArrayList<>();
      row.settings().forEach((k, v) -> settings.add(Map.of("key", k, "value", String.valueOf(v))));
      m.put("settings", settings);
      rows.add(m);
      settingsRows.add(Map.of("threat", row.threat(), "settings", settings));
    }
    ctx.put("rows", rows);
    ctx.put("settingsRows", settingsRows);
    return template().execute(ctx);
  }

  private static Map<String, Object> cells(ThreatOutcome t) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (!t.applicable()) {
      m.put("na", t.notApplicable());
      return m;
    }
    m.put("correct", pct(t.accuracy()));
    m.put("abstained", pct(t.abstention()));
    m.put("wrong", pct(t.harm()));
    m.put("won", won(t));
    m.put("queries", String.format(Locale.ROOT, "%,d", t.queries()));
    m.put("bar", bar(t.correct(), t.abstained(), t.wrong(), t.images()));
    return m;
  }

  private static Map<String, Object> cleanCells(ThreatOutcome t) {
    int wrong = t.images() - t.cleanCorrect() - t.cleanAbstained();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("correct", pct(t.cleanAccuracy()));
    m.put("abstained", pct((double) t.cleanAbstained() / t.images()));
    m.put("wrong", pct((double) wrong / t.images()));
    m.put("won", "-");
    m.put("queries", "-");
    m.put("bar", bar(t.cleanCorrect(), t.cleanAbstained(), wrong, t.images()));
    return m;
  }

  /** Inline widths of the three parts of a row's bar. */
  private static String bar(int correct, int abstained, int wrong, int n) {
    return String.format(Locale.ROOT, "<span class=\"c\" style=\"width:%.2f%%\"></span><span class=\"a\" "
        + "style=\"width:%.2f%%\"></span><span class=\"w\" style=\"width:%.2f%%\"></span>", 100.0 * correct / n,
        100.0 * abstained / n, 100.0 * wrong / n);
  }

  private static Template template() {
    try (InputStream in = AuditCard.class.getResourceAsStream("audit.html.mustache")) {
      return Mustache.compiler().escapeHTML(true).defaultValue("").compile(new InputStreamReader(in,
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("audit card template missing", e);
    }
  }
}
