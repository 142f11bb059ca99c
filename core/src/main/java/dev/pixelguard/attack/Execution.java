package dev.pixelguard.attack;

/**
 * How an attack is run, never what it finds: results do not depend on these.
 *
 * @param batchSize images per model call, at least 1 (400 fits a CIFAR-10 ResNet well on two cores)
 * @param concurrency images attacked at once, at least 1; query attacks pack their candidates into shared
 *     batches, so 2 or more keeps batches full when one image's requests are smaller than a batch
 */
public record Execution(int batchSize, int concurrency) {
  /** 400 images per call, 16 images at once. */
  public static final Execution DEFAULT = new Execution(400, 16);

  public Execution {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
  }
}
