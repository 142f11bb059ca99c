package dev.pixelguard.model;

import dev.pixelguard.InputException;
import dev.pixelguard.model.TemperatureScaled;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Opens models by location, with whichever {@link ModelBackend}s are on the class path:
 *
 * <pre>{@code
 * try (Classifier c = Models.open("models/resnet20.onnx")) {        // needs pixelguard-onnx
 *   Scores s = c.classify(batch);
 * }
 * GradientClassifier g = (GradientClassifier) Models.open("builtin:fashion-cnn-pgd");  // pixelguard-djl
 * }</pre>
 *
 * <p>The backend is the one named in the request, else the first (in class-path order) whose
 * {@link ModelBackend#handles} accepts the location. A location without a scheme is a local file, which must
 * exist. Every failure a user can fix is an {@link InputException} with one line saying what to do.
 */
public final class Models {
  /** What each format is, which backend reads it and which module brings that backend. */
  private record Format(String what, String backend, String module, String... suffixes) {
    boolean matches(String location) {
      String scheme = ModelBackend.schemeOf(location);
      for (String s : suffixes) {
        if (s.endsWith(":") ? (s.substring(0, s.length() - 1)).equals(scheme)
            : ModelBackend.isFileWithExtension(location, s)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final List<Format> KNOWN = List.of(
      new Format("an ONNX model", "onnx", "pixelguard-onnx", ".onnx"),
      new Format("a TorchScript model", "torchscript", "pixelguard-djl", ".pt", ".pth", ".torchscript", ".ts"),
      new Format("a pixelguard network", "pixelguard", "pixelguard-djl", ".pgm"),
      new Format("a bundled model", "builtin", "pixelguard-djl", "builtin:"),
      new Format("a remote model", "v2", "pixelguard-remote", "http:", "https:"));

  private Models() {}

  /**
   * Opens a model with its descriptor: for a local file, {@link #descriptorFor} (the MODEL.json beside it),
   * else {@link ModelSpec#DEFAULT}.
   *
   * @param location a file ({@code resnet20.onnx}) or a bundled model ({@code builtin:fashion-cnn})
   * @return the classifier, which the caller closes
   * @throws InputException if the model is missing, of no known format, or cannot be read
   */
  public static Classifier open(String location) {
    Path file = localPath(location);
    return open(location, file == null ? ModelSpec.DEFAULT : descriptorFor(file));
  }

  /**
   * Opens a model with the given descriptor (no sidecar is read).
   *
   * @throws InputException if the model is missing, of no known format, or cannot be read
   */
  public static Classifier open(String location, ModelSpec spec) {
    return open(ModelRequest.builder(location).spec(spec).build());
  }

  /**
   * Opens a model as the request says. When the descriptor has a {@link ModelSpec#temperature()}, the model
   * is wrapped in {@link TemperatureScaled} (whatever the backend, bundled models included), so its callers
   * see calibrated probabilities; a gradient classifier stays one.
   *
   * @return the classifier, which the caller closes
   * @throws InputException if the request names no installed backend, the local file does not exist, no
   *     backend takes the location, or the backend cannot read the model
   */
  public static Classifier open(ModelRequest request) {
    return withTemperature(backendFor(request).open(request), request.spec());
  }

  /**
   * The model's computation as an ONNX graph with the conventions that feed it ({@link ModelBackend#graph}),
   * for tools that read weights: ONNX files, pixelguard networks and the bundled models have one.
   *
   * @throws InputException if the model is missing or cannot be read, or its backend gives no graph (one line
   *     saying what to do)
   */
  public static ModelGraph graph(ModelRequest request) {
    ModelBackend backend = backendFor(request);
    return backend.graph(request).orElseThrow(() -> new InputException("model " + request.location() + " ("
        + backend.name() + ") gives no readable weights; export it to ONNX first (ONNX files, pixelguard "
        + "networks and builtin: models can be read)"));
  }

  private static ModelBackend backendFor(ModelRequest request) {
    String location = request.location();
    List<ModelBackend> all = load();
    ModelBackend backend = request.backend() == null ? null : byName(all, request.backend());
    if (ModelBackend.schemeOf(location) == null) {
      Path file = localPath(location);
      if (file == null || !Files.isRegularFile(file)) {
        throw new InputException("model file not found: " + location);
      }
    }
    if (backend == null) {
      backend = all.stream().filter(b -> b.handles(location)).findFirst().orElseThrow(() -> unknownFormat(location));
    }
    return backend;
  }

  /**
   * The classifier with the descriptor's temperature applied ({@link TemperatureScaled}), or as it is when the
   * descriptor has none. For code that opens a model without {@link #open(ModelRequest)}.
   */
  public static Classifier withTemperature(Classifier c, ModelSpec spec) {
    Double t = spec.temperature();
    return t == null ? c : TemperatureScaled.of(c, t);
  }

  /** The names of the backends on the class path, in the order they are tried. */
  public static List<String> backends() {
    return load().stream().map(ModelBackend::name).toList();
  }

  /**
   * The descriptor beside a model: {@code MODEL.json} for {@code MODEL} ({@code resnet20.onnx.json} for
   * {@code resnet20.onnx}) when that file exists, else {@link ModelSpec#DEFAULT}.
   *
   * @throws InputException if the sidecar exists but cannot be read or is invalid
   */
  public static ModelSpec descriptorFor(Path model) {
    Path name = model.getFileName();
    if (name == null) {
      return ModelSpec.DEFAULT;
    }
    Path sidecar = model.resolveSibling(name + ".json");
    return Files.isRegularFile(sidecar) ? ModelSpec.read(sidecar) : ModelSpec.DEFAULT;
  }

  private static List<ModelBackend> load() {
    List<ModelBackend> out = new ArrayList<>();
    ServiceLoader.load(ModelBackend.class).forEach(out::add);
    if (out.isEmpty()) {
      // A class loader that cannot see the backends (some containers): try the one that loaded core.
      ServiceLoader.load(ModelBackend.class, Models.class.getClassLoader()).forEach(out::add);
    }
    return out;
  }

  private static ModelBackend byName(List<ModelBackend> all, String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ModelBackend b : all) {
      if (b.name().toLowerCase(Locale.ROOT).equals(n)) {
        return b;
      }
    }
    for (Format f : KNOWN) {
      if (f.backend().equals(n)) {
        throw new InputException("the model backend " + n + " is not on the class path; add the module " + f.module());
      }
    }
    throw new InputException("no model backend named " + name + "; there are "
        + (all.isEmpty() ? "none on the class path (add pixelguard-onnx or pixelguard-djl)"
            : String.join(", ", all.stream().map(ModelBackend::name).toList())));
  }

  private static InputException unknownFormat(String location) {
    for (Format f : KNOWN) {
      if (f.matches(location)) {
        return new InputException("model " + location + " is " + f.what() + ", but no backend for it is on the "
            + "class path; add the module " + f.module());
      }
    }
    return new InputException("cannot tell the format of model " + location + " from its name; use --backend onnx, "
        + "torchscript or pixelguard");
  }

  /** The location as a local path, or null when it has a scheme ({@code builtin:...}) or is no valid path here. */
  public static Path localPath(String location) {
    if (ModelBackend.schemeOf(location) != null) {
      return null;
    }
    try {
      return Path.of(location);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
