package dev.pixelguard.cli;

import dev.pixelguard.io.GateFile;

import dev.pixelguard.InputException;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --gate FILE}: a safe-fallback gate (gate.json, as 'gate fit' writes it) in front of the models. */
public final class GateOption {
  @Option(names = "--gate", paramLabel = "GATE.json",
      description = "Put the safe-fallback gate of this file (written by 'gate fit') in front: its models replace "
          + "--model, and a prediction is accepted or abstained on (docs/defences.md).")
  Path file;

  private GateSpec spec;

  boolean given() {
    return file != null;
  }

  /** Reads the file, refusing it with --model and any problem in one line, before any work. */
  GateSpec spec(ModelOptions model) {
    if (spec == null) {
      if (!model.models.isEmpty()) {
        throw new InputException("--gate brings its own models; do not give --model with it");
      }
      model.refuseDefence("--gate is the defence; to certify or gate by masking, give --model with --defence "
          + "masking-gate instead");
      if (model.backend != null || model.spec != null || model.classes != null || model.layout != null
          || model.range != null || model.mean != null || model.std != null || model.outputKind != null
          || model.inputShape != null) {
        throw new InputException("with --gate each model's conventions come from the descriptor beside it "
            + "(docs/model-descriptor.md); --backend, --spec, --classes, --layout, --range, --mean, --std, "
            + "--output-kind and --input-shape do not apply");
      }
      if (!Files.isRegularFile(file)) {
        throw new InputException("gate file not found: " + file);
      }
      spec = GateFile.read(file);
    }
    return spec;
  }

  /**
   * Opens the gate's models and builds it.
   *
   * @param dataShape [C, H, W] of the images, for models that do not record their input shape
   */
  Gate open(ModelOptions model, List<String> dataClassNames, int[] dataShape) {
    return spec(model).open(dataClassNames, dataShape);
  }
}
