package dev.pixelguard.certify;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives {@link ImageJob}s to the end, packing the masked images of many images into the model's large batches.
 * Jobs are taken from their source only as batches need them, and each job adds at most {@code chunk} masked
 * images to a batch, so that early exit stops an image within one chunk of its verdict. One model call at a time
 * (the engine itself uses every core); a batch's masked images are made on every core before it.
 */
final class MaskingEngine {
  private final Classifier model;
  private final Masker masker;
  private final int batchSize;
  private final ModelInfo info;
  private long calls;
  private long images;
  private long modelNanos;

  MaskingEngine(Classifier model, Masker masker, int batchSize) {
    this.model = model;
    this.masker = masker;
    this.batchSize = batchSize;
    this.info = model.info();
  }

  /**
   * Runs every job from {@code source} until it is done, handing each to {@code onDone} as it finishes (in
   * finishing order).
   *
   * @param chunk most masked images one job adds to a batch
   */
  void run(Iterator<ImageJob> source, int chunk, Consumer<ImageJob> onDone) {
    List<ImageJob> active = new ArrayList<>();
    int length = masker.length();
    List<ImageJob> owners = new ArrayList<>(batchSize);
    int[] as = new int[batchSize];
    int[] bs = new int[batchSize];
    while (true) {
      owners.clear();
      float[] data = new float[batchSize * length];
      ImageJob.Requests sink = (job, a, b) -> {
        int n = owners.size();
        owners.add(job);
        as[n] = a;
        bs[n] = b;
      };
      for (int j = 0; j < active.size() && owners.size() < batchSize; j++) {
        active.get(j).next(Math.min(chunk, batchSize - owners.size()), sink);
      }
      while (owners.size() < batchSize && source.hasNext()) {
        ImageJob job = source.next();
        active.add(job);
        job.next(Math.min(chunk, batchSize - owners.size()), sink);
      }
      int n = owners.size();
      if (n == 0) {
        if (!active.isEmpty()) {
          throw new IllegalStateException("double masking stalled on " + active.get(0));
        }
        return;
      }
      // Each masked image on its own: rendered on every core while the model waits (the order cannot matter).
      java.util.stream.IntStream.range(0, n).parallel().forEach(i ->
          masker.render(owners.get(i).image, owners.get(i).offset, as[i], bs[i], data, i * length));
      float[] exact = n == batchSize ? data : java.util.Arrays.copyOf(data, n * length);
      long t0 = System.nanoTime();
      Scores s = model.classify(ImageBatch.wrap(n, info.channels(), info.height(), info.width(), exact));
      modelNanos += System.nanoTime() - t0;
      calls++;
      images += n;
      for (int i = 0; i < n; i++) {
        int top = s.top(i);
        int second = s.topExcept(i, top);
        float lead = s.hasLogits() ? s.logit(i, top) - s.logit(i, second) : s.probability(i, top) - s.probability(i, second);
        owners.get(i).accept(as[i], bs[i], top, lead, as[i] == bs[i] ? scoreRow(s, i) : null);
      }
      for (Iterator<ImageJob> it = active.iterator(); it.hasNext(); ) {
        ImageJob job = it.next();
        job.settle();
        if (job.done()) {
          it.remove();
          onDone.accept(job);
        }
      }
    }
  }

  /** The logits of row i, or its log-probabilities when the model gives none. */
  private static float[] scoreRow(Scores s, int i) {
    float[] row = new float[s.numClasses()];
    for (int k = 0; k < row.length; k++) {
      row[k] = s.hasLogits() ? s.logit(i, k) : (float) s.logProbability(i, k);
    }
    return row;
  }

  /** Model calls so far. */
  long calls() {
    return calls;
  }

  /** Masked images classified so far. */
  long images() {
    return images;
  }

  /** Nanoseconds spent inside the model. */
  long modelNanos() {
    return modelNanos;
  }
}
