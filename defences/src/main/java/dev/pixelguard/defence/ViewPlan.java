package dev.pixelguard.defence;

import dev.pixelguard.transform.Transform;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a gate runs its views on a batch with as little work as gives the same answers. Each view is a model
 * (a classifier other views may share) looking at the image, or at the scene's other frame, possibly
 * through a transform ({@link TransformedClassifier}). For a batch it:
 *
 * <ol>
 *   <li>applies each distinct transform (equal transform and root seed) once per frame, shared by every model
 *       that looks through it (a transform's output depends only on the image, the transform and the root
 *       seed, so every model would compute the same images);
 *   <li>sends each model every distinct image it has to score once: an image a transform left unchanged is
 *       the plain image (a view whose transform is the identity on it is not run again), and equal images
 *       within the batch (the same candidate twice, colours a filter undoes alike) are scored once;
 *   <li>runs the model passes in parallel on up to {@code parallelism} threads, each model's images split
 *       into at most that many parts of at most the batch's own size.
 * </ol>
 *
 * <p>Every view still gets, for every image, the scores its model gives that image (or its transformed
 * copy): the same numbers as running the views one by one ({@link Gate#viewByView()}), whenever the
 * model's answer for an image does not depend on the other images in its batch (true of ONNX Runtime and of
 * pixelguard's wrappers; an image's outcome never depended on its batch anyway). Thread-safety: the models
 * must accept concurrent calls (ONNX Runtime sessions and pixelguard's classifiers do).
 */
final class ViewPlan {
  /** Where one view's images come from. */
  private record Route(int model, int transform, boolean otherFrame) {}

  /** A transform with the root seed its random draws come from: equal keys transform alike. */
  private record TransformKey(Transform transform, long rootSeed) {}

  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pixelguard-gate");
    t.setDaemon(true);
    return t;
  });

  private final List<Classifier> models = new ArrayList<>();
  private final List<TransformKey> transforms = new ArrayList<>();
  private final Route[] routes;

  ViewPlan(List<Gate.View> views) {
    Map<Classifier, Integer> modelIndex = new IdentityHashMap<>();
    Map<TransformKey, Integer> transformIndex = new HashMap<>();
    routes = new Route[views.size()];
    for (int v = 0; v < routes.length; v++) {
      Gate.View view = views.get(v);
      Classifier base = view.classifier();
      int t = -1;
      if (base instanceof TransformedClassifier tc) {
        TransformKey key = new TransformKey(tc.transform(), tc.rootSeed());
        t = transformIndex.computeIfAbsent(key, k -> {
          transforms.add(k);
          return transforms.size() - 1;
        });
        base = tc.base();
      }
      int m = modelIndex.computeIfAbsent(base, k -> {
        models.add(k);
        return models.size() - 1;
      });
      routes[v] = new Route(m, t, view.otherFrame());
    }
  }

  /** How many distinct models the views run on. */
  int models() {
    return models.size();
  }

  /**
   * Every view's probabilities for every image, [V][N][K].
   *
   * @param images the images decided on
   * @param frames the scene's other frame of each image (same size and shape), or null when no view looks at it
   * @param parallelism threads the work may use, at least 1 (the calling thread is one of them)
   */
  float[][][] probabilities(ImageBatch images, ImageBatch frames, int parallelism) {
    int n = images.size();
    if (n == 0) {
      return new float[routes.length][0][];
    }
    int len = images.imageLength();
    int c = images.channels();
    int h = images.height();
    int w = images.width();
    float[][] source = new float[2][];
    source[0] = new float[n * len];
    images.copyTo(source[0], 0);
    if (frames != null) {
      source[1] = new float[n * len];
      frames.copyTo(source[1], 0);
    }
    // 1. each distinct (transform, frame) once, images split across threads
    float[][][] transformed = new float[transforms.size()][2][];
    List<Runnable> work = new ArrayList<>();
    int block = Math.max(1, (n + parallelism - 1) / parallelism);
    for (Route r : routes) {
      int f = r.otherFrame() ? 1 : 0;
      if (r.transform() >= 0 && transformed[r.transform()][f] == null) {
        float[] src = source[f];
        float[] dst = new float[n * len];
        transformed[r.transform()][f] = dst;
        TransformKey key = transforms.get(r.transform());
        for (int from = 0; from < n; from += block) {
          int lo = from;
          int hi = Math.min(n, from + block);
          work.add(() -> TransformedClassifier.apply(key.transform(), key.rootSeed(), src, dst, lo, hi, c, h, w));
        }
      }
    }
    run(work, parallelism);
    // 2. per model, the distinct images it must score
    int[][] row = new int[routes.length][n];
    List<List<Slot>> distinct = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      Map<Slot, Integer> seen = new HashMap<>();
      List<Slot> unique = new ArrayList<>();
      for (int v = 0; v < routes.length; v++) {
        Route r = routes[v];
        if (r.model() != m) {
          continue;
        }
        int f = r.otherFrame() ? 1 : 0;
        float[] data = r.transform() < 0 ? source[f] : transformed[r.transform()][f];
        for (int i = 0; i < n; i++) {
          Slot s = new Slot(data, i * len, len);
          Integer at = seen.putIfAbsent(s, unique.size());
          if (at == null) {
            at = unique.size();
            unique.add(s);
          }
          row[v][i] = at;
        }
      }
      distinct.add(unique);
    }
    // 3. the model passes, in parts of at most the batch's size, in parallel
    float[][][] byModel = new float[models.size()][][];
    work.clear();
    for (int m = 0; m < models.size(); m++) {
      List<Slot> unique = distinct.get(m);
      byModel[m] = new float[unique.size()][];
      int parts = Math.max(Math.min(parallelism, unique.size()), (unique.size() + n - 1) / n);
      int size = (unique.size() + parts - 1) / parts;
      Classifier model = models.get(m);
      float[][] out = byModel[m];
      for (int from = 0; from < unique.size(); from += size) {
        int lo = from;
        int hi = Math.min(unique.size(), from + size);
        work.add(() -> {
          float[] data = new float[(hi - lo) * len];
          for (int j = lo; j < hi; j++) {
            Slot s = unique.get(j);
            System.arraycopy(s.data, s.offset, data, (j - lo) * len, len);
          }
          Scores scores = model.classify(ImageBatch.wrap(hi - lo, c, h, w, data));
          for (int j = lo; j < hi; j++) {
            out[j] = scores.probabilities(j - lo);
          }
        });
      }
    }
    run(work, parallelism);
    float[][][] p = new float[routes.length][n][];
    for (int v = 0; v < routes.length; v++) {
      float[][] scored = byModel[routes[v].model()];
      for (int i = 0; i < n; i++) {
        p[v][i] = scored[row[v][i]].clone();
      }
    }
    return p;
  }

  /** Runs every task, on the calling thread and up to {@code parallelism - 1} pooled ones; rethrows a failure. */
  static void run(List<Runnable> tasks, int parallelism) {
    int threads = Math.min(parallelism, tasks.size());
    if (threads <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
        tasks.get(i).run();
      }
    };
    List<Future<?>> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      helpers.add(POOL.submit(worker));
    }
    Throwable failure = null;
    try {
      worker.run();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    boolean interrupted = false;
    for (Future<?> f : helpers) {
      while (true) {
        try {
          f.get();
          break;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: the helpers write into arrays the caller reads
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
  }

  /** One image inside a flat array, compared by its values' bits (so -0 and +0 differ, as a model may). */
  private static final class Slot {
    final float[] data;
    final int offset;
    final int length;
    final int hash;

    Slot(float[] data, int offset, int length) {
      this.data = data;
      this.offset = offset;
      this.length = length;
      int h = 1;
      for (int j = offset; j < offset + length; j++) {
        h = 31 * h + Float.floatToIntBits(data[j]);
      }
      this.hash = h;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Slot s && s.hash == hash && s.length == length
          && Arrays.equals(data, offset, offset + length, s.data, s.offset, s.offset + length);
    }
  }
}
