package dev.pixelguard.djl.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.pixelguard.image.ImageBatch;
import ai.djl.training.GradientCollector;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;

/**
 * A {@link Classifier} over one of pixelguard's own networks, in inference mode (dropout off), with exact
 * input gradients ({@link GradientClassifier}): the network has no batch normalisation, so inference mode
 * only turns dropout off, and the gradient is that of the very function {@link #classify} computes. Closing
 * it closes the model. Gradients on several threads take turns (DJL's gradient collector is process-wide).
 */
public final class NetworkClassifier implements GradientClassifier {
  private final NetworkModel network;
  private final TensorCodec codec;

  public NetworkClassifier(NetworkModel network, String name) {
    this.network = network;
    int[] s = network.inputShape();
    ModelInfo info = new ModelInfo(s[0], s[1], s[2], network.classNames().size(), network.classNames(), name);
    this.codec = new TensorCodec(ModelSpec.DEFAULT.withOutput(OutputKind.LOGITS), info, null);
  }

  @Override
  public ModelInfo info() {
    return codec.info();
  }

  @Override
  public Scores classify(ImageBatch batch) {
    try (NDManager m = network.model().getNDManager().newSubManager()) {
      NDArray x = m.create(codec.encode(batch), new Shape(codec.inputShape(batch.size())));
      NDArray y = network.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      return codec.decode(y.getShape().getShape(), y.toFloatArray(), batch.size());
    }
  }

  @Override
  public LossGradient lossGradient(ImageBatch batch, int[] classes) {
    if (classes.length != batch.size()) {
      throw new IllegalArgumentException("need one class per image: " + batch.size() + " images, " + classes.length);
    }
    int k = info().numClasses();
    synchronized (dev.pixelguard.djl.Engines.GRADIENTS) {
      return lossGradient(batch, classes, k);
    }
  }

  private LossGradient lossGradient(ImageBatch batch, int[] classes, int k) {
    try (NDManager m = network.model().getNDManager().newSubManager();
        GradientCollector gc = network.model().getNDManager().getEngine().newGradientCollector()) {
      NDArray x = m.create(codec.encode(batch), new Shape(codec.inputShape(batch.size())));
      x.setRequiresGradient(true);
      NDArray logits = network.block().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
      float[] oneHot = new float[classes.length * k];
      for (int i = 0; i < classes.length; i++) {
        if (classes[i] < 0 || classes[i] >= k) {
          throw new IllegalArgumentException("class " + classes[i] + " is outside 0.." + (k - 1));
        }
        oneHot[i * k + classes[i]] = 1f;
      }
      NDArray loss = logits.logSoftmax(1).mul(m.create(oneHot, new Shape(classes.length, k))).sum(new int[] {1}).neg();
      gc.backward(loss.sum());
      float[] g = x.getGradient().toFloatArray();
      float[][] grad = new float[batch.size()][];
      int per = batch.imageLength();
      for (int i = 0; i < grad.length; i++) {
        grad[i] = java.util.Arrays.copyOfRange(g, i * per, (i + 1) * per);
      }
      Scores s = codec.decode(logits.getShape().getShape(), logits.toFloatArray(), batch.size());
      return new LossGradient(s, loss.toFloatArray(), grad);
    }
  }

  public NetworkModel network() {
    return network;
  }

  @Override
  public void close() {
    network.close();
  }
}
