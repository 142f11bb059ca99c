package dev.pixelguard.data;

import dev.pixelguard.image.Image;

/**
 * An image with its true label.
 *
 * @param id where it came from, e.g. "test_batch_subset.bin#17" or a file name
 * @param image the pixels
 * @param label the true class, or {@link #UNLABELED}
 */
public record LabeledImage(String id, Image image, int label) {
  /** Label of an image whose class is not known. */
  public static final int UNLABELED = -1;

  public boolean hasLabel() {
    return label >= 0;
  }
}
