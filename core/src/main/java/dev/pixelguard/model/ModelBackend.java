package dev.pixelguard.model;

import java.util.List;
import java.util.Locale;

/**
 * One way of opening a model as a {@link Classifier}: an engine for a file format (ONNX Runtime for
 * {@code .onnx}, DJL's PyTorch engine for TorchScript) or a source of models (the bundled
 * {@code builtin:} networks). {@link Models#open(ModelRequest)} picks the backend for a location.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: a module lists its backends, one
 * fully qualified class name a line, in {@code META-INF/services/dev.pixelguard.model.ModelBackend}, and
 * each needs a public no-argument constructor. Putting the module's jar on the class path is all it takes;
 * core itself has no engine and no backend. A later {@code http://} backend for remote models will plug in
 * the same way, claiming the locations whose scheme is {@code http} or {@code https}.
 *
 * <p>Backends are stateless and shared: {@link #open} may be called from several threads.
 */
public interface ModelBackend {

  /** A short lower-case name ("onnx", "torchscript", "pixelguard", "builtin"), as given to {@code --backend}. */
  String name();

  /**
   * Whether this backend reads the location, judged from its name alone (a scheme such as {@code builtin:},
   * or a file extension), case-insensitively; it must not open or read the file. A backend for files
   * should claim only local paths (no scheme), see {@link #isFileWithExtension}, so that a model behind a
   * URL is left to the backend for that scheme.
   */
  boolean handles(String location);

  /**
   * The file name endings this backend reads, with their dot ({@code ".onnx"}), for messages that tell a user
   * which {@code --backend} to name; empty for a backend that reads no local files. The default gives none.
   */
  default List<String> extensions() {
    return List.of();
  }

  /**
   * The locations of the models this backend carries inside its jar ({@code builtin:fashion-cnn}), for tools
   * that show or compare every bundled model; the default carries none.
   */
  default List<String> bundled() {
    return List.of();
  }

  /**
   * Opens the model.
   *
   * @param request the location and the already-resolved descriptor; local files have been checked to exist
   * @return a classifier, which the caller closes
   * @throws dev.pixelguard.InputException if the model cannot be read or is not an image classifier
   */
  Classifier open(ModelRequest request);

  /**
   * The model's computation as an ONNX graph, for tools that read weights rather than run the model (the
   * one-pixel verifier), or empty when this backend cannot give one (TorchScript, remote models). The default
   * gives none.
   *
   * @param request as for {@link #open}
   * @throws dev.pixelguard.InputException if the model cannot be read
   */
  default java.util.Optional<ModelGraph> graph(ModelRequest request) {
    return java.util.Optional.empty();
  }

  /**
   * The scheme of a location, in lower case ({@code "builtin"} for {@code builtin:fashion-cnn},
   * {@code "http"} for {@code http://host/m.onnx}), or null for a local file path. A scheme is a letter,
   * then letters, digits, {@code +}, {@code -} or {@code .}, then a colon, two characters at least, so that
   * a Windows drive letter ({@code C:\models\m.onnx}) is a path.
   */
  static String schemeOf(String location) {
    int colon = location.indexOf(':');
    if (colon < 2 || !Character.isLetter(location.charAt(0))) {
      return null;
    }
    for (int i = 1; i < colon; i++) {
      char c = location.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') || c > 127) {
        return null;
      }
    }
    return location.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the location is a local file path (no {@link #schemeOf scheme}) whose name ends with one of the
   * extensions, ignoring case.
   *
   * @param extensions with their dot, such as {@code ".onnx"}
   */
  static boolean isFileWithExtension(String location, String... extensions) {
    if (schemeOf(location) != null) {
      return false;
    }
    String n = location.toLowerCase(Locale.ROOT);
    for (String e : extensions) {
      if (n.endsWith(e.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
