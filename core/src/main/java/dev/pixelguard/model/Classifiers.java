package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.util.List;

/** Decorators over {@link Classifier}s. */
public final class Classifiers {
  private Classifiers() {}

  /**
   * The same classifier with other class names (for example those of the dataset, when the model file has
   * none). A {@link GradientClassifier} stays one. Closing the result closes {@code inner}.
   */
  public static Classifier withClassNames(Classifier inner, List<String> names) {
    ModelInfo i = inner.info();
    ModelInfo renamed = new ModelInfo(i.channels(), i.height(), i.width(), i.numClasses(), names, i.name());
    if (inner instanceof GradientClassifier g) {
      return new DelegatingGradient(g) {
        @Override
        public ModelInfo info() {
          return renamed;
        }
      };
    }
    return new Delegating(inner) {
      @Override
      public ModelInfo info() {
        return renamed;
      }
    };
  }

  /** Forwards everything to {@code inner}; closing it closes {@code inner}. */
  private static class Delegating implements Classifier {
    final Classifier inner;

    Delegating(Classifier inner) {
      this.inner = inner;
    }

    @Override
    public ModelInfo info() {
      return inner.info();
    }

    @Override
    public Scores classify(ImageBatch batch) {
      return inner.classify(batch);
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** Forwards everything, gradients included, to {@code inner}. */
  private static class DelegatingGradient extends Delegating implements GradientClassifier {
    DelegatingGradient(GradientClassifier inner) {
      super(inner);
    }

    @Override
    public LossGradient lossGradient(ImageBatch batch, int[] classes) {
      return ((GradientClassifier) inner).lossGradient(batch, classes);
    }
  }

  /**
   * The classifier as a label-only (decision-based) black box: each row is one-hot on the top class and no
   * logits are given, as from an API that answers with a label. Attacks then see only whether they succeeded.
   * Closing the result closes {@code inner}.
   */
  public static Classifier labelOnly(Classifier inner) {
    return new Delegating(inner) {
      @Override
      public Scores classify(ImageBatch batch) {
        Scores s = inner.classify(batch);
        float[][] p = new float[s.size()][s.numClasses()];
        for (int i = 0; i < p.length; i++) {
          p[i][s.top(i)] = 1f;
        }
        return Scores.fromProbabilities(p);
      }
    };
  }
}
