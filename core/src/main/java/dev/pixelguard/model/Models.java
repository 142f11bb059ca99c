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
 * {@link ModelBackend#handles} accepts the location: core knows no backend by name, it finds them with
 * {@link java.util.ServiceLoader}. A location without a scheme is a local file, which must exist (unless the
 * request carries the model's bytes). Every failure a user can fix is an {@link InputException} with one line
 * saying what to do.
 */
public final class Models {
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
    return open(request(location));
  }

  /**
   * The request for a model location, resolved once: for a local file its descriptor is the sidecar beside it
   * ({@link #descriptorFor}), else {@link ModelSpec#DEFAULT}; backend by name, default threads. Add settings
   * with {@link ModelRequest#toBuilder()}.
   *
   * @throws InputException if the sidecar exists but is invalid
   */
  public static ModelRequest request(String location) {
    Path file = localPath(location);
    return ModelRequest.builder(location).spec(file == null ? ModelSpec.DEFAULT : descriptorFor(file)).build();
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
   * see calibrated probabilities; a gradient classifier stays one. A {@link ModelRequest#defence()} then wraps
   * it in that defence ({@link Defences}).
   *
   * @return the classifier, which the caller closes
   * @throws InputException if the request names no installed backend, the local file does not exist, no
   *     backend takes the location, or the backend cannot read the model
   */
  public static Classifier open(ModelRequest request) {
    if (request.defence() != null) {
      Defences.check(request.defence()); // a bad spec is refused before the model is read
    }
    Classifier c = withTemperature(backendFor(request).open(request), request.spec());
    try {
      return Defences.apply(c, request.defence());
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
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
    if (ModelBackend.schemeOf(location) == null && request.content() == null) {
      Path file = localPath(location);
      if (file == null || !Files.isRegularFile(file)) {
        throw new InputException("model file not found: " + location);
      }
    }
    if (backend == null) {
      backend = all.stream().filter(b -> b.handles(location)).findFirst()
          .orElseThrow(() -> unknownFormat(location, all));
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

  /**
   * The defended classifier for a defence spec ({@code masking:lattice:6}) around {@code model}, by the
   * {@link ModelDefence} of that name on the class path; {@code model} itself when {@code spec} is null. Closing it
   * closes the model.
   *
   * @throws InputException when no defence of that name is installed, or its arguments are refused
   */
  public static Classifier defend(Classifier model, String spec) {
    return Defences.apply(model, spec);
  }

  /**
   * Checks a defence spec without a model: its defence is installed and takes these arguments.
   *
   * @throws InputException otherwise, in one line that names the installed defences
   */
  public static void checkDefence(String spec) {
    Defences.check(spec);
  }

  /** The names of the installed {@link ModelDefence}s. */
  public static List<String> defences() {
    return Defences.names();
  }

  /** The names of the backends on the class path, in the order they are tried. */
  public static List<String> backends() {
    return load().stream().map(ModelBackend::name).toList();
  }

  /** The models the backends on the class path carry inside their jars ({@link ModelBackend#bundled()}). */
  public static List<String> bundled() {
    return load().stream().flatMap(b -> b.bundled().stream()).toList();
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
    throw new InputException("no model backend named " + name + " is on the class path; there are "
        + (all.isEmpty() ? "none (add a backend module, such as pixelguard-onnx or pixelguard-djl)"
            : String.join(", ", all.stream().map(ModelBackend::name).toList())));
  }

  private static InputException unknownFormat(String location, List<ModelBackend> all) {
    String installed = all.isEmpty() ? "none is installed"
        : "the installed ones are " + String.join(", ", all.stream().map(ModelBackend::name).toList());
    String scheme = ModelBackend.schemeOf(location);
    if (scheme != null) {
      return new InputException("no model backend reads " + scheme + ": locations such as " + location + " ("
          + installed + "); add the module that reads them (docs/model-descriptor.md lists the backends)");
    }
    List<String> reads = all.stream().filter(b -> !b.extensions().isEmpty()).sorted(
        java.util.Comparator.comparing(ModelBackend::name)).map(b -> b.name() + " (" + String.join(", ",
            b.extensions()) + ")").toList();
    return new InputException("cannot tell the format of model " + location + " from its name: " + (reads.isEmpty()
        ? "no installed backend reads files" : "the installed backends read " + String.join(", ", reads))
        + "; name one with --backend, or add the module that reads it (docs/model-descriptor.md lists the backends)");
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
