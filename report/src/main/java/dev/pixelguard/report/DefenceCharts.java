package dev.pixelguard.report;

import dev.pixelguard.calibration.ReliabilityBin;
import dev.pixelguard.defence.GateFit;
import dev.pixelguard.defence.RiskCoverage;
import dev.pixelguard.defence.Roc;
import dev.pixelguard.eval.DefenceReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The defence report's charts, drawn with JFreeChart into inline SVG (JFreeSVG): risk-coverage, reliability
 * diagram, ROC. Every axis is in percent.
 */
final class DefenceCharts {
  static final Color GATE = new Color(0x1f6feb);
  static final Color BEFORE = new Color(0xd0d7de);
  static final Color AFTER = new Color(0x1f6feb);
  static final Color ACCENT = new Color(0xcf222e);
  static final Color MODEL = new Color(0x8250df);
  static final Color GUIDE = new Color(0x8c959f);
  private static final Color[] SERIES = {new Color(0x1f6feb), new Color(0xbf8700), new Color(0x1a7f37),
      new Color(0x8250df), new Color(0xcf222e)};
  private static final Font TICKS = new Font("SansSerif", Font.PLAIN, 11);
  private static final Font LABELS = new Font("SansSerif", Font.PLAIN, 12);

  private DefenceCharts() {}

