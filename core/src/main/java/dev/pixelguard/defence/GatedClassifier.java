package dev.pixelguard.defence;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Gate} as a classifier with one more class, {@code abstain}: what attacks query to attack the
 * whole defended system (see {@link Gate#asClassifier()}). Closing it leaves the gate open.
 */
class GatedClassifier implements Classifier {
  /** The name of the extra class. */
  static final String ABSTAIN = "abstain";

  final Gate gate;
  private final ModelInfo info;

  GatedClassifier(Gate gate) {
    this.gate = gate;
    ModelInfo base = gate.info();
    List<String> names = new ArrayList<>(base.classNames());
    names.add(ABSTAIN);
    this.info = new ModelInfo(base.channels(), base.height(), base.width(), base.numClasses() + 1, names,
        "gated " + base.name());
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    return gated(gate.assess(batch));
  }

  Scores gated(List<Gate.Evidence> evidence) {
    float[][] z = new float[evidence.size()][];
    float[][] p = new float[evidence.size()][];
    for (int i = 0; i < z.length; i++) {
      z[i] = evidence.get(i).gatedLogits(gate.settings());
      p[i] = evidence.get(i).gatedProbabilities(gate.settings());
    }
    return Scores.of(p, z);
  }

  /** The gated classifier of a gate whose views all have gradients. */
  static final class Gradient extends GatedClassifier implements GradientClassifier {
    Gradient(Gate gate) {
      super(gate);
    }

    /**
     * The mean over the views of each view's loss gradient for {@code classes} (each view through its own
     * transform: exact for linear ones, straight-through for the others, averaged over random draws for random
     * ones); the losses are the views' mean, the scores the gated ones.
     */
    @Override
    public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
      int k = gate.info().numClasses();
      for (int c : classes) {
        if (c < 0 || c >= k) {
          throw new IllegalArgumentException("a gated model's loss follows one of the model's " + k
              + " classes, not " + c);
        }
      }
      List<Gate.View> views = gate.views();
      List<Scores> perView = new ArrayList<>();
      float[] losses = new float[batch.size()];
      float[][] grad = null;
      for (Gate.View v : views) {
        LossGradient g = ((GradientClassifier) v.classifier()).lossGradient(batch, loss, classes);
        perView.add(g.scores());
        if (grad == null) {
          grad = new float[batch.size()][g.gradient()[0].length];
        }
        for (int i = 0; i < batch.size(); i++) {
          losses[i] += g.loss()[i] / views.size();
          float[] gi = g.gradient()[i];
          for (int j = 0; j < gi.length; j++) {
            grad[i][j] += gi[j] / views.size();
          }
        }
      }
      return new LossGradient(gated(gate.evidence(perView, batch.size())), losses, grad);
    }
  }
}
