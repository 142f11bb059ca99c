package dev.pixelguard.model;

import java.util.ArrayList;
import java.util.List;

/**
 * What a classifier takes and gives.
 *
 * @param channels input channels, 1 or 3
 * @param height input height in pixels
 * @param width input width in pixels
 * @param numClasses number of classes K
 * @param classNames K names in label order (generated as "0".."K-1" when the model has none)
 * @param name a short name for reports, e.g. the model file name
 */
public record ModelInfo(int channels, int height, int width, int numClasses, List<String> classNames, String name) {
  public ModelInfo {
    if (numClasses < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, has " + numClasses);
    }
    if (classNames == null || classNames.isEmpty()) {
      classNames = numbered(numClasses);
    }
    if (classNames.size() != numClasses) {
      throw new IllegalArgumentException(
          "the model has " + numClasses + " classes but " + classNames.size() + " class names were given");
    }
    classNames = List.copyOf(classNames);
  }

  /**
   * The name of the last class of a defended system that may refuse to answer (a gate of
   * pixelguard-defences as a classifier, locally or served over HTTP): its top class is this when the
   * system abstains.
   */
  public static final String ABSTAIN = "abstain";

  /**
   * The index of the class named {@value #ABSTAIN} when it is the last class, else -1. An attack on a system
   * that may abstain means harm: it accepts the image and answers a wrong class ({@link
   * dev.pixelguard.attack.Goal.Harm}).
   */
  public int abstainClass() {
    return classNames.get(numClasses - 1).equals(ABSTAIN) ? numClasses - 1 : -1;
  }

  /** The names a model without class names gets: "0", "1", ... */
  public static List<String> numbered(int numClasses) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < numClasses; k++) {
      out.add(Integer.toString(k));
    }
    return out;
  }

  /** Whether the class names are only the numbers {@link #numbered} gives. */
  public boolean hasNames() {
    return !classNames.equals(numbered(numClasses));
  }

  /** Name of class {@code k}, or "?" for an out-of-range index. */
  public String className(int k) {
    return k >= 0 && k < numClasses ? classNames.get(k) : "?";
  }

  /**
   * The label of a class given by name (case-insensitive) or by number.
   *
   * @throws dev.pixelguard.InputException when neither matches
   */
  public int classIndex(String nameOrNumber) {
    for (int k = 0; k < numClasses; k++) {
      if (classNames.get(k).equalsIgnoreCase(nameOrNumber.trim())) {
        return k;
      }
    }
    try {
      int k = Integer.parseInt(nameOrNumber.trim());
      if (k >= 0 && k < numClasses) {
        return k;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error
    }
    throw new dev.pixelguard.InputException("unknown class '" + nameOrNumber + "'; the model's classes are "
        + String.join(", ", classNames) + " (or a number from 0 to " + (numClasses - 1) + ")");
  }

  /** Shape as text, e.g. "32x32 RGB". */
  public String inputShape() {
    return dev.pixelguard.image.Image.describe(channels, height, width);
  }
}
