package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;

/**
 * A black-box image classifier: a batch of images in, class scores out.
 *
 * <p>This is all a black-box attack such as the one-pixel attack may use. Implementations adapt the batch
 * (NCHW, values in [0, 1]) to their model's layout, value range and normalisation, as described by a
 * {@link ModelSpec}, and must not keep a reference to the batch after {@link #classify} returns.
 * Implementations that wrap native engines hold native resources: close them.
 */
public interface Classifier extends AutoCloseable {

  /** Input shape, class count and class names. */
  ModelInfo info();

  /**
   * Scores a batch.
   *
   * @param batch images of shape [N, C, H, W] matching {@link #info()}, values in [0, 1]
   * @return probabilities [N][K] (rows sum to 1), and logits [N][K] where the model gives them
   * @throws dev.pixelguard.InputException if the model's output is not a valid [N, K] score matrix
   */
  Scores classify(ImageBatch batch);

  /** Probabilities [N][K] for a batch; see {@link #classify}. */
  default float[][] probabilities(ImageBatch batch) {
    Scores s = classify(batch);
    float[][] out = new float[s.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = s.probabilities(i);
    }
    return out;
  }

  /**
   * This classifier, or one it wraps, as an instance of {@code type}: the way to reach what a wrapper hides
   * (the remote connection behind a temperature-scaled model, say), in the manner of JDBC's
   * {@code Wrapper.unwrap}. Wrappers that extend {@link ForwardingClassifier} look through themselves.
   *
   * @return the first of this and the classifiers it wraps (outermost first) that is a {@code type}, or empty
   */
  default <T> java.util.Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? java.util.Optional.of(type.cast(this)) : java.util.Optional.empty();
  }

  @Override
  default void close() {}
}
