package dev.pixelguard.attack.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Sparse-RS's schedules at their breakpoints, worked by hand from the paper's piecewise constants. */
class ScheduleTest {
  @Test
  void alphaHalvesAfterTheFirstQueryThenFollowsThePiecewiseDivisors() {
    double a = 0.3;
    assertEquals(0.3, Schedule.alpha(a, 0, 10_000), 1e-12);
    assertEquals(0.15, Schedule.alpha(a, 1, 10_000), 1e-12);
    assertEquals(0.15, Schedule.alpha(a, 50, 10_000), 1e-12);
    assertEquals(0.075, Schedule.alpha(a, 51, 10_000), 1e-12);
    assertEquals(0.075, Schedule.alpha(a, 200, 10_000), 1e-12);
    assertEquals(0.06, Schedule.alpha(a, 201, 10_000), 1e-12);
    assertEquals(0.05, Schedule.alpha(a, 501, 10_000), 1e-12);
    assertEquals(0.0375, Schedule.alpha(a, 1_001, 10_000), 1e-12);
    assertEquals(0.03, Schedule.alpha(a, 2_001, 10_000), 1e-12);
    assertEquals(0.025, Schedule.alpha(a, 4_001, 10_000), 1e-12);
    assertEquals(0.02, Schedule.alpha(a, 6_001, 10_000), 1e-12);
    assertEquals(0.015, Schedule.alpha(a, 8_001, 10_000), 1e-12);
    assertEquals(0.015, Schedule.alpha(a, 9_999, 10_000), 1e-12);
  }

  @Test
  void alphaIsRescaledToTheBudget() {
    // With 1,000 queries, step 5 reads the schedule at 50 and step 6 at 60.
    assertEquals(0.2, Schedule.alpha(0.4, 5, 1_000), 1e-12);
    assertEquals(0.1, Schedule.alpha(0.4, 6, 1_000), 1e-12);
    // With 20,000, step 100 reads it at 50.
    assertEquals(0.2, Schedule.alpha(0.4, 100, 20_000), 1e-12);
    assertEquals(0.1, Schedule.alpha(0.4, 102, 20_000), 1e-12);
  }

  @Test
  void resampledPixelsAreTheFloorOfTheShareAtLeastOneAtMostK() {
    assertEquals(3, Schedule.resampled(0.3, 10));
    assertEquals(1, Schedule.resampled(0.15, 10));
    assertEquals(1, Schedule.resampled(0.01, 3));
    assertEquals(15, Schedule.resampled(0.15, 100));
    assertEquals(4, Schedule.resampled(1.0, 4));
  }

  @Test
  void windowIsTheSquareRootOfTheShareTimesTheSide() {
    assertEquals(1, Schedule.window(0.2, 4)); // sqrt(0.2) * 4 = 1.79
    assertEquals(2, Schedule.window(0.25, 4));
    assertEquals(6, Schedule.window(0.4, 10)); // 6.32
    assertEquals(1, Schedule.window(0.001, 8));
  }

  @Test
  void shiftFallsLinearlyFromThreeQuartersOfTheImage() {
    assertEquals(24, Schedule.shift(0, 10_000, 32));
    assertEquals(12, Schedule.shift(5_000, 10_000, 32));
    assertEquals(2, Schedule.shift(9_000, 10_000, 32)); // 0.075 * 32 = 2.4
    assertEquals(0, Schedule.shift(9_999, 10_000, 32)); // 0.0024
    assertEquals(0, Schedule.shift(10_000, 10_000, 32));
  }
}
