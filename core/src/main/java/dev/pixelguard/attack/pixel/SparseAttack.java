package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.BatchScheduler;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.QuerySearch;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A black-box attack that changes at most k pixels, driven as one {@link QuerySearch} per image so that a
 * {@link BatchScheduler} fills every model batch with candidates of several images. Implementations
 * supply the per-image search; running, seeding and result ordering are shared, so every sparse attack is
 * judged alike.
 */
public interface SparseAttack {

  /** One image to attack, with the model's scores for it (one row) from a clean pass. */
  record Task(String id, Image image, Goal goal, Scores clean) {
    public Task {
      if (clean.size() != 1) {
        throw new IllegalArgumentException("clean scores must have one row, have " + clean.size());
      }
    }
  }

  /** A search for one image that yields a {@link PixelAttackResult} when done. */
  interface Search extends QuerySearch {
    /** The result, once {@link #isDone()}. */
    PixelAttackResult result();
  }

  /** A new search for one task, with its own seed. */
  Search search(Task task, long seed);

  /** Pixels changed at most. */
  int pixels();

  /** Queries per image at most. */
  long budget();

  /** The root seed; image i's search uses {@code imageSeeds(n)[i]}. */
  long seed();

  /** Candidates per request of one image's search (the granularity of its query counts). */
  int requestSize();

  /** The settings by name, for reports and results files. */
  Map<String, Object> settings();

  /** Attacks one image: one clean prediction, then the search. */
  default PixelAttackResult run(Classifier classifier, Image image, Goal goal) {
    Scores clean = classifier.classify(ImageBatch.of(List.of(image)));
    return run(classifier, List.of(new Task("image", image, goal, clean)), Math.max(400, requestSize()), 1, r -> {})
        .get(0);
  }

  /**
   * Attacks many images, packing the candidates of up to {@code concurrency} images into model batches of
   * {@code batchSize}. Image i's search uses the i-th seed of {@link #imageSeeds}, so results do not depend
   * on batch size or concurrency.
   *
   * @param onResult called on this thread as each image finishes (in finishing order)
   * @return results in task order
   */
  default List<PixelAttackResult> run(Classifier classifier, List<Task> tasks, int batchSize, int concurrency,
      Consumer<PixelAttackResult> onResult) {
    long[] seeds = imageSeeds(tasks.size());
    PixelAttackResult[] results = new PixelAttackResult[tasks.size()];
    record Indexed(int index, Search search) implements QuerySearch {
      @Override
      public Candidates ask() {
        return search.ask();
      }

      @Override
      public void tell(Scores scores) {
        search.tell(scores);
      }

      @Override
      public boolean isDone() {
        return search.isDone();
      }
    }
    Iterator<Indexed> searches = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < tasks.size();
      }

      @Override
      public Indexed next() {
        Task t = tasks.get(next);
        if (!t.image().sameShape(tasks.get(0).image())) {
          throw new IllegalArgumentException("task " + next + " has a different image shape");
        }
        Indexed s = new Indexed(next, search(t, seeds[next]));
        next++;
        return s;
      }
    };
    new BatchScheduler(classifier, batchSize, concurrency).run(searches, s -> {
      PixelAttackResult r = s.search().result();
      results[s.index()] = r;
      onResult.accept(r);
    });
    return List.of(results);
  }

  /** The per-image seeds: the i-th value drawn from a generator seeded with {@link #seed()}. */
  default long[] imageSeeds(int n) {
    SplittableRandom root = new SplittableRandom(seed());
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = root.split().nextLong();
    }
    return out;
  }
}
