package dev.pixelguard.defence;

import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.AdmitsColours;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Gate} as a classifier with one more class, {@code abstain}: what attacks query to attack the
 * whole defended system (see {@link Gate#asClassifier()}). It tells attacks what its views let through
 * ({@link AdmitsColours}), as an attacker who knows the defence would work out. Closing it leaves the gate open.
 */
class GatedClassifier implements Classifier, AdmitsColours {
  /** The scene's other frame of each image queried, for a gate with views of it. */
  interface Frames {
    ImageBatch of(ImageBatch images);
  }

  final Gate gate;
  final Frames frames; // null when the gate looks at no other frame
  private final ModelInfo info;

  GatedClassifier(Gate gate, Frames frames) {
    this.gate = gate;
    this.frames = frames;
    this.info = gate.gatedInfo();
  }

  /** A gradient classifier when every view of the image queried is one. */
  static GatedClassifier of(Gate gate, Frames frames) {
    boolean gradients = gate.views().stream()
        .allMatch(v -> v.otherFrame() || v.classifier() instanceof GradientClassifier);
    return gradients ? new Gradient(gate, frames) : new GatedClassifier(gate, frames);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /**
   * What every view of the image lets through: the intersection of the ranges of the views' transforms that have
   * them ({@link dev.pixelguard.transform.Transform#admitted}); plain views, views of the other frame and
   * transforms without such a set (blur, JPEG) restrict nothing.
   */
  @Override
  public ColourRanges admitted(Image image) {
    ColourRanges r = ColourRanges.full(image.channels(), image.height(), image.width());
    java.util.Map<String, ColourRanges> byTransform = new java.util.HashMap<>();
    for (Gate.View v : gate.views()) {
      if (v.otherFrame()) {
        continue;
      }
      java.util.Optional<TransformedClassifier> t = v.classifier().unwrap(TransformedClassifier.class);
      if (t.isPresent()) {
        ColourRanges a = byTransform.computeIfAbsent(t.get().transform().describe(),
            k -> t.get().transform().admitted(image));
        if (a != null) {
          r = r.intersect(a);
        }
      }
    }
    return r;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    return gated(gate.assessFrames(batch, frames == null ? null : frames.of(batch)));
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

  /** The gated classifier of a gate whose views of the image all have gradients. */
  static final class Gradient extends GatedClassifier implements GradientClassifier {
    Gradient(Gate gate, Frames frames) {
      super(gate, frames);
    }

    /**
     * The mean over the views of each view's loss gradient for {@code classes} (each view through its own
     * transform: exact for linear ones, straight-through for the others, averaged over random draws for random
     * ones; a view of the other frame, which the image does not change, contributes zero); the losses are the
     * image views' mean, the scores the gated ones.
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
      ImageBatch other = frames == null ? null : frames.of(batch);
      long imageViews = views.stream().filter(v -> !v.otherFrame()).count();
      List<Scores> perView = new ArrayList<>();
      float[] losses = new float[batch.size()];
      float[][] grad = new float[batch.size()][batch.imageLength()];
      for (Gate.View v : views) {
        if (v.otherFrame()) {
          perView.add(v.classifier().classify(other));
          continue;
        }
        LossGradient g = ((GradientClassifier) v.classifier()).lossGradient(batch, loss, classes);
        perView.add(g.scores());
        for (int i = 0; i < batch.size(); i++) {
          losses[i] += g.loss()[i] / imageViews;
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
