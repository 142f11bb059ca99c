package dev.pixelguard.attack.query;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs many {@link QuerySearch}es against one classifier, filling every model batch with candidates from
 * as many searches as it takes, so the model never sees a half-empty batch while work is waiting.
 *
 * <p>Up to {@code concurrency} searches are open at once; each has at most one pending request. A search on its
 * last request ({@link QuerySearch#finishing()}) no longer counts, so the next one starts at once. A request
 * larger than the space left in a batch is split across batches. When a search finishes, the next one
 * from the iterator takes its place.
 *
 * <p>With one batch in flight everything runs on the calling thread. With more, up to that many batches are
 * scored at once on worker threads while the calling thread builds the next batch from other searches'
 * requests, so the cores stay busy even when the engine uses one thread per call, and building batches
 * overlaps scoring. Searches are still told their scores on the calling thread, each in the order of its own
 * requests, so no search's outcome depends on how many batches are in flight (given an engine whose scores of
 * an image do not depend on the rest of its batch). The classifier must then accept concurrent calls, as
 * ONNX Runtime's sessions do.
 */
public final class BatchScheduler {
  private final Classifier classifier;
  private final int batchSize;
  private final int concurrency;
  private final int inFlight;

  /**
   * @param batchSize images per model call, at least 1 (400 fits a CIFAR-10 ResNet well on two cores)
   * @param concurrency searches open at once, at least 1; 2 or more keeps batches full when requests are
   *     smaller than a batch
   */
  public BatchScheduler(Classifier classifier, int batchSize, int concurrency) {
    this(classifier, batchSize, concurrency, 1);
  }

  /**
   * @param inFlight model batches scored at once, at least 1; more than 1 needs a classifier that accepts
   *     concurrent calls
   */
  public BatchScheduler(Classifier classifier, int batchSize, int concurrency, int inFlight) {
    if (inFlight < 1) {
      throw new IllegalArgumentException("batches in flight must be at least 1, was " + inFlight);
    }
    this.inFlight = inFlight;
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
    }
    this.classifier = classifier;
    this.batchSize = batchSize;
    this.concurrency = concurrency;
  }

  private static final class Request<S> {
    final S search;
    final QuerySearch.Candidates candidates;
    final List<Scores> parts = new ArrayList<>(2);
    int sent;
    int scored;

    Request(S search, QuerySearch.Candidates candidates) {
      this.search = search;
      this.candidates = candidates;
    }
  }

  private record Segment<S>(Request<S> request, int offsetInBatch, int count) {}

  /**
   * Drives every search to completion.
   *
   * @param searches the searches, started in order as capacity frees up
   * @param onDone called once per search as it finishes, on this thread
   */
  public <S extends QuerySearch> void run(Iterator<S> searches, Consumer<? super S> onDone) {
    ExecutorService pool = inFlight == 1 ? null : Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "pixelguard-batch");
      t.setDaemon(true);
      return t;
    });
    try {
      drive(searches, onDone, pool);
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /** A batch sent to the model: its segments, and its scores once they come. */
  private record Sent<S>(List<Segment<S>> segments, Future<Scores> scores) {}

  private <S extends QuerySearch> void drive(Iterator<S> searches, Consumer<? super S> onDone, ExecutorService pool) {
    ModelInfo info = classifier.info();
    int per = info.channels() * info.height() * info.width();
    Deque<Request<S>> queue = new ArrayDeque<>();
    Deque<Sent<S>> sent = new ArrayDeque<>();
    Set<S> released = Collections.newSetFromMap(new IdentityHashMap<>());
    int open = 0;
    while (open < concurrency && searches.hasNext()) {
      open += start(searches.next(), queue, onDone);
    }
    while (!queue.isEmpty()) {
      while (sent.size() < inFlight) {
        Sent<S> batch = send(queue, per, info, pool);
        if (batch == null) {
          break; // every request is sent: wait for scores
        }
        sent.addLast(batch);
      }
      Sent<S> oldest = sent.removeFirst();
      Scores scores = scores(oldest.scores());
      for (Segment<S> seg : oldest.segments()) {
        Request<S> r = seg.request();
        r.parts.add(scores.slice(seg.offsetInBatch(), seg.offsetInBatch() + seg.count()));
        r.scored += seg.count();
        if (r.scored == r.candidates.size()) {
          queue.remove(r);
          r.search.tell(r.parts.size() == 1 ? r.parts.get(0) : Scores.concat(r.parts));
          if (r.search.isDone()) {
            if (!released.remove(r.search)) {
              open--;
            }
            onDone.accept(r.search);
          } else {
            enqueue(r.search, queue);
            // A search on its last small request (a final check) gives up its place, so batches stay full.
            if (r.search.finishing() && released.add(r.search)) {
              open--;
            }
          }
          while (open < concurrency && searches.hasNext()) {
            open += start(searches.next(), queue, onDone);
          }
        }
      }
    }
  }

  /**
   * Builds the next batch from the requests' unsent candidates, in queue order, and sends it: on the calling
   * thread with no pool, else to the pool. Returns null when no candidate is waiting to be sent.
   */
  private <S extends QuerySearch> Sent<S> send(Deque<Request<S>> queue, int per, ModelInfo info,
      ExecutorService pool) {
    int rows = 0;
    for (Request<S> r : queue) {
      rows += r.candidates.size() - r.sent;
      if (rows >= batchSize) {
        break;
      }
    }
    rows = Math.min(rows, batchSize);
    if (rows == 0) {
      return null;
    }
    float[] data = new float[rows * per];
    List<Segment<S>> segments = new ArrayList<>();
    int filled = 0;
    Iterator<Request<S>> it = queue.iterator();
    while (filled < rows && it.hasNext()) {
      Request<S> r = it.next();
      int m = Math.min(rows - filled, r.candidates.size() - r.sent);
      if (m == 0) {
        continue; // sent in full, its scores still to come
      }
      for (int j = 0; j < m; j++) {
        r.candidates.write(r.sent + j, data, (filled + j) * per);
      }
      segments.add(new Segment<>(r, filled, m));
      r.sent += m;
      filled += m;
    }
    ImageBatch batch = ImageBatch.wrap(rows, info.channels(), info.height(), info.width(), data);
    Future<Scores> f = pool == null ? CompletableFuture.completedFuture(classifier.classify(batch))
        : pool.submit(() -> classifier.classify(batch));
    return new Sent<>(segments, f);
  }

  private static Scores scores(Future<Scores> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the model scored a batch", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re; // the model's own failure (an input error, a transient one), as on one thread
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  /** Starts a search; returns 1 if it is now open, 0 if it was already done. */
  private static <S extends QuerySearch> int start(S s, Deque<Request<S>> queue, Consumer<? super S> onDone) {
    if (s.isDone()) {
      onDone.accept(s);
      return 0;
    }
    enqueue(s, queue);
    return 1;
  }

  private static <S extends QuerySearch> void enqueue(S s, Deque<Request<S>> queue) {
    QuerySearch.Candidates c = s.ask();
    if (c.size() == 0) {
      throw new IllegalStateException("a search that is not done asked for no candidates");
    }
    queue.addLast(new Request<>(s, c));
  }
}
