package dev.pixelguard.serve;

import dev.pixelguard.image.ImageBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Groups concurrent requests into model batches. Requests wait in a queue bounded in images; each of a few
 * worker threads takes the oldest, then keeps taking until its batch holds {@code maxBatch} images or
 * {@code maxWait} has passed since it took the first, runs the model once, and hands each request its rows.
 * With two or more workers one batch is gathered (and its requests parsed) while another runs. A request that
 * would overfill the queue is refused at once ({@link #offer} returns null), so that the server can answer
 * 503 rather than fall over. A request larger than {@code maxBatch} runs as a batch of its own.
 *
 * @param <R> one image's answer
 */
final class MicroBatcher<R> implements AutoCloseable {
  /** One request: its images, and the future its rows complete. */
  private record Pending<R>(ImageBatch images, long enqueued, CompletableFuture<List<R>> done) {}

  /** What one model batch was: its size and how long its oldest request waited before it ran, in seconds. */
  record BatchEvent(int images, int requests, double waitSeconds, double runSeconds) {}

  private final Function<ImageBatch, List<R>> model;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final int capacity;
  private final LinkedBlockingQueue<Pending<R>> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedImages = new AtomicInteger();
  private final java.util.function.Consumer<BatchEvent> onBatch;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean stopping;

  MicroBatcher(Function<ImageBatch, List<R>> model, int maxBatch, long maxWaitMicros, int capacity, int workers,
      java.util.function.Consumer<BatchEvent> onBatch) {
    this.model = model;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = maxWaitMicros * 1000;
    this.capacity = capacity;
    this.onBatch = onBatch;
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::loop, "pixelguard-batcher-" + (i + 1));
      t.setDaemon(true);
      t.start();
      this.workers.add(t);
    }
  }

  /** Images waiting now. */
  int queued() {
    return queuedImages.get();
  }

  /** Whether a request of {@code n} images would be refused now (what {@link #offer} would say). */
  boolean full(int n) {
    int q = queuedImages.get();
    return stopping || (q > 0 && q + n > capacity);
  }

  /**
   * Queues a request.
   *
   * @return the future of its rows, in image order, or null when the queue is full or the batcher stopping
   */
  CompletableFuture<List<R>> offer(ImageBatch images) {
    int n = images.size();
    while (true) {
      int q = queuedImages.get();
      if (stopping || (q > 0 && q + n > capacity)) {
        return null;
      }
      if (queuedImages.compareAndSet(q, q + n)) {
        break;
      }
    }
    Pending<R> p = new Pending<>(images, System.nanoTime(), new CompletableFuture<>());
    queue.add(p);
    return p.done;
  }

  private void loop() {
    List<Pending<R>> batch = new ArrayList<>();
    Pending<R> carried = null;
    while (true) {
      try {
        Pending<R> first = carried != null ? carried : queue.poll(50, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null) {
          if (stopping && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.clear();
        batch.add(first);
        int size = first.images.size();
        long deadline = System.nanoTime() + maxWaitNanos;
        while (size < maxBatch) {
          long left = deadline - System.nanoTime();
          Pending<R> next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          if (size + next.images.size() > maxBatch) {
            carried = next;
            break;
          }
          batch.add(next);
          size += next.images.size();
        }
        run(batch, size, first.enqueued);
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
      }
    }
  }

  private void run(List<Pending<R>> batch, int size, long oldest) {
    queuedImages.addAndGet(-size);
    long start = System.nanoTime();
    try {
      ImageBatch images = batch.size() == 1 ? batch.get(0).images : concat(batch, size);
      List<R> rows = model.apply(images);
      int at = 0;
      for (Pending<R> p : batch) {
        int n = p.images.size();
        p.done.complete(List.copyOf(rows.subList(at, at + n)));
        at += n;
      }
    } catch (RuntimeException | Error e) {
      for (Pending<R> p : batch) {
        p.done.completeExceptionally(e);
      }
    }
    long end = System.nanoTime();
    onBatch.accept(new BatchEvent(size, batch.size(), (start - oldest) / 1e9, (end - start) / 1e9));
  }

  private static <R> ImageBatch concat(List<Pending<R>> batch, int size) {
    ImageBatch f = batch.get(0).images;
    int per = f.imageLength();
    float[] data = new float[size * per];
    int at = 0;
    for (Pending<R> p : batch) {
      p.images.copyTo(data, at * per);
      at += p.images.size();
    }
    return ImageBatch.wrap(size, f.channels(), f.height(), f.width(), data);
  }

  /** Refuses new requests, answers those queued, and stops the worker (waiting up to {@code millis}). */
  @Override
  public void close() {
    close(30_000);
  }

  void close(long millis) {
    stopping = true;
    long deadline = System.currentTimeMillis() + millis;
    for (Thread worker : workers) {
      try {
        worker.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (worker.isAlive()) {
        worker.interrupt();
      }
    }
    Pending<R> p;
    while ((p = queue.poll()) != null) {
      p.done.completeExceptionally(new IllegalStateException("the server is shutting down"));
    }
  }
}
