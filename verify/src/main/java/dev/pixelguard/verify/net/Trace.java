package dev.pixelguard.verify.net;

/**
 * One image's clean pass through a {@link Net}: every node's values in double precision, and for each node a
 * bound E on how far those computed values can be from the exact ones (the same for every element). Bounds
 * for a changed pixel are deltas from these values.
 */
public final class Trace {
  final double[][] values;

  Trace(double[][] values) {
    this.values = values;
  }

  /** The network's output (logits, or whatever the last node gives) on the clean image. */
  public double[] output() {
    return values[values.length - 1].clone();
  }
}
