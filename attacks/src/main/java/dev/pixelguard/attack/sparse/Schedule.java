package dev.pixelguard.attack.sparse;

/**
 * Sparse-RS's schedules (Croce et al., AAAI 2022), rescaled to the query budget as the authors' code does: step
 * {@code i} of a budget {@code B} reads the schedule at {@code i * 10,000 / B}.
 *
 * <ul>
 *   <li>{@link #alpha}: the share of the perturbation resampled at a step. It starts at {@code alphaInit} and is
 *       piecewise constant: alphaInit / 2 after 0, then / 4 after 50, / 5 after 200, / 6 after 500, / 8 after
 *       1,000, / 10 after 2,000, / 12 after 4,000, / 15 after 6,000 and / 20 after 8,000 (of 10,000 steps).
 *   <li>{@link #resampled}: how many of k pixels that share is, at least 1.
 *   <li>{@link #window}: the side of the square sub-window of a patch (or frame) redrawn, {@code sqrt(alpha)}
 *       times the patch's side, at least 1.
 *   <li>{@link #shift}: how far a patch may move in one location update, in pixels: {@code 0.75 * (1 - i / B)}
 *       of the image's side, falling linearly to 0.
 * </ul>
 */
public final class Schedule {
  private Schedule() {}

  /**
   * The share resampled at step {@code step} of {@code budget}, in (0, alphaInit]. Step i is the i-th query after
   * the first (the starting perturbation); as in the authors' code, step 1 already uses alphaInit / 2.
   */
  public static double alpha(double alphaInit, long step, long budget) {
    long i = budget <= 0 ? step : step * 10_000 / budget;
    double divisor = i <= 0 ? 1 : i <= 50 ? 2 : i <= 200 ? 4 : i <= 500 ? 5 : i <= 1_000 ? 6 : i <= 2_000 ? 8
        : i <= 4_000 ? 10 : i <= 6_000 ? 12 : i <= 8_000 ? 15 : 20;
    return alphaInit / divisor;
  }

  /** Pixels of {@code k} to resample under share {@code alpha}: {@code floor(alpha * k)}, at least 1, at most k. */
  public static int resampled(double alpha, int k) {
    return Math.max(1, Math.min(k, (int) (alpha * k + 1e-9)));
  }

  /** The side of a square sub-window of a {@code side}-pixel patch under share {@code alpha}: at least 1. */
  public static int window(double alpha, int side) {
    return Math.max(1, Math.min(side, (int) (Math.sqrt(alpha) * side + 1e-9)));
  }

  /** Most pixels a patch may move at step {@code step} of {@code budget} in an image of side {@code extent}. */
  public static int shift(long step, long budget, int extent) {
    double t = Math.max(0, (double) (budget - step) / budget) * 0.75;
    return (int) (t * extent + 1e-9);
  }
}
