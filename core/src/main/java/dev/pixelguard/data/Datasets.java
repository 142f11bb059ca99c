package dev.pixelguard.data;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a dataset from a path, choosing the reader from what the path is:
 * <ul>
 *   <li>a folder of class folders ({@code root/cat/1.png}, ...): labels from the sub-folder names, to be matched
 *       to a model's class names with {@link Dataset#matchedTo} (their own order is only alphabetical);
 *   <li>a folder of image files: one unlabelled image each;
 *   <li>{@code *.bin}: CIFAR-10 binary batch ({@link Cifar10Reader});
 *   <li>a name containing {@code idx3} (optionally {@code .gz}): IDX images with their labels file
 *       ({@link IdxReader});
 *   <li>a single image file: a one-image, unlabelled dataset.
 * </ul>
 */
public final class Datasets {
  /** Class-path folder of the bundled sample images. */
  private static final String SAMPLES = "/dev/pixelguard/data/samples/";
  private static final String SAMPLE_IMAGES = "fashion-mnist-test-500-images-idx3-ubyte.gz";
  private static final String SAMPLE_LABELS = "fashion-mnist-test-500-labels-idx1-ubyte.gz";

  private Datasets() {}

  /**
   * The bundled sample images: the first 500 Fashion-MNIST test images (Xiao, Rasul & Vollgraf 2017) with their
   * labels and class names, inside pixelguard-core's jar, so a fresh machine has data with nothing downloaded.
   * The bundled models ({@code builtin:}) were trained on Fashion-MNIST's training images.
   */
  public static Dataset samples() {
    try (InputStream im = new GZIPInputStream(resource(SAMPLE_IMAGES));
        InputStream lb = new GZIPInputStream(resource(SAMPLE_LABELS))) {
      List<Image> images = IdxReader.readImages(im, SAMPLE_IMAGES);
      int[] labels = IdxReader.readLabels(lb, SAMPLE_LABELS);
      List<LabeledImage> out = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        out.add(new LabeledImage("fashion-mnist-test#" + i, images.get(i), labels[i]));
      }
      return new Dataset("default: Fashion-MNIST test images 0-" + (images.size() - 1), out,
          IdxReader.FASHION_MNIST_CLASSES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = Datasets.class.getResourceAsStream(SAMPLES + name);
    if (in == null) {
      throw new IllegalStateException("the bundled sample " + name + " is missing from the build");
    }
    return in;
  }

  /**
   * @throws InputException if the path is missing, of an unknown kind, or holds no image
   */
  public static Dataset open(Path path) {
    if (!Files.exists(path)) {
      throw new InputException("dataset not found: " + path);
    }
    Dataset d;
    String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (Files.isDirectory(path)) {
      d = readFolder(path);
    } else if (lower.endsWith(".bin")) {
      d = Cifar10Reader.read(path);
    } else if (lower.contains("idx3")) {
      d = IdxReader.read(path);
    } else if (ImageFiles.isImageFile(path)) {
      d = new Dataset(name, List.of(new LabeledImage(name, ImageFiles.read(path), LabeledImage.UNLABELED)),
          List.of());
    } else {
      throw new InputException("cannot tell what kind of dataset " + path + " is; give a folder of images, a "
          + "CIFAR-10 .bin batch, an IDX images file (*-images-idx3-ubyte[.gz]) or an image file");
    }
    if (d.size() == 0) {
      throw new InputException("dataset " + path + " holds no images");
    }
    return d;
  }

  /**
   * A folder whose images, decoded, would take more than this many bytes (width x height x 3 each, from the
   * files' headers) is read lazily: every file is checked from its header before the work starts
   * ({@link ImageFiles#probe}), and decoded when the evaluation reaches it, so the dataset costs memory for its
   * file list only. Smaller folders are decoded whole at once, so a broken file is found before any work.
   */
  public static final long EAGER_FOLDER_BYTES = 128L << 20;

  private static Dataset readFolder(Path root) {
    return readFolder(root, EAGER_FOLDER_BYTES);
  }

  /** A folder dataset, read lazily when its images, decoded, would take more than {@code eagerBytes} bytes. */
  static Dataset readFolder(Path root, long eagerBytes) {
    List<Path> classDirs;
    List<Path> looseImages;
    try (Stream<Path> s = Files.list(root)) {
      List<Path> entries = s.sorted().toList();
      classDirs = entries.stream().filter(Files::isDirectory).toList();
      looseImages = entries.stream().filter(p -> Files.isRegularFile(p) && ImageFiles.isImageFile(p)).toList();
    } catch (IOException e) {
      throw new InputException("cannot list " + root + ": " + e.getMessage());
    }
    List<Path> files = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (!classDirs.isEmpty()) {
      for (int k = 0; k < classDirs.size(); k++) {
        Path dir = classDirs.get(k);
        names.add(dir.getFileName().toString());
        try (Stream<Path> s = Files.list(dir)) {
          for (Path f : s.filter(p -> Files.isRegularFile(p) && ImageFiles.isImageFile(p)).sorted().toList()) {
            files.add(f);
            // The id is the path below the root with '/' on every system: it is also the image's seed.
            ids.add(root.relativize(f).toString().replace(java.io.File.separatorChar, '/'));
            labels.add(k);
          }
        } catch (IOException e) {
          throw new InputException("cannot list " + dir + ": " + e.getMessage());
        }
      }
    } else {
      for (Path f : looseImages) {
        files.add(f);
        ids.add(f.getFileName().toString());
        labels.add(LabeledImage.UNLABELED);
      }
    }
    long bytes = 0;
    for (Path f : files) {
      bytes += 3 * ImageFiles.probe(f);
    }
    String name = root.getFileName() == null ? root.toString() : root.getFileName().toString();
    List<LabeledImage> images;
    if (bytes > eagerBytes) {
      List<Path> fs = List.copyOf(files);
      List<String> is = List.copyOf(ids);
      List<Integer> ls = List.copyOf(labels);
      images = new LazyImages(fs.size(), i -> new LabeledImage(is.get(i), ImageFiles.read(fs.get(i)), ls.get(i)));
    } else {
      images = new ArrayList<>(files.size());
      for (int i = 0; i < files.size(); i++) {
        images.add(new LabeledImage(ids.get(i), ImageFiles.read(files.get(i)), labels.get(i)));
      }
    }
    return new Dataset(name, images, names, !classDirs.isEmpty());
  }

  /**
   * Every image converted to the given shape (see {@link ImageFiles#convert}), each when it is asked for: a small
   * dataset upscaled to a large model's input is never held at the large size.
   */
  public static Dataset convert(Dataset d, int channels, int height, int width) {
    return new Dataset(d.name(), new LazyImages(d.size(), i -> {
      LabeledImage li = d.images().get(i);
      Image im = ImageFiles.convert(li.image(), channels, height, width);
      return im == li.image() ? li : new LabeledImage(li.id(), im, li.label());
    }), d.classNames(), d.namedByFolder());
  }

}
