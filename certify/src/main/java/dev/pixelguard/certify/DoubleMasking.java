package dev.pixelguard.certify;

import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * The defended classifier: PatchCleanser's double-masking inference (Xiang, Mahloujifar and Mittal, USENIX
 * Security 2022) around any classifier, as a {@link Classifier} that every pixelguard attack can attack. For each
 * image:
 *
 * <ol>
 *   <li>the first round: the model's prediction with each mask applied (and filled);
 *   <li>if they all agree, that class;
 *   <li>else, for each first-round disagreer d (a mask whose prediction is not the majority's), in mask order:
 *       the second round, the predictions with d and each other mask applied; if they all equal d's own
 *       prediction, that class;
 *   <li>else the first-round majority (ties to the lowest class index).
 * </ol>
 *
 * The top class of {@link #classify} is this defended prediction; it is what {@link Certifier} proves. Exact and
 * deterministic: it depends only on the image (and on the model being a function of its input).
 *
 * <p><b>Scores reported.</b> The logits are the mean, over the first round's masks, of the model's logits (of its
 * log-probabilities when it gives no logits), so that a score-based attack sees how the masked views lean; where
 * the top of that mean is not the defended class, the two values are swapped, so that the top class is always the
 * defended prediction. Probabilities are their softmax. They are a signal for attacks and people, not part of the
 * proof: only the top class is certified.
 *
 * <p><b>Cost.</b> The first round is k model passes per image (k masks); an image whose first round disagrees
 * costs up to k more per disagreer, k(k+1)/2 at most. Masked images of all images of a call go to the model in
 * batches of {@code batchSize}. Thread-safe when the model is.
 */
public final class DoubleMasking extends MaskedClassifier {
  DoubleMasking(Classifier model, Masker masker, int batchSize) {
    super(model, masker, batchSize, info(model.info(), masker));
  }

  private static ModelInfo info(ModelInfo m, Masker masker) {
    return new ModelInfo(m.channels(), m.height(), m.width(), m.numClasses(), m.classNames(),
        "double masking " + of(masker, m));
  }

  @Override
  Scores classify(float[] data, int n, int length, int k) {
    List<ImageJob> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      jobs.add(new ImageJob(i, data, i * length, -1, k, null, false, 0f, true));
    }
    new MaskingEngine(model, masker, batchSize).run(jobs.iterator(), Integer.MAX_VALUE, j -> {});
    float[][] logits = new float[n][];
    for (int i = 0; i < n; i++) {
      logits[i] = reported(jobs.get(i).firstScores(), jobs.get(i).defended());
    }
    return Scores.fromLogits(logits);
  }

  /** The mean first-round scores, with the defended class on top (see the class comment). */
  static float[] reported(float[][] first, int defended) {
    int classes = first[0].length;
    double[] sum = new double[classes];
    for (float[] row : first) {
      for (int c = 0; c < classes; c++) {
        sum[c] += row[c];
      }
    }
    float[] z = new float[classes];
    int top = 0;
    for (int c = 0; c < classes; c++) {
      z[c] = (float) (sum[c] / first.length);
      top = z[c] > z[top] ? c : top;
    }
    if (top != defended) {
      float t = z[top];
      z[top] = z[defended];
      z[defended] = t;
    }
    for (int c = 0; c < defended; c++) {
      if (z[c] == z[defended]) { // a tie goes to the lower class: lift the defended one just above
        z[defended] = Math.nextUp(z[defended]);
      }
    }
    return z;
  }

  /** The most frequent class among {@code labels} (ties to the lowest class). */
  static int majority(int[] labels) {
    int max = 0;
    for (int l : labels) {
      max = Math.max(max, l);
    }
    int[] votes = new int[max + 1];
    int best = labels[0];
    for (int l : labels) {
      votes[l]++;
    }
    for (int c = 0; c <= max; c++) {
      if (votes[c] > votes[best] || (votes[c] == votes[best] && c < best)) {
        best = c;
      }
    }
    return best;
  }
}
