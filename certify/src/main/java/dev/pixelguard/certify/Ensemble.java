package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;

/**
 * Several classifiers as one: the mean of their probabilities, with logits the natural log of that mean (so that
 * a lead is a log-ratio of mean probabilities). To certify a pair of models as one defended system, mask once and
 * ask both: every masked image costs one pass of each member. Members must take the same input and give the same
 * classes; closing the ensemble closes them.
 */
public final class Ensemble implements Classifier {
  private final List<Classifier> members;
  private final ModelInfo info;

  private Ensemble(List<Classifier> members, ModelInfo info) {
    this.members = members;
    this.info = info;
  }

  /**
   * @throws InputException when there is no member, or members differ in input shape or classes
   */
  public static Ensemble of(List<? extends Classifier> members) {
    if (members.isEmpty()) {
      throw new InputException("an ensemble needs at least one model");
    }
    ModelInfo first = members.get(0).info();
    StringBuilder name = new StringBuilder("mean of ");
    for (int i = 0; i < members.size(); i++) {
      ModelInfo m = members.get(i).info();
      if (m.channels() != first.channels() || m.height() != first.height() || m.width() != first.width()
          || m.numClasses() != first.numClasses()) {
        throw new InputException("model " + m.name() + " takes " + m.inputShape() + " with " + m.numClasses()
            + " classes, " + first.name() + " " + first.inputShape() + " with " + first.numClasses() + "; an ensemble's"
            + " models must match");
      }
      name.append(i == 0 ? "" : " and ").append(m.name());
    }
    ModelInfo info = new ModelInfo(first.channels(), first.height(), first.width(), first.numClasses(),
        first.classNames(), name.toString());
    return new Ensemble(List.copyOf(members), info);
  }

  /** Number of models: the model passes one masked image costs. */
  public int size() {
    return members.size();
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    int n = batch.size();
    int k = info.numClasses();
    double[][] sum = new double[n][k];
    for (Classifier m : members) {
      Scores s = m.classify(batch);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          sum[i][c] += s.probability(i, c);
        }
      }
    }
    float[][] z = new float[n][k];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        z[i][c] = (float) Math.log(Math.max(sum[i][c] / members.size(), 1e-30));
      }
    }
    return Scores.fromLogits(z);
  }

  @Override
  public void close() {
    for (Classifier m : members) {
      m.close();
    }
  }
}
