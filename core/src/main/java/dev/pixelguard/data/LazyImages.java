package dev.pixelguard.data;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * A dataset's images made when asked for: {@code get(i)} builds image {@code i} (decodes it, resizes it, ...)
 * and keeps nothing, so a dataset of thousands of large images costs only its source's memory. A
 * {@link Dataset} keeps such a list as it is, and its {@link Dataset#limit}, {@link Dataset#range},
 * {@link Dataset#matchedTo} and {@link Datasets#convert} stay lazy. The function must give equal images for
 * equal indices every time (ids included: they are the images' seeds).
 */
public final class LazyImages extends AbstractList<LabeledImage> implements RandomAccess {
  private final int from;
  private final int size;
  private final IntFunction<LabeledImage> image;

  /**
   * @param size the number of images
   * @param image image {@code i}, for {@code i} in [0, size)
   */
  public LazyImages(int size, IntFunction<LabeledImage> image) {
    this(0, size, image);
  }

  private LazyImages(int from, int size, IntFunction<LabeledImage> image) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be at least 0, was " + size);
    }
    this.from = from;
    this.size = size;
    this.image = Objects.requireNonNull(image);
  }

  @Override
  public LabeledImage get(int index) {
    Objects.checkIndex(index, size);
    return image.apply(from + index);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public LazyImages subList(int fromIndex, int toIndex) {
    Objects.checkFromToIndex(fromIndex, toIndex, size);
    return new LazyImages(from + fromIndex, toIndex - fromIndex, image);
  }

  /** These images, each passed through {@code f} when asked for. */
  public LazyImages map(UnaryOperator<LabeledImage> f) {
    return new LazyImages(0, size, i -> f.apply(get(i)));
  }
}
