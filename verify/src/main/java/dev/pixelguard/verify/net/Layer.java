package dev.pixelguard.verify.net;

/**
 * One operation of a {@link Net}, with its two meanings: the concrete value, and the transfer of a {@link Zone}
 * (what the operation does to all colours of one pixel at once). Implementations are immutable and shared between
 * threads.
 */
abstract class Layer {
  /** The graph node's label, such as "Conv /layer1/conv1". */
  final String name;
  /** The output shape. */
  final Shape out;

  Layer(String name, Shape out) {
    this.name = name;
    this.out = out;
  }

  /** The output shape. */
  final Shape out() {
    return out;
  }

  /** The output for concrete inputs. */
  abstract double[] forward(double[][] in);

  /**
   * The zone of the output, given the inputs' zones.
   *
   * @param in the inputs' zones, at least one of them not empty (the net handles a node the pixel does not reach)
   * @param clean the inputs' clean values
   * @param cleanOut this layer's clean output
   * @param dom the ranges of the symbols (the colour box, then error symbols), and where new error symbols are made
   */
  abstract Zone bound(Zone[] in, double[][] clean, double[] cleanOut, Domain dom);

  /** A short description, such as "Conv 16->32 3x3 stride 2": the name, and what the layer adds to it. */
  String describe() {
    return name;
  }
}
