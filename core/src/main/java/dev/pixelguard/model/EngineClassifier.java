package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.util.function.Supplier;

/**
 * A classifier whose model runs in a native engine (ONNX Runtime, libtorch): images travel through a
 * {@link TensorCodec}, and every call into the engine goes through {@link #call}, so that none starts once a stop
 * was requested ({@link dev.pixelguard.Stop}) or the model is closed, and closing ({@link #closeEngine}) waits for
 * the calls in flight: the engine's memory is never freed under a running call. A backend implements
 * {@link #scores} and {@link #close}.
 */
public abstract class EngineClassifier implements Classifier {
  private final TensorCodec codec;
  private final EngineCalls calls;

  protected EngineClassifier(TensorCodec codec) {
    this.codec = codec;
    this.calls = new EngineCalls(codec.info().name());
  }

  /** How images become the engine's tensors and its outputs become scores. */
  protected final TensorCodec codec() {
    return codec;
  }

  @Override
  public final ModelInfo info() {
    return codec.info();
  }

  @Override
  public final Scores classify(ImageBatch batch) {
    return calls.run(() -> scores(batch));
  }

  /** The engine's scores for a batch; runs inside {@link #call}. */
  protected abstract Scores scores(ImageBatch batch);

  /**
   * Runs one call into the engine (a gradient pass, say).
   *
   * @throws dev.pixelguard.Stop.StoppedException if a stop was requested
   * @throws IllegalStateException if the model is closed
   */
  protected final <T> T call(Supplier<T> work) {
    return calls.run(work);
  }

  /** Waits for the calls in flight to end, then runs {@code close} once; calls after it are refused. */
  protected final void closeEngine(Runnable close) {
    calls.close(close);
  }
}
