package dev.pixelguard.djl.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.pixelguard.djl.engine.Engines;
import dev.pixelguard.djl.engine.Losses;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.EngineClassifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;
import java.nio.FloatBuffer;

/**
 * A {@link Classifier} over one of pixelguard's own networks, in inference mode (dropout off), with exact
 * input gradients ({@link GradientClassifier}): the network has no batch normalisation, so inference mode
 * only turns dropout off, and the gradient is that of the very function {@link #classify} computes. Closing
 * it closes the model. Gradients on several threads take turns (DJL's gradient collector is process-wide).
 */
public final class NetworkClassifier extends EngineClassifier implements GradientClassifier {
  private final NetworkModel network;

  public NetworkClassifier(NetworkModel network, String name) {
    super(codec(network, name));
    this.network = network;
  }

  private static TensorCodec codec(NetworkModel network, String name) {
    int[] s = network.inputShape();
    ModelInfo info = new ModelInfo(s[0], s[1], s[2], network.classNames().size(), network.classNames(), name);
    return new TensorCodec(ModelSpec.DEFAULT.withOutput(OutputKind.LOGITS), info, null);
  }

  /**
   * Input values per call into libtorch: about 80,000, 100 Fashion-MNIST images. As for TorchScript, libtorch
   * runs this network slower on large batches (the bundled CNN here: four calls of 100 images did 1.33-1.46 times
   * as many images a second as one call of 400; docs/benchmarks.md), so a large batch runs as consecutive calls of
   * this size; the scores are the same, image by image. Gradient passes are not split (training chooses its own
   * batch).
   */
  public static final int CALL_VALUES = 100 * 28 * 28;

  @Override
  protected Scores scores(ImageBatch batch) {
    return inCallsOf(CALL_VALUES, batch, this::forward);
  }

  private Scores forward(FloatBuffer values, int n) {
    try (NDManager m = network.model().getNDManager().newSubManager()) {
      NDArray x = m.create(values, new Shape(codec().inputShape(n)));
      NDArray y = network.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      return codec().decode(y.getShape().getShape(), y.toFloatArray(), n);
    }
  }

  @Override
  public LossGradient lossGradient(ImageBatch batch, dev.pixelguard.model.Loss lossKind, int[] classes) {
    return call(() -> gradient(batch, lossKind, classes));
  }

  private LossGradient gradient(ImageBatch batch, dev.pixelguard.model.Loss lossKind, int[] classes) {
    int n = batch.size();
    Losses.check(classes, n, info().numClasses());
    synchronized (Engines.GRADIENTS) {
      try (NDManager m = network.model().getNDManager().newSubManager();
          GradientCollector gc = network.model().getNDManager().getEngine().newGradientCollector()) {
        NDArray x = m.create(codec().encode(batch), new Shape(codec().inputShape(n)));
        x.setRequiresGradient(true);
        NDArray logits = network.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
        NDArray loss = Losses.of(m, logits.logSoftmax(1), lossKind, classes);
        gc.backward(loss.sum());
        Scores s = codec().decode(logits.getShape().getShape(), logits.toFloatArray(), n);
        return new LossGradient(s, loss.toFloatArray(), codec().batchGradient(x.getGradient().toFloatArray(), n));
      }
    }
  }

  public NetworkModel network() {
    return network;
  }

  /** Waits for the calls in flight, then frees the network. */
  @Override
  public void close() {
    closeEngine(network::close);
  }
}
