package dev.pixelguard.djl.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;

/**
 * A {@link Classifier} over one of pixelguard's own networks, in inference mode (dropout off). Closing it
 * closes the model.
 */
public final class NetworkClassifier implements Classifier {
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

  public NetworkModel network() {
    return network;
  }

  @Override
  public void close() {
    network.close();
  }
}
