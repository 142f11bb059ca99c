package dev.pixelguard.model;

import dev.pixelguard.image.ImageBatch;
import java.util.List;

/** Decorators over {@link Classifier}s; each keeps a {@link GradientClassifier}'s gradients where it can. */
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
      return new ForwardingGradientClassifier(g) {
        @Override
        public ModelInfo info() {
          return renamed;
        }
      };
    }
    return new ForwardingClassifier(inner) {
      @Override
      public ModelInfo info() {
        return renamed;
      }
    };
  }

  /**
   * The classifier as a label-only (decision-based) black box: each row is one-hot on the top class and no
   * logits are given, as from an API that answers with a label. Attacks then see only whether they succeeded.
   * It gives no gradients, on purpose. Closing the result closes {@code inner}.
   */
  public static Classifier labelOnly(Classifier inner) {
    return new LabelOnly(inner);
  }

  /** Whether {@code c} is, or wraps, a {@link #labelOnly} view. */
  public static boolean isLabelOnly(Classifier c) {
    return c.unwrap(LabelOnly.class).isPresent();
  }

  private static final class LabelOnly extends ForwardingClassifier {
    LabelOnly(Classifier inner) {
      super(inner);
    }

    @Override
    public Scores classify(ImageBatch batch) {
      Scores s = super.classify(batch);
      float[][] p = new float[s.size()][s.numClasses()];
      for (int i = 0; i < p.length; i++) {
        p[i][s.top(i)] = 1f;
      }
      return Scores.fromProbabilities(p);
    }
  }
}
