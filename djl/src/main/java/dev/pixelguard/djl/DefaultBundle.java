package dev.pixelguard.djl;

import dev.pixelguard.InputException;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Models;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The embedded default: pixelguard's small CNN trained on Fashion-MNIST, the same network adversarially
 * trained (PGD, L-infinity epsilon 0.1), inside the jar; the sample images they are shown with by default are
 * core's ({@link dev.pixelguard.data.Datasets#samples()}). The standard model is used when no model is given, so the tool works on a fresh machine with
 * nothing downloaded; both are named on the command line as {@code builtin:NAME}. Rebuild them with
 * {@code pixelguard train} (see README).
 *
 * <p>Each network is bundled twice: as a {@code .pgm} (its weights for DJL: training and input gradients)
 * and as that file's ONNX export (ONNX Runtime: classification, four times faster). The {@code .onnx} files
 * are generated from the {@code .pgm} files by {@code pixelguard export} (README, "Bundled models"), never
 * edited: a test checks that they are byte for byte what the export gives. The command line's
 * {@code builtin:} models ({@link #byName}) classify through ONNX Runtime and take gradients from DJL
 * ({@link BundledClassifier}); {@link #model()} and {@link #adversarialModel()} are the DJL networks alone.
 */
public final class DefaultBundle {
  /** Class-path folder of the bundle. */
  public static final String ROOT = "/dev/pixelguard/djl/defaults/";
  public static final String MODEL = "fashion-cnn.pgm";
  /** The PGD-trained model. */
  public static final String ADVERSARIAL_MODEL = "fashion-cnn-pgd.pgm";
  /** The ONNX export of a bundled {@code .pgm}: the same name ending in {@code .onnx}. */
  public static final String ONNX_EXTENSION = ".onnx";
  /** How the command line names a bundled model: {@code builtin:fashion-cnn}. */
  public static final String PREFIX = "builtin:";
  /** The default model's location, as the command line opens it when no model is given. */
  public static final String DEFAULT = PREFIX + "default";

  private DefaultBundle() {}

  /**
   * The default model as the command line opens it when no model is given: classified in ONNX Runtime,
   * gradients from DJL ({@link BundledClassifier}), named {@code default: fashion-cnn.pgm}. Close it.
   *
   * @param threads ONNX Runtime's intra-op threads, or 0 for one per core
   */
  public static BundledClassifier defaultClassifier(int threads) {
    return byName(DEFAULT, threads);
  }

  /** The default model's DJL network as a classifier; close it when done. */
  public static NetworkClassifier model() {
    return load(MODEL, "default: " + MODEL);
  }

  /** The PGD-trained model's DJL network as a classifier; close it when done. */
  public static NetworkClassifier adversarialModel() {
    return load(ADVERSARIAL_MODEL, PREFIX + ADVERSARIAL_MODEL.replace(".pgm", ""));
  }

  /** The command-line names of the bundled models. */
  public static List<String> names() {
    return List.of(PREFIX + MODEL.replace(".pgm", ""), PREFIX + ADVERSARIAL_MODEL.replace(".pgm", ""));
  }

  /**
   * A bundled model by its command-line name ({@link #names()}, the prefix in any case): classified in ONNX
   * Runtime, gradients from DJL ({@link BundledClassifier}). Close it when done.
   *
   * @throws InputException when the name is not one of {@link #names()}
   */
  public static BundledClassifier byName(String name) {
    return byName(name, 0);
  }

  /** {@link #byName(String)} with ONNX Runtime's intra-op threads (0: one per core). */
  public static BundledClassifier byName(String name, int threads) {
    return canonical(name).equals(DEFAULT) ? bundled(MODEL, "default: " + MODEL, threads)
        : bundled(pgmOf(name), canonical(name), threads);
  }

  /** Whether {@code location} names a bundled model: it starts with {@link #PREFIX}, in any case. */
  public static boolean isBundled(String location) {
    return location.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
  }

  /** {@code builtin:fashion-cnn} for {@code BUILTIN:Fashion-CNN}. */
  private static String canonical(String name) {
    return isBundled(name) ? PREFIX + name.substring(PREFIX.length()).toLowerCase(Locale.ROOT) : name;
  }

  /** The bundled {@code .pgm} a command-line name stands for, or one clear refusal. */
  private static String pgmOf(String name) {
    String n = canonical(name);
    if (n.equals(names().get(0))) {
      return MODEL;
    }
    if (n.equals(names().get(1))) {
      return ADVERSARIAL_MODEL;
    }
    throw new InputException("no bundled model " + name + "; there are " + String.join(", ", names()));
  }

  /** The resource name of a bundled network's ONNX export: {@code fashion-cnn.onnx} for {@code fashion-cnn.pgm}. */
  public static String onnxFile(String pgm) {
    return pgm.substring(0, pgm.length() - NetworkModel.EXTENSION.length()) + ONNX_EXTENSION;
  }

  /**
   * The ONNX export a bundled model classifies with, as a graph for tools that read weights.
   *
   * @throws InputException when the name is not one of {@link #names()}
   */
  public static ModelGraph graph(String name) {
    String pgm = canonical(name).equals(DEFAULT) ? MODEL : pgmOf(name);
    return new ModelGraph(canonical(name), bytes(onnxFile(pgm)), ModelSpec.DEFAULT);
  }

  /** The bytes of a bundled file, such as {@link #onnxFile}'s. */
  public static byte[] bytes(String file) {
    try (InputStream in = resource(file)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The bundled network classified by its ONNX export in ONNX Runtime, opened through the model backends
   * ({@link Models}) when pixelguard-onnx is on the class path; else by the DJL network itself.
   */
  private static BundledClassifier bundled(String pgm, String name, int threads) {
    Classifier fast = !Models.backends().contains("onnx") ? null : Models.open(ModelRequest.builder(name)
        .backend("onnx").content(bytes(onnxFile(pgm))).threads(threads).build());
    return new BundledClassifier(fast, () -> load(pgm, name), name);
  }

  /**
   * The network of a bundled model by its command-line name ({@link #names()}, the prefix in any case): what
   * {@code pixelguard export} writes as ONNX. Close it when done.
   *
   * @throws InputException when the name is not one of {@link #names()}
   */
  public static NetworkModel network(String name) {
    return networkFile(canonical(name).equals(DEFAULT) ? MODEL : pgmOf(name));
  }

  /**
   * The network of a {@code .pgm} file (written by {@code pixelguard train}) or of a bundled model: what
   * {@code pixelguard export} writes as ONNX. Close it when done.
   *
   * @throws InputException for any other location, or a bundled name that does not exist
   */
  public static NetworkModel networkAt(String location) {
    if (isBundled(location)) {
      return network(location);
    }
    if (!location.toLowerCase(Locale.ROOT).endsWith(NetworkModel.EXTENSION)) {
      throw new InputException("export takes pixelguard's own networks (a .pgm file from train, or builtin:NAME); "
          + location + " is not one");
    }
    return NetworkModel.load(java.nio.file.Path.of(location));
  }

  private static NetworkModel networkFile(String file) {
    try (InputStream in = resource(file)) {
      return NetworkModel.load(in, "bundled model " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NetworkClassifier load(String file, String name) {
    return new NetworkClassifier(networkFile(file), name);
  }

  private static InputStream resource(String name) {
    InputStream in = DefaultBundle.class.getResourceAsStream(ROOT + name);
    if (in == null) {
      throw new IllegalStateException("the embedded default " + name + " is missing from the build");
    }
    return in;
  }
}
