package dev.pixelguard.transform;

import dev.pixelguard.image.Image;
import dev.pixelguard.model.ColourRanges;
import java.util.Map;

/**
 * An input transformation a defence applies before the model sees an image: a slight crop, a rescale, a
 * blur, JPEG recompression, a median filter, a bit-depth reduction. Each is a small immutable value whose
 * {@link #parameters()} go into results files, so a figure always says which transformation it was measured
 * with.
 *
 * <p>Transforms work on one image at a time, planar [C, H, W] floats in [0, 1] (one row of an
 * {@link dev.pixelguard.image.ImageBatch}), and keep the shape. A random transform (a crop offset, a scale)
 * draws everything from the {@code seed} it is given and from nothing else, so the same image with the same
 * seed gives the same output in any batch; {@link TransformedClassifier} derives that seed from a root seed
 * and the image itself.
 */
public interface Transform {

  /**
   * A short lower-case name, e.g. {@code "median"}; with {@link #parameters()} it identifies the transform. The
   * default is the class's simple name in lower case ({@code Median}: {@code median}).
   */
  default String name() {
    return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** The parameters, in a stable order, e.g. {@code {size=2}}; values are numbers, strings or booleans. */
  Map<String, Object> parameters();

  /** Whether the output depends on the seed. */
  default boolean isRandom() {
    return false;
  }

  /**
   * Transforms one image.
   *
   * @param src planar values in [0, 1], {@code channels * height * width} of them from {@code srcOffset}
   * @param dst where the result goes, same shape, from {@code dstOffset}; never the same region as {@code src}
   * @param seed the only source of randomness of a random transform; ignored by others
   */
  void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed);

  /**
   * The gradient with respect to the transform's input, given the gradient with respect to its output at
   * the same input and seed. The default passes the gradient straight through (the identity approximation
   * of BPDA, Athalye, Carlini & Wagner 2018), which is what a non-differentiable transform (JPEG, median,
   * bit depth) gets; linear transforms override it with their exact transpose.
   *
   * @param gradOut d loss / d output, planar, from {@code offset}
   * @param gradIn where d loss / d input goes, planar, from {@code offset}
   */
  default void backward(float[] src, int offset, int channels, int height, int width, long seed,
      float[] gradOut, float[] gradIn) {
    System.arraycopy(gradOut, offset, gradIn, offset, channels * height * width);
  }

  /**
   * What this transform lets through of a one-pixel change of {@code image}: per position and channel, the range
   * of 8-bit levels within which a changed pixel still reaches the output, beyond which the transform erases or
   * clamps the change. Null when the transform has no such set: a blur or JPEG spreads any change over its
   * neighbours, and an attack then follows the expectation over the transform (BPDA) instead. The default gives
   * none. Attacks that know a defence search inside these ranges ({@link dev.pixelguard.model.AdmitsColours}).
   *
   * @param image the clean image, 8-bit
   */
  default ColourRanges admitted(Image image) {
    return null;
  }

  /** Whether {@link #backward} is exact rather than the straight-through approximation. */
  default boolean exactGradient() {
    return false;
  }

  /** The transform as text, e.g. {@code median(size=2)}: the form results files and reports use. */
  default String describe() {
    StringBuilder b = new StringBuilder(name()).append('(');
    boolean first = true;
    for (Map.Entry<String, Object> e : parameters().entrySet()) {
      if (!first) {
        b.append(", ");
      }
      b.append(e.getKey()).append('=').append(e.getValue());
      first = false;
    }
    return b.append(')').toString();
  }
}
