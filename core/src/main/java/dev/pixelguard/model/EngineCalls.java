package dev.pixelguard.model;

import dev.pixelguard.Stop;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The calls a model backend has in flight in its engine, which is native code (ONNX Runtime, libtorch): any
 * number run at once, none starts once a stop was requested ({@link Stop}) or the model is closed, and closing
 * waits for those in flight, so the engine's memory is never freed under a running call. A backend runs every
 * call into its engine through {@link #run} and closes the engine through {@link #close}.
 */
final class EngineCalls {
  private final String name;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** @param name the model's name, for the message of a call made after closing */
  EngineCalls(String name) {
    this.name = name;
  }

  /**
   * Runs one call into the engine.
   *
   * @throws dev.pixelguard.Stop.StoppedException if a stop was requested
   * @throws IllegalStateException if the model is closed
   */
  <T> T run(Supplier<T> call) {
    Stop.check();
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("model " + name + " is closed");
      }
      return call.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Waits for the calls in flight to end, then runs {@code close} once; calls after it are refused. */
  void close(Runnable close) {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        close.run();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
