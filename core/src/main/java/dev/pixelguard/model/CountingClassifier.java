package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every image sent to the wrapped classifier: the query count of a black-box attack. Thread-safe.
 * Closing it closes the wrapped classifier.
 */
public final class CountingClassifier implements Classifier {
  private final Classifier inner;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  public CountingClassifier(Classifier inner) {
    this.inner = inner;
  }

  @Override
  public ModelInfo info() {
    return inner.info();
  }

  @Override
  public Scores classify(ImageBatch batch) {
    long t0 = System.nanoTime();
    Scores s = inner.classify(batch);
    nanos.addAndGet(System.nanoTime() - t0);
    queries.addAndGet(batch.size());
    batches.incrementAndGet();
    return s;
  }

  /** Images sent so far. */
  public long queries() {
    return queries.get();
  }

  /** Batches sent so far. */
  public long batches() {
    return batches.get();
  }

  /** Time spent inside the wrapped classifier, in nanoseconds. */
  public long modelNanos() {
    return nanos.get();
  }

  @Override
  public void close() {
    inner.close();
  }
}
