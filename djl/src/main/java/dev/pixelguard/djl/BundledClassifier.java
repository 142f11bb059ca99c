package dev.pixelguard.djl;

import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.function.Supplier;

/**
 * A bundled network served by two engines: {@link #classify} runs its ONNX export in ONNX Runtime (the fast
 * path every black-box attack uses), {@link #lossGradient} runs the same weights in DJL's PyTorch engine (the
 * white-box attacks). Both compute the same function: on the 500 bundled images their probabilities agree
 * within 1e-6 and their top classes on every image ({@code OnnxExportTest}). The DJL network is loaded on the
 * first gradient, so a black-box run never starts PyTorch; without ONNX Runtime's backend on the class path
 * the network classifies too. Thread-safe as both classifiers are.
 */
public final class BundledClassifier implements GradientClassifier {
  /** The export in ONNX Runtime, or null to classify with the network. */
  private final Classifier onnx;
  private final Supplier<NetworkClassifier> loader;
  private final ModelInfo info;
  private NetworkClassifier network;
  private boolean closed;

  /**
   * @param onnx the network's ONNX export, in ONNX Runtime, or null to classify with the network; owned (closed
   *     with this)
   * @param loader loads the same network in DJL, on the first gradient (at once without {@code onnx}); what it
   *     gives is owned
   * @param name the name in messages and reports
   */
  public BundledClassifier(Classifier onnx, Supplier<NetworkClassifier> loader, String name) {
    this.onnx = onnx;
    this.loader = loader;
    ModelInfo i = onnx != null ? onnx.info() : network().info();
    this.info = new ModelInfo(i.channels(), i.height(), i.width(), i.numClasses(), i.classNames(), name);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public Scores classify(ImageBatch batch) {
    return onnx != null ? onnx.classify(batch) : network().classify(batch);
  }

  @Override
  public LossGradient lossGradient(ImageBatch batch, Loss loss, int[] classes) {
    return network().lossGradient(batch, loss, classes);
  }

  /** The DJL network (loaded now if it was not). */
  public synchronized NetworkClassifier network() {
    if (closed) {
      throw new IllegalStateException("the classifier is closed");
    }
    if (network == null) {
      NetworkClassifier n = loader.get();
      if (info != null && (!n.info().classNames().equals(info.classNames()) || n.info().channels() != info.channels()
          || n.info().height() != info.height() || n.info().width() != info.width())) {
        n.close();
        throw new IllegalStateException("the bundled ONNX file and network differ: " + info + " vs " + n.info());
      }
      network = n;
    }
    return network;
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      if (onnx != null) {
        onnx.close();
      }
    } finally {
      if (network != null) {
        network.close();
        network = null;
      }
    }
  }
}
