package dev.pixelguard.attack;

/**
 * What an attack spent on one image.
 *
 * @param queries images it sent to the model for scores (its clean prediction and the final check excluded)
 * @param gradients gradient passes it made for this image (each one forward and one backward pass)
 * @param firstSuccessQuery for query attacks, queries spent when the search first saw a success (at the
 *     granularity of its requests), or -1
 * @param nanos wall time from its first request to its end, in nanoseconds (when several images are attacked
 *     together, their times overlap)
 */
public record Cost(long queries, long gradients, long firstSuccessQuery, long nanos) {
  /** Wall time in seconds. */
  public double seconds() {
    return nanos / 1e9;
  }
}
