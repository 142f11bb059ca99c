package dev.pixelguard.certify;

/**
 * How double masking fills the pixels its masks hide. A fill sees only a {@link Visible} view, which holds no
 * hidden value, so the masked image is a function of the unmasked pixels alone: the condition under which an
 * attacker confined to a mask cannot change any prediction made with that mask applied. Implementations must be
 * deterministic (the same view gives bit-identical values) and stateless; {@link Fills} has the built-in ones.
 */
public interface Fill {

  /** The name results record, which {@link Fills#parse} reads back, e.g. {@code harmonic}. */
  String spec();

  /**
   * Computes the values of the hidden positions.
   *
   * @param visible the image with the masked positions taken out
   * @param out where to write: {@code out[c * visible.hiddenCount() + i]} is channel c of the i-th hidden
   *     position, finite (values in [0, 1] keep the model's input range)
   */
  void fill(Visible visible, float[] out);
}
