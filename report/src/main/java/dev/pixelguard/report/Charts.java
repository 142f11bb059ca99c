package dev.pixelguard.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** Charts drawn with JFreeChart straight into SVG (JFreeSVG), so the report embeds them with no script. */
final class Charts {
  private Charts() {}

  /**
   * Success rate (in percent) against the query budget per image, log-scaled budgets.
   *
   * @param points budget to success rate in [0, 1]
   */
  static String successByBudget(Map<Long, Double> points, int width, int height) {
    System.setProperty("java.awt.headless", "true");
    XYSeries s = new XYSeries("success rate");
    points.forEach((b, r) -> {
      if (r != null && !r.isNaN()) {
        s.add(b.doubleValue(), 100 * r);
      }
    });
    JFreeChart chart = ChartFactory.createXYLineChart(null, "queries per image (budget)", "images flipped (%)",
        new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(new Color(0xfafafa));
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    LogAxis x = new LogAxis("queries per image (budget)");
    x.setBase(10);
    x.setSmallestValue(1);
    x.setAutoTickUnitSelection(false);
    x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0));
    x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
    plot.setDomainAxis(x);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    double max = s.getMaxY();
    y.setRange(0, Math.max(5, Math.ceil(max / 5) * 5 + 5));
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setSeriesPaint(0, new Color(0xc0392b));
    r.setSeriesStroke(0, new BasicStroke(2.5f));
    plot.setRenderer(r);
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix("pg"); // JFreeSVG defaults to a time-based prefix; a fixed one keeps reports reproducible
    chart.draw(g, new Rectangle(0, 0, width, height));
    return g.getSVGElement();
  }
}
