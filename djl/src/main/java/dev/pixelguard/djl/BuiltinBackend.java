package dev.pixelguard.djl;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelRequest;
import java.util.List;
import java.util.Optional;

/**
 * The models inside pixelguard-djl's jar, by name: {@code builtin:fashion-cnn} and
 * {@code builtin:fashion-cnn-pgd} ({@link DefaultBundle#names()}), and {@code builtin:default}, the first under
 * the name the command line gives it when no model is named ({@code default: fashion-cnn.pgm}). They carry their
 * own conventions, so the request's descriptor is not used. They classify through ONNX Runtime when its backend
 * is on the class path and take gradients from DJL ({@link BundledClassifier}). Registered in
 * {@code META-INF/services/dev.pixelguard.model.ModelBackend}.
 */
public final class BuiltinBackend implements ModelBackend {
  @Override
  public String name() {
    return "builtin";
  }

  @Override
  public boolean handles(String location) {
    return DefaultBundle.isBundled(location);
  }

  @Override
  public List<String> bundled() {
    return DefaultBundle.names();
  }

  /**
   * @throws InputException if the name is not one of {@link DefaultBundle#names()}
   */
  @Override
  public Classifier open(ModelRequest request) {
    return DefaultBundle.byName(request.location(), request.threads());
  }

  /** The bundled ONNX export the classifier runs, with the bundle's own conventions. */
  @Override
  public Optional<ModelGraph> graph(ModelRequest request) {
    return Optional.of(DefaultBundle.graph(request.location()));
  }
}
