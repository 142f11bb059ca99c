package dev.pixelguard.data;

import dev.pixelguard.InputException;
import java.util.List;

/**
 * An immutable list of labelled images with the names of their classes. Its images are held in memory, or made
 * when asked for ({@link LazyImages}: a large dataset, or one converted with {@link Datasets#convert}), which is
 * kept as it is, so that an evaluation over thousands of large images never holds them all.
 *
 * @param name a short name for reports, e.g. the file name
 * @param images the images, in file order
 * @param classNames class names in label order; empty when the source has none
 * @param namedByFolder whether the labels come from folder names (a folder of class folders): their order is
 *     only alphabetical, so before use they must be matched to the model's class names ({@link #matchedTo})
 */
public record Dataset(String name, List<LabeledImage> images, List<String> classNames, boolean namedByFolder) {
  public Dataset {
    images = images instanceof LazyImages ? images : List.copyOf(images);
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
  }

  /** A dataset whose labels are indices into {@code classNames} as its source defines them. */
  public Dataset(String name, List<LabeledImage> images, List<String> classNames) {
    this(name, images, classNames, false);
  }

  /**
   * This dataset labelled by the model's classes: each folder name is matched to the model class of the same
   * name (ignoring case), so a holdout folder with only {@code cat/} and {@code ship/} is labelled cat and ship,
   * not by the folders' alphabetical positions. Datasets not named by folder are returned as they are.
   *
   * @param modelClasses the model's class names in its output order
   * @throws InputException when a folder name matches no class of the model
   */
  public Dataset matchedTo(List<String> modelClasses) {
    if (!namedByFolder) {
      return this;
    }
    int[] map = new int[classNames.size()];
    for (int k = 0; k < map.length; k++) {
      map[k] = -1;
      for (int m = 0; m < modelClasses.size(); m++) {
        if (modelClasses.get(m).equalsIgnoreCase(classNames.get(k))) {
          map[k] = m;
          break;
        }
      }
      if (map[k] < 0) {
        throw new InputException("folder '" + classNames.get(k) + "' of dataset " + name + " matches no class of "
            + "the model (" + String.join(", ", modelClasses) + "); name class folders after the model's classes");
      }
    }
    java.util.function.UnaryOperator<LabeledImage> relabel =
        li -> li.hasLabel() ? new LabeledImage(li.id(), li.image(), map[li.label()]) : li;
    if (images instanceof LazyImages lazy) {
      return new Dataset(name, lazy.map(relabel), modelClasses, false);
    }
    List<LabeledImage> out = new java.util.ArrayList<>(images.size());
    for (LabeledImage li : images) {
      out.add(relabel.apply(li));
    }
    return new Dataset(name, out, modelClasses, false);
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
    return n >= images.size() ? this : new Dataset(name, images.subList(0, n), classNames, namedByFolder);
  }

  /**
   * This dataset cycled through to {@code n} images, made when asked for: image {@code i} is image
   * {@code i mod size()}, with the id {@code "ID~r"} for its {@code r}-th repeat ({@code r >= 1}), so every repeat is
   * attacked with a seed of its own; the first pass keeps its ids. For load tests and memory benchmarks.
   *
   * @throws InputException when {@code n} is not positive
   */
  public Dataset repeat(int n) {
    if (n < 1) {
      throw new InputException("the number of repeated images must be at least 1, was " + n);
    }
    int m = images.size();
    List<LabeledImage> src = images;
    return new Dataset(name + (n == m ? "" : " x" + n), new LazyImages(n, i -> {
      LabeledImage li = src.get(i % m);
      return i < m ? li : new LabeledImage(li.id() + "~" + (i / m), li.image(), li.label());
    }), classNames, namedByFolder);
  }

  /**
   * Images {@code range.from()} to {@code range.to()} (inclusive), keeping their ids; the name says which.
   *
   * @throws InputException when the range does not lie inside the dataset
   */
  public Dataset range(Split.Range range) {
    if (range.to() >= images.size()) {
      throw new InputException("images " + range + " are out of range; " + name + " has " + images.size()
          + " images (0 to " + (images.size() - 1) + ")");
    }
    return new Dataset(name + "[" + range + "]", images.subList(range.from(), range.to() + 1), classNames,
        namedByFolder);
  }
}
