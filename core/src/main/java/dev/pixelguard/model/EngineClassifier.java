package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
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
   * Scores {@code batch} as consecutive engine calls of at most {@code valuesPerCall} input values each (at least
   * one image a call), for an engine that slows on large batches: the batch is encoded once and {@code forward}
   * gets each call's slice of it with its image count; the parts' scores are joined in order. The scores are the
   * same image by image whenever the engine's answer for an image does not depend on the rest of its call.
   */
  protected final Scores inCallsOf(long valuesPerCall, ImageBatch batch,
      BiFunction<FloatBuffer, Integer, Scores> forward) {
    int n = batch.size();
    int per = (int) Math.max(1, valuesPerCall / batch.imageLength());
    FloatBuffer x = codec.encode(batch);
    if (n <= per) {
      return forward.apply(x, n);
    }
    int values = x.remaining() / n;
    List<Scores> parts = new ArrayList<>();
    for (int from = 0; from < n; from += per) {
      int k = Math.min(per, n - from);
      parts.add(forward.apply(x.slice(x.position() + from * values, k * values), k));
    }
    return Scores.concat(parts);
  }

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
