package dev.pixelguard.onnx;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code .onnx} files, run with ONNX Runtime ({@link OnnxClassifier}); the request's descriptor and thread
 * count apply. Registered in {@code META-INF/services/dev.pixelguard.model.ModelBackend}.
 */
public final class OnnxBackend implements ModelBackend {
  /** File name ending of ONNX models. */
  public static final String EXTENSION = ".onnx";

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public boolean handles(String location) {
    return ModelBackend.isFileWithExtension(location, EXTENSION);
  }

  @Override
  public List<String> extensions() {
    return List.of(EXTENSION);
  }

  /** The file, or the request's bytes when it carries the model ({@link ModelRequest#content()}). */
  @Override
  public Classifier open(ModelRequest request) {
    byte[] content = request.content();
    return content != null ? OnnxClassifier.load(content, request.location(), request.spec(), request.threads())
        : OnnxClassifier.load(request.file(), request.spec(), request.threads());
  }

  /** The file itself, with the request's descriptor. */
  @Override
  public Optional<ModelGraph> graph(ModelRequest request) {
    Path file = request.file();
    try {
      return Optional.of(new ModelGraph(String.valueOf(file.getFileName()), Files.readAllBytes(file), request.spec()));
    } catch (IOException e) {
      throw new InputException("cannot read model " + file + ": " + e.getMessage());
    }
  }
}
