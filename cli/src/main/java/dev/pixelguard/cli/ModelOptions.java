package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.djl.DefaultBundle;
import dev.pixelguard.djl.TorchScriptClassifier;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Classifiers;
import dev.pixelguard.model.InputLayout;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.OutputKind;
import dev.pixelguard.onnx.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Which model to load and how to read it: shared by every command that runs a model. */
public final class ModelOptions {
  /** Engines a model can be run with. */
  public enum Backend { onnx, torchscript, pixelguard }

  @Option(names = {"-m", "--model"}, paramLabel = "FILE",
      description = "Model file: .onnx (ONNX Runtime), .pt/.pth/.torchscript (TorchScript via DJL PyTorch), "
          + ".pgm (pixelguard's own networks), or a bundled model: builtin:fashion-cnn (the default, trained "
          + "normally) or builtin:fashion-cnn-pgd (adversarially trained). Default: builtin:fashion-cnn.")
  Path model;

  @Option(names = "--backend", paramLabel = "NAME",
      description = "Override the engine chosen from the file name: ${COMPLETION-CANDIDATES}.")
  Backend backend;

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

  @Option(names = "--threads", paramLabel = "N", description = "Inference threads for ONNX Runtime (default: one per core).")
  int threads;

  @Option(names = "--label-only", description = "Treat the model as revealing only its top class (as an API that "
      + "answers with a label): attacks see no probabilities or logits, only success or failure.")
  boolean labelOnly;

  /** Whether the embedded default model is meant. */
  boolean isDefault() {
    return model == null;
  }

  /** A name for messages and reports. */
  String name() {
    return model == null ? "default: " + DefaultBundle.MODEL : model.getFileName().toString();
  }

  /**
   * Opens the model.
   *
   * @param dataShape [C, H, W] of the images it will see, used where the model does not record its input
   *     shape; may be null
   * @param dataClassNames class names of the data, used when the model has none and the counts agree
   */
  Classifier open(int[] dataShape, List<String> dataClassNames) {
    Classifier c = openRaw(dataShape);
    if (labelOnly) {
      c = Classifiers.labelOnly(c);
    }
    boolean named = !c.info().classNames().get(0).equals("0");
    if (!named && dataClassNames != null && dataClassNames.size() == c.info().numClasses()) {
      c = Classifiers.withClassNames(c, dataClassNames);
    }
    return c;
  }

  private Classifier openRaw(int[] dataShape) {
    if (model == null) {
      return DefaultBundle.model();
    }
    if (model.toString().startsWith(DefaultBundle.PREFIX) && !Files.exists(model)) {
      Classifier bundled = DefaultBundle.byName(model.toString());
      if (bundled == null) {
        throw new InputException("no bundled model " + model + "; there are " + String.join(", ", DefaultBundle.names()));
      }
      return bundled;
    }
    if (!Files.isRegularFile(model)) {
      throw new InputException("model file not found: " + model);
    }
    ModelSpec s = descriptor();
    Backend b = backend != null ? backend : backendOf(model);
    return switch (b) {
      case onnx -> OnnxClassifier.load(model, s, threads);
      case torchscript -> {
        if (s.inputShape() == null && dataShape != null) {
          s = s.withInputShape(dataShape);
        }
        yield TorchScriptClassifier.load(model, s);
      }
      case pixelguard -> new NetworkClassifier(NetworkModel.load(model), model.getFileName().toString());
    };
  }

  static Backend backendOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".onnx")) {
      return Backend.onnx;
    }
    if (n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript") || n.endsWith(".ts")) {
      return Backend.torchscript;
    }
    if (n.endsWith(NetworkModel.EXTENSION)) {
      return Backend.pixelguard;
    }
    throw new InputException("cannot tell the format of model " + file + " from its name; use --backend onnx, "
        + "torchscript or pixelguard");
  }

  /** The descriptor: --spec, else MODEL.json beside the model, else defaults; then the options on top. */
  ModelSpec descriptor() {
    ModelSpec s = ModelSpec.DEFAULT;
    Path sidecar = model == null ? null : model.resolveSibling(model.getFileName() + ".json");
    if (spec != null) {
      if (!Files.isRegularFile(spec)) {
        throw new InputException("model descriptor not found: " + spec);
      }
      s = ModelSpec.read(spec);
    } else if (sidecar != null && Files.isRegularFile(sidecar)) {
      s = ModelSpec.read(sidecar);
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
