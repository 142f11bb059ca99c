package dev.pixelguard.djl;

import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelRequest;
import java.util.List;

/**
 * TorchScript files ({@code .pt}, {@code .pth}, {@code .torchscript}, {@code .ts}), run with DJL's PyTorch
 * engine ({@link TorchScriptClassifier}). TorchScript does not record its input shape: it comes from the
 * descriptor, else from the request's data shape. Registered in
 * {@code META-INF/services/dev.pixelguard.model.ModelBackend}.
 */
public final class TorchScriptBackend implements ModelBackend {
  private static final List<String> EXTENSIONS = List.of(".pt", ".pth", ".torchscript", ".ts");

  @Override
  public String name() {
    return "torchscript";
  }

  @Override
  public boolean handles(String location) {
    return ModelBackend.isFileWithExtension(location, EXTENSIONS.toArray(String[]::new));
  }

  @Override
  public List<String> extensions() {
    return EXTENSIONS;
  }

  @Override
  public Classifier open(ModelRequest request) {
    return TorchScriptClassifier.load(request.file(), request.specWithDataShape());
  }
}
