package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.InputLayout;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.OutputKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which model to load and how to read it: shared by every command that runs a model. The options build the
 * descriptor; {@link Models#open(ModelRequest)} picks the backend and opens the model.
 */
public final class ModelOptions {
  @Option(names = {"-m", "--model"}, paramLabel = "FILE",
      description = "Model file: .onnx (ONNX Runtime), .pt/.pth/.ts/.torchscript (TorchScript via DJL PyTorch), "
          + ".pgm (pixelguard's own networks), or a bundled model: builtin:fashion-cnn (the default, trained "
          + "normally) or builtin:fashion-cnn-pgd (adversarially trained), or a model behind an Open Inference "
          + "Protocol v2 server: http://HOST:PORT/v2/models/NAME (KServe, Triton, MLServer, pixelguard serve). "
          + "Default: builtin:fashion-cnn.")
  List<String> models = new ArrayList<>();

  @Option(names = "--backend", paramLabel = "NAME",
      description = "Override the engine chosen from the file name: onnx, torchscript or pixelguard "
          + "(or any other installed model backend).")
  String backend;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "Model descriptor (JSON; see docs/model-descriptor.md). Default: MODEL.json beside the model, if present.")
  Path spec;

  @Option(names = "--classes", paramLabel = "FILE|LIST",
      description = "Class names: a file with one name per line, or a comma-separated list.")
  String classes;

  @Option(names = "--layout", paramLabel = "NCHW|NHWC", description = "Input layout (default: from the model, else NCHW).")
  InputLayout layout;

  @Option(names = "--range", paramLabel = "unit|byte", description = "Input value range: unit = [0,1] (default), byte = [0,255].")
  String range;

  @Option(names = "--mean", paramLabel = "M,M,M", split = ",", description = "Per-channel mean to subtract (in --range units).")
  float[] mean;

  @Option(names = "--std", paramLabel = "S,S,S", split = ",", description = "Per-channel std to divide by (in --range units).")
  float[] std;

  @Option(names = "--output-kind", paramLabel = "KIND",
      description = "What the model outputs: logits, probabilities or auto (default: from the output's name, else detected).")
  OutputKind outputKind;

  @Option(names = "--input-shape", paramLabel = "C,H,W", split = ",",
      description = "Input shape, for models that do not record it (TorchScript). Default: the images' shape.")
  int[] inputShape;

  @Option(names = "--remote-timeout", paramLabel = "SECONDS",
      description = "Remote models: how long one request may take before it is retried (default 30).")
  Double remoteTimeout;

  @Option(names = "--remote-retry-for", paramLabel = "DURATION",
      description = "Remote models: how long a timed-out, dropped or 5xx request is tried again, with exponential "
          + "backoff and jitter: seconds, or with a unit such as 60s, 2m, 500ms (default 60s, long enough for a "
          + "server to restart). Retries never change an outcome; they are reported.")
  String remoteRetryFor;

  @Option(names = "--remote-retries", paramLabel = "N",
      description = "Remote models: at most N retries of one request, within --remote-retry-for (default: no "
          + "count, only the time).")
  Integer remoteRetries;

  @Option(names = "--remote-batch", paramLabel = "N",
      description = "Remote models: the most images one request carries (default 64).")
  Integer remoteBatch;

  @Option(names = "--remote-binary", negatable = true,
      description = "Remote models: send images as binary tensor data after a JSON header (the v2 binary tensor "
          + "extension) instead of JSON numbers: less to write and parse. Default: when the server lists the "
          + "extension (Triton and pixelguard serve do); --no-remote-binary sends JSON numbers.")
  Boolean remoteBinary;

  @Option(names = "--remote-in-flight", paramLabel = "N",
      description = "Remote models: how many requests of one batch are in flight at once (default 4).")
  Integer remoteInFlight;

  @Option(names = "--threads", paramLabel = "N", description = "Inference threads for ONNX Runtime (default: one per core).")
  int threads;

  @Option(names = "--defence", paramLabel = "SPEC",
      description = "Wrap the model in a defence and use the defended system as the model: masking[:MASKS] "
          + "(double masking, PatchCleanser: the classifier 'certify' proves) or masking-gate[:MASKS] (the certified "
          + "gate: it abstains unless every one- and two-mask prediction agrees, so attacks seek harm). MASKS: "
          + "lattice:K for one pixel (default lattice:6), blocks:M/S for patches; then ,fill=FILL and "
          + ",threat=pixel|patch:P. See docs/certification.md.")
  String defence;

  @Option(names = "--label-only", description = "Treat the model as revealing only its top class (as an API that "
      + "answers with a label): attacks see no probabilities or logits, only success or failure.")
  boolean labelOnly;

  /** Whether the embedded default model is meant. */
  boolean isDefault() {
    return models.isEmpty();
  }

  /**
   * The one model given, or {@code builtin:fashion-cnn} when none is (opened as the embedded default).
   *
   * @throws InputException if several models were given
   */
  String location() {
    if (models.size() > 1) {
      throw new InputException("give one --model; only compare takes several");
    }
    return models.isEmpty() ? DefaultBundle.names().get(0) : models.get(0);
  }

  /** Every model given, or the bundled ones ({@link DefaultBundle#names()}) when none is. */
  List<String> locations() {
    return models.isEmpty() ? DefaultBundle.names() : List.copyOf(models);
  }

  /** A name for messages and reports. */
  String name() {
    if (isDefault()) {
      return "default: " + DefaultBundle.MODEL;
    }
    String location = location();
    Path file = Models.localPath(location);
    return file == null || file.getFileName() == null ? location : file.getFileName().toString();
  }

  /**
   * Opens the model ({@link #location()}; the embedded default when none is given).
   *
   * @param dataShape [C, H, W] of the images it will see, used where the model does not record its input
   *     shape; may be null
   * @param dataClassNames class names of the data, used when the model has none and the counts agree
   */
  Classifier open(int[] dataShape, List<String> dataClassNames) {
    remoteOptions(location()); // refuses --remote-* for a local model before any work
    if (defence != null) {
      Models.checkDefence(defence);
    }
    return finish(isDefault() ? defended(Models.withTemperature(DefaultBundle.defaultClassifier(threads), descriptor()))
        : openRaw(location(), dataShape), dataClassNames);
  }

  /** The embedded default in the --defence asked for (other models get it from {@link Models#open}). */
  private Classifier defended(Classifier c) {
    try {
      return Models.defend(c, defence);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Refuses --defence for a command that works on the bare model, in one line before any work.
   *
   * @param why what the command does instead, e.g. "verify proves the bare network"
   */
  void refuseDefence(String why) {
    if (defence != null) {
      throw new InputException("--defence does not apply here: " + why);
    }
  }

  /**
   * Opens one of several models with these options (descriptor, overrides, label-only), as compare does.
   *
   * @param location a model file or bundled name, such as one of {@link #locations()}
   * @param dataShape [C, H, W] of the images, for models that do not record their input shape; may be null
   * @param dataClassNames class names of the data, used when the model has none and the counts agree
   */
  Classifier open(String location, int[] dataShape, List<String> dataClassNames) {
    return finish(openRaw(location, dataShape), dataClassNames);
  }

  /**
   * Opens the model as {@link #open(int[], List)} does, but without the descriptor's temperature: the model's
   * own scores, which calibrate fits a temperature to.
   */
  Classifier openUncalibrated(int[] dataShape, List<String> dataClassNames) {
    refuseDefence("calibrate fits the bare model's temperature, which a defence then uses");
    Classifier raw = isDefault() ? DefaultBundle.defaultClassifier(threads)
        : Models.open(ModelRequest.builder(location()).spec(descriptor(location()).withTemperature(null))
            .backend(backend).threads(threads).dataShape(dataShape).options(remoteOptions(location())).build());
    return finish(raw, dataClassNames);
  }

  private Classifier finish(Classifier raw, List<String> dataClassNames) {
    Classifier c = raw;
    if (labelOnly) {
      c = Classifiers.labelOnly(c);
    }
    boolean named = !c.info().classNames().get(0).equals("0");
    int k = c.info().numClasses();
    if (!named && dataClassNames != null && dataClassNames.size() == k) {
      c = Classifiers.withClassNames(c, dataClassNames);
    } else if (!named && dataClassNames != null && c.info().abstainClass() == k - 1 && dataClassNames.size() == k - 1) {
      // A defended system that may abstain (a gate served over HTTP): the data's classes, then "abstain".
      List<String> names = new ArrayList<>(dataClassNames);
      names.add(ModelInfo.ABSTAIN);
      c = Classifiers.withClassNames(c, names);
    }
    return c;
  }

  private Classifier openRaw(String location, int[] dataShape) {
    return Models.open(request(location).toBuilder().dataShape(dataShape).build());
  }

  /**
   * The one model given (the embedded default when none is) as a request: its location resolved once, with the
   * descriptor ({@link #descriptor(String)}), the backend, threads and remote settings these options give.
   */
  ModelRequest request() {
    return request(isDefault() ? DefaultBundle.DEFAULT : location());
  }

  private ModelRequest request(String location) {
    return ModelRequest.builder(location).spec(descriptor(location)).backend(backend).threads(threads)
        .options(remoteOptions(location)).defence(defence).build();
  }

  /** The --remote-* options, as the v2 backend's request options; refused for a model that is not remote. */
  java.util.Map<String, String> remoteOptions(String location) {
    java.util.Map<String, String> o = remoteOptionsGiven();
    String scheme = dev.pixelguard.model.ModelBackend.schemeOf(location);
    if (!o.isEmpty() && !"http".equals(scheme) && !"https".equals(scheme)) {
      throw new InputException("--remote-* options apply to models behind a server (http://HOST:PORT/v2/models/"
          + "NAME), not to " + location);
    }
    return o;
  }

  private java.util.Map<String, String> remoteOptionsGiven() {
    java.util.Map<String, String> o = new java.util.LinkedHashMap<>();
    if (remoteTimeout != null) {
      o.put("timeout", Double.toString(remoteTimeout));
    }
    if (remoteRetryFor != null) {
      o.put("retry-for", remoteRetryFor);
    }
    if (remoteRetries != null) {
      o.put("retries", Integer.toString(remoteRetries));
    }
    if (remoteBatch != null) {
      o.put("batch", Integer.toString(remoteBatch));
    }
    if (remoteInFlight != null) {
      o.put("in-flight", Integer.toString(remoteInFlight));
    }
    if (remoteBinary != null) {
      o.put("binary", remoteBinary.toString());
    }
    return o;
  }

  /** The descriptor of {@link #location()}. */
  ModelSpec descriptor() {
    return descriptor(location());
  }

  /**
   * The descriptor: --spec, else MODEL.json beside the model ({@link Models#descriptorFor}), else defaults;
   * then the options on top.
   */
  ModelSpec descriptor(String location) {
    ModelSpec s = ModelSpec.DEFAULT;
    if (spec != null) {
      if (!Files.isRegularFile(spec)) {
        throw new InputException("model descriptor not found: " + spec);
      }
      s = ModelSpec.read(spec);
    } else {
      Path file = Models.localPath(location);
      if (file != null) {
        s = Models.descriptorFor(file);
      }
    }
    if (layout != null) {
      s = s.withLayout(layout);
    }
    if (range != null) {
      s = s.withRange(ModelSpec.parseRange(range));
    }
    if (mean != null || std != null) {
      s = s.withNormalization(mean, std);
    }
    if (outputKind != null) {
      s = s.withOutput(outputKind);
    }
    if (classes != null) {
      s = s.withClassNames(parseClasses(classes));
    }
    if (inputShape != null) {
      s = s.withInputShape(inputShape);
    }
    return s;
  }

  static List<String> parseClasses(String text) {
    Path p = Path.of(text);
    if (Files.isRegularFile(p)) {
      try {
        return Files.readAllLines(p).stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
      } catch (IOException e) {
        throw new InputException("cannot read class names from " + p + ": " + e.getMessage());
      }
    }
    if (!text.contains(",")) {
      throw new InputException("--classes: no file " + text + ", and not a comma-separated list");
    }
    return Arrays.stream(text.split(",")).map(String::trim).toList();
  }
}