  /**
   * The gate's risk-coverage curve as the confidence threshold moves (other checks fixed), its operating point,
   * and the reference model alone (full coverage, its error rate).
   */
  static String riskCoverage(GateFit.Figures f, int width, int height) {
    XYSeries curve = new XYSeries(String.format(Locale.ROOT, "moving the confidence threshold (AURC %.4f)", f.aurc()));
    for (RiskCoverage.Point p : f.curve()) {
      if (p.accepted() > 0) {
        curve.add(100 * p.coverage(), 100 * p.risk());
      }
    }
    XYSeries op = new XYSeries(String.format(Locale.ROOT, "operating point: coverage %.1f%%, risk %.2f%%",
        100 * f.coverage(), 100 * f.risk()));
    op.add(100 * f.coverage(), 100 * f.risk());
    double modelRisk = f.images() == 0 ? 0 : (double) f.modelErrors() / f.images();
    XYSeries model = new XYSeries(String.format(Locale.ROOT, "model alone: coverage 100%%, risk %.2f%%",
        100 * modelRisk));
    model.add(100, 100 * modelRisk);
    XYSeriesCollection points = new XYSeriesCollection();
    points.addSeries(op);
    points.addSeries(model);
    XYPlot plot = plot("coverage: images accepted (%)", "selective risk: errors among accepted (%)");
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    dots.setSeriesPaint(0, ACCENT);
    dots.setSeriesShape(0, circle(7));
    dots.setSeriesPaint(1, MODEL);
    dots.setSeriesShape(1, new Rectangle2D.Double(-5, -5, 10, 10));
    plot.setDataset(0, points);
    plot.setRenderer(0, dots);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, GATE);
    line.setSeriesStroke(0, new BasicStroke(2.5f));
    plot.setDataset(1, new XYSeriesCollection(curve));
    plot.setRenderer(1, line);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    double minCoverage = curve.isEmpty() ? 0 : curve.getMinX();
    ((NumberAxis) plot.getDomainAxis()).setRange(Math.max(0, Math.floor(minCoverage / 10) * 10 - 2), 101);
    double top = Math.max(curve.isEmpty() ? 0 : curve.getMaxY(), 100 * modelRisk);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, Math.max(1, Math.ceil(top * 1.15)));
    plot.addAnnotation(label("operating point  ", 100 * f.coverage(), 100 * f.risk(), ACCENT, TextAnchor.CENTER_RIGHT));
    return svg(chart(plot), "pgrc", width, height);
  }

  /**
   * The reliability diagram: per confidence bin, the accuracy before (grey) and after (blue) scaling, as two
   * bars side by side, against the diagonal of perfect calibration. Empty bins have no bar.
   */
  static String reliability(List<ReliabilityBin> before, List<ReliabilityBin> after, String beforeLabel,
      String afterLabel, int width, int height) {
    XYIntervalSeries b = new XYIntervalSeries(beforeLabel);
    XYIntervalSeries a = new XYIntervalSeries(afterLabel);
    bars(b, before, 0.08, 0.5);
    bars(a, after, 0.5, 0.92);
    XYIntervalSeriesCollection bars = new XYIntervalSeriesCollection();
    bars.addSeries(b);
    bars.addSeries(a);
    XYSeries diagonal = new XYSeries("perfect calibration (accuracy = confidence)");
    diagonal.add(0, 0);
    diagonal.add(100, 100);
    XYPlot plot = plot("confidence (%)", "accuracy (%)");
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    line.setSeriesPaint(0, GUIDE);
    line.setSeriesStroke(0, dashed());
    plot.setDataset(0, new XYSeriesCollection(diagonal));
    plot.setRenderer(0, line);
    XYBarRenderer r = new XYBarRenderer();
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    r.setDrawBarOutline(false);
    r.setSeriesPaint(0, BEFORE);
    r.setSeriesPaint(1, AFTER);
    r.setUseYInterval(true);
    plot.setDataset(1, bars);
    plot.setRenderer(1, r);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    ((NumberAxis) plot.getDomainAxis()).setRange(0, 100);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
    return svg(chart(plot), "pgrel", width, height);
  }

  private static void bars(XYIntervalSeries s, List<ReliabilityBin> bins, double from, double to) {
    for (ReliabilityBin bin : bins) {
      if (bin.count() > 0) {
        double lo = 100 * (bin.lower() + from * (bin.upper() - bin.lower()));
        double hi = 100 * (bin.lower() + to * (bin.upper() - bin.lower()));
        double acc = 100 * bin.accuracy();
        s.add((lo + hi) / 2, lo, hi, acc, 0, acc);
      }
    }
  }

  /** One ROC curve per detector against the chance diagonal; the 1% and 5% false-positive points are marked. */
  static String roc(List<DefenceReport.Detector> detectors, int width, int height) {
    XYPlot plot = plot("false positives: clean images flagged (%)", "detection: adversarial images flagged (%)");
    XYSeriesCollection curves = new XYSeriesCollection();
    XYSeriesCollection marks = new XYSeriesCollection();
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
    XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
    for (int i = 0; i < detectors.size(); i++) {
      DefenceReport.Detector d = detectors.get(i);
      Roc roc = d.roc();
      XYSeries s = new XYSeries(String.format(Locale.ROOT, "%s (AUC %.3f)", d.label(), roc.auc()), false, true);
      for (Roc.Point p : roc.curve()) {
        s.add(100 * p.falsePositiveRate(), 100 * p.truePositiveRate());
      }
      curves.addSeries(s);
      Color c = SERIES[i % SERIES.length];
      line.setSeriesPaint(i, c);
      line.setSeriesStroke(i, new BasicStroke(2.5f));
      XYSeries m = new XYSeries(d.label() + ": at 1% and 5% false positives", false, true);
      for (double fpr : new double[] {0.01, 0.05}) {
        double x = 100 * roc.falsePositivesAt(fpr);
        double y = 100 * roc.detectionAt(fpr);
        m.add(x, y);
        plot.addAnnotation(label(String.format(Locale.ROOT, "%.0f%% FP: %.1f%%", 100 * fpr, y), x + 1.5, y, c,
            TextAnchor.TOP_LEFT));
      }
      marks.addSeries(m);
      dots.setSeriesPaint(i, c);
      dots.setSeriesShape(i, circle(7));
      dots.setSeriesVisibleInLegend(i, false);
    }
    XYSeries chance = new XYSeries("chance", false, true);
    chance.add(0, 0);
    chance.add(100, 100);
    curves.addSeries(chance);
    line.setSeriesPaint(detectors.size(), GUIDE);
    line.setSeriesStroke(detectors.size(), dashed());
    plot.setDataset(0, marks);
    plot.setRenderer(0, dots);
    plot.setDataset(1, curves);
    plot.setRenderer(1, line);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    ((NumberAxis) plot.getDomainAxis()).setRange(0, 100);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 101);
    return svg(chart(plot), "pgroc", width, height);
  }

  private static XYPlot plot(String x, String y) {
    NumberAxis xa = new NumberAxis(x);
    NumberAxis ya = new NumberAxis(y);
    for (NumberAxis a : List.of(xa, ya)) {
      a.setTickLabelFont(TICKS);
      a.setLabelFont(LABELS);
      a.setLabelPaint(new Color(0x57606a));
      a.setTickLabelPaint(new Color(0x57606a));
      a.setAxisLinePaint(new Color(0xd0d7de));
      a.setTickMarkPaint(new Color(0xd0d7de));
    }
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(xa);
    plot.setRangeAxis(ya);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    plot.setDomainGridlinePaint(new Color(0xeaeef2));
    plot.setRangeGridlinePaint(new Color(0xeaeef2));
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
    return plot;
  }

  private static JFreeChart chart(XYPlot plot) {
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 4, 4, 12));
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(BlockBorder.NONE);
    legend.setItemFont(LABELS);
    legend.setItemPaint(new Color(0x1f2328));
    return chart;
  }

  private static XYTextAnnotation label(String text, double x, double y, Color c, TextAnchor anchor) {
    XYTextAnnotation a = new XYTextAnnotation(text, x, y);
    a.setFont(new Font("SansSerif", Font.BOLD, 11));
    a.setPaint(c);
    a.setTextAnchor(anchor);
    return a;
  }

  private static Ellipse2D circle(double d) {
    return new Ellipse2D.Double(-d / 2, -d / 2, d, d);
  }

  private static BasicStroke dashed() {
    return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  /** The chart as an SVG element; {@code prefix} keeps its clip-path ids apart from the other charts' on the page. */
  private static String svg(JFreeChart chart, String prefix, int width, int height) {
    System.setProperty("java.awt.headless", "true");
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix(prefix); // fixed (not JFreeSVG's time-based default): pages are reproducible
    chart.draw(g, new Rectangle(0, 0, width, height));
    // A view box and no fixed size: the chart scales with its column instead of being cropped.
    return g.getSVGElement(prefix + "-chart", false, new ViewBox(0, 0, width, height), null, null);
  }
}
