package dev.pixelguard.transform;

import dev.pixelguard.transform.Transform;

/**
 * A transform that is a separable linear map (one weight table per axis): crop and resize, rescale, blur.
 * Forward and backward read the same tables, so the gradient is the map's exact transpose.
 */
interface SeparableLinear extends Transform {

  /** The map for an image of this size and, for a random transform, this seed. */
  Separable map(int height, int width, long seed);

  @Override
  default void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    map(height, width, seed).apply(src, srcOffset, channels, dst, dstOffset);
  }

  @Override
  default void backward(float[] src, int offset, int channels, int height, int width, long seed, float[] gradOut,
      float[] gradIn) {
    map(height, width, seed).transpose(gradOut, offset, channels, gradIn);
  }

  @Override
  default boolean exactGradient() {
    return true;
  }
}
