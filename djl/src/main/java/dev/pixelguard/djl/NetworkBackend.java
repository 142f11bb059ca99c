package dev.pixelguard.djl;

import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.OnnxExport;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * pixelguard's own networks ({@link NetworkModel#EXTENSION}, written by {@code pixelguard train}), as
 * {@link NetworkClassifier}s with gradients. The file records its input shape and class names, so the
 * request's descriptor is not used. Registered in {@code META-INF/services/dev.pixelguard.model.ModelBackend}.
 */
public final class NetworkBackend implements ModelBackend {
  @Override
  public String name() {
    return "pixelguard";
  }

  @Override
  public boolean handles(String location) {
    return ModelBackend.isFileWithExtension(location, NetworkModel.EXTENSION);
  }

  @Override
  public List<String> extensions() {
    return List.of(NetworkModel.EXTENSION);
  }

  @Override
  public Classifier open(ModelRequest request) {
    Path file = request.file();
    return new NetworkClassifier(NetworkModel.load(file), file.getFileName().toString());
  }

  /** The network's ONNX export ({@link OnnxExport}), made in memory; it feeds [0, 1] images as they are. */
  @Override
  public Optional<ModelGraph> graph(ModelRequest request) {
    Path file = request.file();
    try (NetworkModel net = NetworkModel.load(file)) {
      return Optional.of(new ModelGraph(file.getFileName().toString(), OnnxExport.toBytes(net), ModelSpec.DEFAULT));
    }
  }
}
