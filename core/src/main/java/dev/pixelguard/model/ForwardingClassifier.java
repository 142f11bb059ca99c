package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;

/**
 * A classifier that forwards everything to another: the base of wrappers (other class names, counting,
 * label-only views, and defences) that override only what they change. Closing it closes the wrapped
 * classifier. To keep a {@link GradientClassifier}'s powers, extend {@link ForwardingGradientClassifier}.
 */
public class ForwardingClassifier implements Classifier {
  private final Classifier delegate;

  public ForwardingClassifier(Classifier delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate);
  }

  /** The wrapped classifier. */
  protected Classifier delegate() {
    return delegate;
  }

  @Override
  public ModelInfo info() {
    return delegate.info();
  }

  @Override
  public Scores classify(ImageBatch batch) {
    return delegate.classify(batch);
  }

  @Override
  public <T> java.util.Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : delegate.unwrap(type);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
