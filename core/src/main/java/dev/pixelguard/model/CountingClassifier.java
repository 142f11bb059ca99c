package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every image sent to the wrapped classifier (the query count of a black-box attack), the time spent
 * in it, and, when it wraps a {@link GradientClassifier}, every image of every gradient pass. Make one with
 * {@link #of}, which keeps a gradient classifier one. Thread-safe. Closing it closes the wrapped classifier.
 */
public class CountingClassifier extends ForwardingClassifier {
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong gradients = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  private CountingClassifier(Classifier inner) {
    super(inner);
  }

  /** A counting view of {@code inner}: a {@link Gradient} (also a GradientClassifier) when inner is one. */
  public static CountingClassifier of(Classifier inner) {
    return inner instanceof GradientClassifier g ? new Gradient(g) : new CountingClassifier(inner);
  }

  @Override
  public Scores classify(ImageBatch batch) {
    long t0 = System.nanoTime();
    Scores s = super.classify(batch);
    nanos.addAndGet(System.nanoTime() - t0);
    queries.addAndGet(batch.size());
    batches.incrementAndGet();
    return s;
  }

  /** Images sent for scores so far (gradient passes not included). */
  public long queries() {
    return queries.get();
  }

  /** Batches sent for scores so far. */
  public long batches() {
    return batches.get();
  }

  /** Images sent through gradient passes so far (one forward and one backward pass each). */
  public long gradients() {
    return gradients.get();
  }

  /** Time spent inside the wrapped classifier, scores and gradients, in nanoseconds. */
  public long modelNanos() {
    return nanos.get();
  }

  /** The counting view of a gradient classifier: also counts gradient passes. */
  public static final class Gradient extends CountingClassifier implements GradientClassifier {
    private Gradient(GradientClassifier inner) {
      super(inner);
    }

    @Override
    public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
      long t0 = System.nanoTime();
      LossGradient g = ((GradientClassifier) delegate()).lossGradient(batch, loss, classes);
      super.nanos.addAndGet(System.nanoTime() - t0);
      super.gradients.addAndGet(batch.size());
      return g;
    }
  }
}
