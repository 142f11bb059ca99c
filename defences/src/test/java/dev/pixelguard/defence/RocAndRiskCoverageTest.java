package dev.pixelguard.defence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RocAndRiskCoverageTest {

  @Test
  void rocOfAHandMadeCase() {
    // clean: 0.1 0.2 0.3 0.4; adversarial: 0.35 0.5 0.6 0.3 (a tie with a clean score at 0.3)
    Roc roc = new Roc(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.35, 0.5, 0.6, 0.3});
    // pairs (adv > clean): 0.35 beats 3, 0.5 beats 4, 0.6 beats 4, 0.3 beats 2 and ties 1 -> 13.5 / 16
    assertEquals(13.5 / 16, roc.auc(), 1e-12);
    List<Roc.Point> curve = roc.curve();
    assertEquals(0, curve.get(0).falsePositiveRate());
    assertEquals(0, curve.get(0).truePositiveRate());
    assertEquals(1, curve.get(curve.size() - 1).falsePositiveRate());
    assertEquals(1, curve.get(curve.size() - 1).truePositiveRate());
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      Roc.Point a = curve.get(i - 1);
      Roc.Point b = curve.get(i);
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    assertEquals(roc.auc(), area, 1e-12, "the trapezoidal area of the curve is the AUC");
    // at most 25% false positives: threshold 0.3 (only 0.4 above it); adversarials above 0.3: 0.35, 0.5, 0.6
    assertEquals(0.3, Roc.thresholdFor(new double[] {0.1, 0.2, 0.3, 0.4}, 0.25));
    assertEquals(0.75, roc.detectionAt(0.25), 1e-12);
    assertEquals(0.25, roc.falsePositivesAt(0.25), 1e-12);
    // no false positive allowed: threshold at the largest clean score 0.4 -> 0.5 and 0.6 detected
    assertEquals(0.5, roc.detectionAt(0.0), 1e-12);
    assertEquals(0.0, roc.falsePositivesAt(0.0), 1e-12);
  }

  @Test
  void riskCoverageOfAHandMadeCase() {
    double[] conf = {0.9, 0.8, 0.7, 0.6, 0.5};
    boolean[] correct = {true, false, true, true, false};
    boolean[] eligible = {true, true, true, true, false}; // the last image fails another check
    List<RiskCoverage.Point> c = RiskCoverage.curve(conf, correct, eligible);
    assertEquals(4, c.size());
    assertEquals(0.8, c.get(0).coverage(), 1e-12); // all four eligible, of five images
    assertEquals(0.25, c.get(0).risk(), 1e-12);
    assertEquals(0.2, c.get(3).coverage(), 1e-12);
    assertEquals(0.0, c.get(3).risk(), 1e-12);
    // risks at 1..4 accepted: 0, 1/2, 1/3, 1/4 -> mean
    assertEquals((0 + 0.5 + 1.0 / 3 + 0.25) / 4, RiskCoverage.area(conf, correct, eligible), 1e-12);
    RiskCoverage.Point p = RiskCoverage.atCoverage(conf, correct, eligible, 0.5);
    assertEquals(0.7, p.threshold(), 1e-12); // three accepted: 60% >= 50%, the highest such threshold
    assertEquals(3, p.accepted());
  }

  @Test
  void tiesEnterTogether() {
    double[] conf = {0.9, 0.9, 0.5};
    boolean[] correct = {true, false, true};
    boolean[] all = {true, true, true};
    List<RiskCoverage.Point> c = RiskCoverage.curve(conf, correct, all);
    assertEquals(2, c.size());
    assertEquals(2, c.get(1).accepted());
    // ties in expectation: 1 accepted -> risk 1/2, 2 -> 1/2, 3 -> 1/3
    assertEquals((0.5 + 0.5 + 1.0 / 3) / 3, RiskCoverage.area(conf, correct, all), 1e-12);
  }
}
