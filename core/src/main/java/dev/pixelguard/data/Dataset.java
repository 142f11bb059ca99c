package dev.pixelguard.data;

import dev.pixelguard.InputException;
import java.util.List;

/**
 * An immutable list of labelled images with the names of their classes.
 *
 * @param name a short name for reports, e.g. the file name
 * @param images the images, in file order
 * @param classNames class names in label order; empty when the source has none
 */
public record Dataset(String name, List<LabeledImage> images, List<String> classNames) {
  public Dataset {
    images = List.copyOf(images);
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  public int size() {
    return images.size();
  }

  public LabeledImage get(int index) {
    if (index < 0 || index >= images.size()) {
      throw new InputException("image index " + index + " is out of range; " + name + " has " + images.size()
          + " images (0 to " + (images.size() - 1) + ")");
    }
    return images.get(index);
  }

  /** The first {@code n} images (all of them when {@code n} is larger). */
  public Dataset limit(int n) {
    return n >= images.size() ? this : new Dataset(name, images.subList(0, n), classNames);
  }
}
