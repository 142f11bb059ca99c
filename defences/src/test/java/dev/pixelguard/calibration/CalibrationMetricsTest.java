package dev.pixelguard.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ECE, MCE, NLL, Brier and the reliability bins on predictions worked out by hand; the floor and the bootstrap. */
class CalibrationMetricsTest {
  /*
   * Four predictions over two classes, five bins (0,.2], (.2,.4], (.4,.6], (.6,.8], (.8,1]:
   *   image  p               label  confidence  correct  bin
   *   0      [0.90, 0.10]    0      0.90        yes      (.8,1]
   *   1      [0.75, 0.25]    1      0.75        no       (.6,.8]
   *   2      [0.35, 0.65]    1      0.65        yes      (.6,.8]
   *   3      [0.45, 0.55]    0      0.55        no       (.4,.6]
   * Bins: (.4,.6] conf .55 acc 0 gap .55; (.6,.8] conf .70 acc .5 gap .20; (.8,1] conf .90 acc 1 gap .10.
   * ECE = (.55 + 2 * .20 + .10) / 4 = .2625; MCE = .55; accuracy = .5.
   * NLL = -(ln .90 + ln .25 + ln .65 + ln .45) / 4.
   * Brier = (.02 + 1.125 + .245 + .605) / 4 = .49875.
   */
  static final double[][] P = {{0.90, 0.10}, {0.75, 0.25}, {0.35, 0.65}, {0.45, 0.55}};
  static final int[] Y = {0, 1, 1, 0};

  @Test
  void fourHandMadePredictions() {
    CalibrationMetrics m = CalibrationMetrics.of(P, Y, 5);
    assertEquals(4, m.images());
    assertEquals(0.5, m.accuracy(), 1e-12);
    assertEquals(0.2625, m.ece(), 1e-12);
    assertEquals(0.55, m.mce(), 1e-12);
    assertEquals(-(Math.log(0.90) + Math.log(0.25) + Math.log(0.65) + Math.log(0.45)) / 4, m.nll(), 1e-12);
    assertEquals(0.49875, m.brier(), 1e-12);
    List<ReliabilityBin> bins = m.reliability();
    assertEquals(5, bins.size());
    assertEquals(List.of(0, 0, 1, 2, 1), bins.stream().map(ReliabilityBin::count).toList());
    assertEquals(0.6, bins.get(3).lower(), 1e-12);
    assertEquals(0.8, bins.get(3).upper(), 1e-12);
    assertEquals(0.70, bins.get(3).meanConfidence(), 1e-12);
    assertEquals(0.5, bins.get(3).accuracy(), 1e-12);
    assertTrue(bins.get(0).isEmpty() && Double.isNaN(bins.get(0).accuracy()));
  }

  @Test
  void binsIncludeTheirRightEdge() {
    assertEquals(0, CalibrationMetrics.binOf(0.0, 15), "0 goes to the first bin");
    assertEquals(0, CalibrationMetrics.binOf(0.5, 2), "(0, .5]");
    assertEquals(1, CalibrationMetrics.binOf(0.5000001, 2));
    assertEquals(14, CalibrationMetrics.binOf(1.0, 15));
    assertEquals(13, CalibrationMetrics.binOf(14.0 / 15, 15));
    assertEquals(14, CalibrationMetrics.binOf(14.0 / 15 + 1e-9, 15));
  }

  @Test
  void aCertainWrongAnswerHasAFiniteNll() {
    CalibrationMetrics m = CalibrationMetrics.of(new double[][] {{1, 0}}, new int[] {1}, 15);
    assertEquals(-Math.log(Double.MIN_NORMAL), m.nll(), 1e-9);
    assertEquals(2.0, m.brier(), 1e-12);
    assertEquals(1.0, m.ece(), 1e-12);
  }

  @Test
  void refusesMismatchedInput() {
    assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.of(P, new int[] {0, 1}, 15));
    assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.of(P, new int[] {0, 1, 2, 0}, 15));
    assertThrows(IllegalArgumentException.class, () -> CalibrationMetrics.of(P, Y, 0));
  }

  @Test
  void certainConfidencesHaveAZeroFloor() {
    double[] c = new double[500];
    Arrays.fill(c, 1.0);
    EceFloor f = EceFloor.simulate(c, 15, 2000, 3);
    assertEquals(0.0, f.mean());
    assertEquals(0.0, f.p95());
  }

  @Test
  void theFloorOfOneImageIsKnown() {
    // One image of confidence c: correct with probability c, ECE |1 - c|; wrong otherwise, ECE c.
    // Mean 2 c (1 - c) = 0.42 for c = 0.7; the 95th percentile is the larger value, 0.7.
    EceFloor f = EceFloor.simulate(new double[] {0.7}, 15, 20_000, 5);
    assertEquals(0.42, f.mean(), 0.01);
    assertEquals(0.7, f.p95(), 1e-12);
    assertTrue(f.contains(0.3) && !f.contains(0.71));
  }

  @Test
  void theFloorAndTheBootstrapAreReproducible() {
    double[] c = new double[300];
    boolean[] right = new boolean[300];
    for (int i = 0; i < c.length; i++) {
      c[i] = 0.5 + 0.5 * i / c.length;
      right[i] = i % 4 != 0;
    }
    assertEquals(EceFloor.simulate(c, 15, 500, 9), EceFloor.simulate(c, 15, 500, 9));
    assertNotEquals(EceFloor.simulate(c, 15, 500, 9), EceFloor.simulate(c, 15, 500, 10));
    EceInterval a = EceInterval.bootstrap(c, right, 15, 500, 9);
    assertEquals(a, EceInterval.bootstrap(c, right, 15, 500, 9));
    double ece = CalibrationMetrics.ece(c, right, 15);
    assertTrue(a.low() <= ece && ece <= a.high(), a + " should hold the ECE " + ece);
    assertTrue(a.low() < a.high());
  }

  @Test
  void aPerfectSetHasAZeroInterval() {
    EceInterval i = EceInterval.bootstrap(new double[] {1, 1, 1}, new boolean[] {true, true, true}, 15, 200, 1);
    assertEquals(0.0, i.low());
    assertEquals(0.0, i.high());
  }
}
