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
public record Execution(int batchSize, int concurrency, int inFlight) implements java.io.Serializable {
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

  /** Input values one default batch holds at most: 4 Mi floats (16 MiB), 400 CIFAR-10 images and then some. */
  public static final long BATCH_VALUES = 4L << 20;

  /** The default batch size's ceiling: 400 fits a CIFAR-10 ResNet well on two cores. */
  public static final int MAX_DEFAULT_BATCH = 400;

  /**
   * The default batch size for images of {@code channels x height x width}: as many as fit {@link #BATCH_VALUES}
   * input values, at most {@link #MAX_DEFAULT_BATCH} and at least 1. 400 for CIFAR-10 (3x32x32) and MNIST, 27 for
   * 224x224 RGB, 1 above 4 M values: a model's activations grow with its input, and one call's memory with them.
   */
  public static int defaultBatchSize(int channels, int height, int width) {
    long values = (long) channels * height * width;
    if (values < 1) {
      throw new IllegalArgumentException("an image has at least one value, was " + channels + "x" + height + "x" + width);
    }
    return (int) Math.max(1, Math.min(MAX_DEFAULT_BATCH, BATCH_VALUES / values));
  }

  /** One batch in flight. */
  public Execution(int batchSize, int concurrency) {
    this(batchSize, concurrency, 1);
  }
}
