package dev.pixelguard.certify;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * The certified gate as a {@link Classifier}: it accepts an image only when every one- and two-mask prediction of
 * the model agrees, answering that class, and abstains otherwise (issue 29, item 3). Its last class is
 * {@value ModelInfo#ABSTAIN}, so pixelguard's evaluations attack it with the harm goal (accept a wrong class), and a
 * server serves it as a gate. {@link CertifiedGate#bound} gives, from clean images alone, the images on which any
 * attack within the threat could make it accept a wrong class; no attack can do better than that bound.
 *
 * <p><b>Scores reported</b> (a signal for attacks and people; the decision is the top class). The class logits are
 * the mean first-round logits ({@link DoubleMasking}'s, with the accepted or majority class on top); the abstain
 * logit lies below every class's when the gate accepts, and above them all when it abstains, by the share of
 * first-round masks that disagree with the majority (or by {@code 1/(2k)} when the first round agrees and a pair
 * does not), so a search sees how far the image is from agreement.
 *
 * <p><b>Cost.</b> k first-round passes per image; when they agree, the k(k-1)/2 pairs, in mask order, an image
 * stopping at its first disagreeing pair: up to k(k+1)/2 passes (666 for {@code lattice:6}) on an image it
 * accepts. Masked images of all images of a call share the model's batches. An image's answer depends on the
 * image alone.
 */
public final class MaskingGate extends MaskedClassifier {
  MaskingGate(Classifier model, Masker masker, int batchSize) {
    super(model, masker, batchSize, info(model.info(), masker));
  }

  private static ModelInfo info(ModelInfo m, Masker masker) {
    List<String> names = new ArrayList<>(m.classNames());
    names.add(ModelInfo.ABSTAIN);
    return new ModelInfo(m.channels(), m.height(), m.width(), m.numClasses() + 1, names,
        "certified gate " + of(masker, m));
  }

  @Override
  Scores classify(float[] data, int n, int length, int k) {
    int[][] first = new int[n][k];
    float[][][] scores = new float[n][k][];
    List<int[]> work = new ArrayList<>(n * k);
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < k; a++) {
        work.add(new int[] {i, a, a});
      }
    }
    run(data, length, work, null, (w, top, row) -> {
      first[w[0]][w[1]] = top;
      scores[w[0]][w[1]] = row;
    });
    int[] majority = new int[n];
    double[] disagree = new double[n];
    boolean[] open = new boolean[n];
    work.clear();
    for (int i = 0; i < n; i++) {
      majority[i] = DoubleMasking.majority(first[i]);
      int votes = 0;
      for (int a = 0; a < k; a++) {
        votes += first[i][a] == majority[i] ? 1 : 0;
      }
      disagree[i] = 1.0 - votes / (double) k;
      open[i] = votes == k;
      for (int a = 0; a < k && open[i]; a++) {
        for (int b = a + 1; b < k; b++) {
          work.add(new int[] {i, a, b});
        }
      }
    }
    run(data, length, work, open, (w, top, row) -> {
      if (top != majority[w[0]] && open[w[0]]) {
        open[w[0]] = false;
        disagree[w[0]] = 0.5 / k;
      }
    });
    float[][] logits = new float[n][];
    for (int i = 0; i < n; i++) {
      logits[i] = gated(DoubleMasking.reported(scores[i], majority[i]), disagree[i] == 0 ? -1 : disagree[i]);
    }
    return Scores.fromLogits(logits);
  }

  /** The K + 1 logits: the class logits, then abstain below them all ({@code slack < 0}) or above by the slack. */
  private static float[] gated(float[] z, double slack) {
    float[] out = java.util.Arrays.copyOf(z, z.length + 1);
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : z) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    out[z.length] = slack < 0 ? min - 1f : (float) (max + slack);
    return out;
  }

  private interface Answer {
    void take(int[] work, int top, float[] scoreRow);
  }

  /**
   * Classifies the masked images {@code work} lists ({image, a, b}), in batches, skipping the items of images whose
   * {@code open} flag has dropped by the time their batch is made (null: none is skipped).
   */
  private void run(float[] data, int length, List<int[]> work, boolean[] open, Answer answer) {
    ModelInfo m = model.info();
    int next = 0;
    List<int[]> owners = new ArrayList<>(batchSize);
    while (next < work.size()) {
      owners.clear();
      while (next < work.size() && owners.size() < batchSize) {
        int[] w = work.get(next++);
        if (open == null || open[w[0]]) {
          owners.add(w);
        }
      }
      int b = owners.size();
      if (b == 0) {
        continue;
      }
      float[] masked = new float[b * length];
      java.util.stream.IntStream.range(0, b).parallel().forEach(j -> {
        int[] w = owners.get(j);
        masker.render(data, w[0] * length, w[1], w[2], masked, j * length);
      });
      Scores s = model.classify(ImageBatch.wrap(b, m.channels(), m.height(), m.width(), masked));
      for (int j = 0; j < b; j++) {
        int[] w = owners.get(j);
        float[] row = null;
        if (w[1] == w[2]) {
          row = new float[s.numClasses()];
          for (int c = 0; c < row.length; c++) {
            row[c] = s.hasLogits() ? s.logit(j, c) : (float) s.logProbability(j, c);
          }
        }
        answer.take(w, s.top(j), row);
      }
    }
  }
}
