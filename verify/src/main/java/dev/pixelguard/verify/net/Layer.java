package dev.pixelguard.verify.net;

/**
 * One operation of a {@link Net}, with its three meanings: the concrete value, the bound on that value's
 * rounding error, and the transfer of a {@link Zone} (what the operation does to all colours of one pixel at
 * once). Implementations are immutable and shared between threads.
 */
interface Layer {
  /** The output shape. */
  Shape out();

  /** The output for concrete inputs. */
  double[] forward(double[][] in);

  /**
   * A bound on |computed - exact| of {@link #forward}'s result, for every element, given the inputs' own
   * bounds (exact inputs have bound 0).
   */
  double error(double[][] in, double[] out, double[] inError);

  /**
   * The zone of the output, given the inputs' zones.
   *
   * @param in the inputs' zones
   * @param clean the inputs' clean values
   * @param cleanOut this layer's clean output
   * @param inError the inputs' clean-value error bounds
   * @param box the colour box
   */
  Zone bound(Zone[] in, double[][] clean, double[] cleanOut, double[] inError, Box box);

  /** A short description, such as "Conv 16->32 3x3 stride 2". */
  String describe();
}
