package dev.pixelguard.eval;

import static dev.pixelguard.testing.Outcomes.A;
import static dev.pixelguard.testing.Outcomes.B;
import static dev.pixelguard.testing.Outcomes.attempt;
import static dev.pixelguard.testing.Outcomes.image;
import static dev.pixelguard.testing.Outcomes.prediction;
import static dev.pixelguard.testing.Outcomes.untargeted;
import static dev.pixelguard.testing.Outcomes.withPixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.image.Image;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every summary figure, exactly, on hand-made outcomes. */
class SummaryTest {
  @Test
  void untargetedFigures() {
    Summary s = Summary.of(untargeted(), 3);
    assertEquals(5, s.evaluated());
    assertEquals(4, s.labelled());
    assertEquals(3, s.cleanCorrect());
    assertEquals(0.75, s.cleanAccuracy(), 0);
    assertEquals(3, s.attacked());
    assertEquals(3, s.attempts());
    assertEquals(2, s.successes());
    assertEquals(2, s.fooled());
    assertEquals(2 / 3.0, s.successRate(), 1e-15);
    assertEquals(1 / 3.0, s.robustAccuracy(), 1e-15);
    assertEquals(0.25, s.accuracyUnderAttack(), 0, "(3 correct - 2 fooled) / 4 labelled");
    assertEquals(0.7, s.meanAdversarialConfidence(), 1e-7);
    assertEquals(200, s.meanQueriesOnSuccess(), 0);
    assertEquals(200, s.medianQueriesOnSuccess(), 0, "median of 100 and 300");
    assertEquals(900, s.attackQueries());
    assertEquals(0, s.gradients());
    assertEquals(1, s.meanPixelsOnSuccess(), 0);
    assertEquals(1, s.meanLinfOnSuccess(), 1e-7, "one value from 0 to 1, and one from 1 to 0");
    assertEquals(1, s.meanL2OnSuccess(), 1e-7);
    assertEquals(1 / 3.0, s.successRateByBudget().get(100L), 1e-15, "one first success within 100 queries");
    assertEquals(2 / 3.0, s.successRateByBudget().get(500L), 1e-15);
    assertEquals(List.of(100L, 500L, 1_000L, 2_000L, 5_000L, 10_000L, 20_000L, 40_000L),
        List.copyOf(s.successRateByBudget().keySet()));
    assertArrayEquals(new int[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 0}}, s.transitions());
    assertArrayEquals(new int[3][3], s.targetTried());
  }

  @Test
  void everyOtherClassCountsPairsAndImages() {
    // Image of class 0 attacked toward 1 (reached, 3 gradient passes) and 2 (not); class 1 toward 0 and 2 (neither).
    float[] dense = {0.1f, 0.1f, 0.1f, 0.1f};
    List<ImageOutcome> images = List.of(
        new ImageOutcome(0, "a", 0, prediction(0, 0.9f), null, List.of(
            attempt("a", A, 0, new Goal.Targeted(1), dense, prediction(1, 0.5f), 0, 3, -1, null),
            attempt("a", A, 0, new Goal.Targeted(2), dense, prediction(0, 0.5f), 0, 10, -1, null))),
        new ImageOutcome(1, "b", 1, prediction(1, 0.9f), null, List.of(
            attempt("b", A, 1, new Goal.Targeted(0), dense, prediction(1, 0.5f), 0, 10, -1, null),
            attempt("b", A, 1, new Goal.Targeted(2), dense, prediction(1, 0.5f), 0, 10, -1, null))));
    Summary s = Summary.of(images, 3);
    assertEquals(2, s.attacked());
    assertEquals(4, s.attempts());
    assertEquals(1, s.successes());
    assertEquals(1, s.fooled());
    assertEquals(0.25, s.successRate(), 0);
    assertEquals(0.5, s.robustAccuracy(), 0, "one of two images resisted every target");
    assertEquals(0.5, s.accuracyUnderAttack(), 0);
    assertEquals(33, s.gradients());
    assertTrue(s.successRateByBudget().isEmpty(), "no queries, no success-by-budget curve");
    assertEquals(4, s.meanPixelsOnSuccess(), 0);
    assertEquals(0.1, s.meanLinfOnSuccess(), 1e-7);
    assertEquals(0.2, s.meanL2OnSuccess(), 1e-7);
    assertArrayEquals(new int[][] {{0, 1, 1}, {1, 0, 1}, {0, 0, 0}}, s.targetTried());
    assertArrayEquals(new int[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 0}}, s.targetSuccesses());
    assertArrayEquals(new int[][] {{0, 1, 0}, {0, 0, 0}, {0, 0, 0}}, s.transitions());
  }

  @Test
  void nothingAttackedGivesUndefinedRatesNotZeros() {
    Summary s = Summary.of(List.of(new ImageOutcome(0, "m", 1, prediction(0, 0.9f), "misclassified", List.of())), 3);
    assertEquals(0, s.cleanAccuracy(), 0);
    assertTrue(Double.isNaN(s.successRate()));
    assertTrue(Double.isNaN(s.robustAccuracy()));
    assertTrue(Double.isNaN(s.meanQueriesOnSuccess()));
    assertEquals(0, s.accuracyUnderAttack(), 0);
    assertArrayEquals(new int[3][3], s.transitions());
  }
}
