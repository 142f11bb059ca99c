package dev.pixelguard.model;

import java.util.Objects;

/**
 * A model's computation as an ONNX graph, with the conventions that feed it: what tools that read a model's
 * weights need (the one-pixel verifier propagates bounds through them), rather than run it.
 *
 * <p>Backends give it where they can ({@link ModelBackend#graph}): an {@code .onnx} file is its own graph, a
 * pixelguard network and the bundled models have an ONNX export. The function a classifier computes is the
 * graph applied to the image after {@code spec}'s scaling and normalisation ({@link ModelSpec#range()},
 * {@link ModelSpec#mean()}, {@link ModelSpec#std()}) in its {@link ModelSpec#layout()}.
 *
 * @param name a short name for messages, such as the file name
 * @param onnx the serialized ONNX {@code ModelProto}
 * @param spec the conventions the classifier applies before the graph
 */
public record ModelGraph(String name, byte[] onnx, ModelSpec spec) {
  public ModelGraph {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(onnx, "onnx");
    spec = spec == null ? ModelSpec.DEFAULT : spec;
  }
}
