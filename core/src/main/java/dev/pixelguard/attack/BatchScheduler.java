package dev.pixelguard.attack;

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
import java.util.function.Consumer;

/**
 * Runs many {@link QuerySearch}es against one classifier, filling every model batch with candidates from
 * as many searches as it takes, so the model never sees a half-empty batch while work is waiting.
 *
 * <p>Up to {@code concurrency} searches are open at once; each has at most one pending request. A search on its
 * last request ({@link QuerySearch#finishing()}) no longer counts, so the next one starts at once. A request
 * larger than the space left in a batch is split across batches. When a search finishes, the next one
 * from the iterator takes its place. Runs on the calling thread; the model call dominates.
 */
public final class BatchScheduler {
  private final Classifier classifier;
  private final int batchSize;
  private final int concurrency;

  /**
   * @param batchSize images per model call, at least 1 (400 fits a CIFAR-10 ResNet well on two cores)
   * @param concurrency searches open at once, at least 1; 2 or more keeps batches full when requests are
   *     smaller than a batch
   */
  public BatchScheduler(Classifier classifier, int batchSize, int concurrency) {
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
    ModelInfo info = classifier.info();
    int per = info.channels() * info.height() * info.width();
    Deque<Request<S>> queue = new ArrayDeque<>();
    Set<S> released = Collections.newSetFromMap(new IdentityHashMap<>());
    int open = 0;
    while (open < concurrency && searches.hasNext()) {
      open += start(searches.next(), queue, onDone);
    }
    while (!queue.isEmpty()) {
      int rows = 0;
      for (Request<S> r : queue) {
        rows += r.candidates.size() - r.sent;
        if (rows >= batchSize) {
          break;
        }
      }
      rows = Math.min(rows, batchSize);
      float[] data = new float[rows * per];
      List<Segment<S>> segments = new ArrayList<>();
      int filled = 0;
      Iterator<Request<S>> it = queue.iterator();
      while (filled < rows && it.hasNext()) {
        Request<S> r = it.next();
        int m = Math.min(rows - filled, r.candidates.size() - r.sent);
        for (int j = 0; j < m; j++) {
          r.candidates.write(r.sent + j, data, (filled + j) * per);
        }
        segments.add(new Segment<>(r, filled, m));
        r.sent += m;
        filled += m;
      }
      Scores scores = classifier.classify(ImageBatch.wrap(rows, info.channels(), info.height(), info.width(), data));
      for (Segment<S> seg : segments) {
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
