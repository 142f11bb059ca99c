package dev.pixelguard.certify;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.Optional;

/**
 * What the defended classifier ({@link DoubleMasking}) and the certified gate ({@link MaskingGate}) share: a model
 * looked at through masked images of a mask set and fill, in batches of a given size. Closing it closes the model.
 */
abstract class MaskedClassifier implements Classifier {
  final Classifier model;
  final Masker masker;
  final int batchSize;
  private final ModelInfo info;

  /** @param info what the subclass answers: its classes and name, given the model's and the masks' */
  MaskedClassifier(Classifier model, Masker masker, int batchSize, ModelInfo info) {
    this.model = model;
    this.masker = masker;
    this.batchSize = batchSize;
    this.info = info;
  }

  /** "(lattice:6, biharmonic) of NAME": the masks, the fill and the model, for a subclass's name. */
  static String of(Masker masker, ModelInfo m) {
    return "(" + masker.masks().spec() + ", " + masker.fill().spec() + ") of " + m.name();
  }

  @Override
  public final Scores classify(ImageBatch batch) {
    float[] data = new float[batch.size() * batch.imageLength()];
    batch.copyTo(data, 0);
    return classify(data, batch.size(), batch.imageLength(), masker.masks().size());
  }

  /**
   * The answers for {@code n} images of {@code length} values each, image after image in {@code data}, with the
   * {@code k} masks.
   */
  abstract Scores classify(float[] data, int n, int length, int k);

  @Override
  public ModelInfo info() {
    return info;
  }

  /** The masks. */
  public MaskSet masks() {
    return masker.masks();
  }

  /** The fill. */
  public Fill fill() {
    return masker.fill();
  }

  /** The classifier inside. */
  public Classifier model() {
    return model;
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : model.unwrap(type);
  }

  /** Closes the model inside. */
  @Override
  public void close() {
    model.close();
  }
}
