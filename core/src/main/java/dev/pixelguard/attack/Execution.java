package dev.pixelguard.attack;

/**
 * How an attack is run, never what it finds: results do not depend on these.
 *
 * @param batchSize images per model call, at least 1 (400 fits a CIFAR-10 ResNet well on two cores)
 * @param concurrency images attacked at once, at least 1; query attacks pack their candidates into shared
 *     batches, so 2 or more keeps batches full when one image's requests are smaller than a batch
 * @param inFlight model batches of a query attack scored at once, at least 1; more than 1 keeps every core
 *     busy with an engine that uses one thread per call, and overlaps building batches with scoring; the
 *     model must accept concurrent calls (ONNX Runtime does)
 */
public record Execution(int batchSize, int concurrency, int inFlight) {
  /** 400 images per call, 16 images at once, one batch in flight. */
  public static final Execution DEFAULT = new Execution(400, 16);

  public Execution {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    if (inFlight < 1) {
      throw new IllegalArgumentException("batches in flight must be at least 1, was " + inFlight);
    }
  }

  /** One batch in flight. */
  public Execution(int batchSize, int concurrency) {
    this(batchSize, concurrency, 1);
  }
}
