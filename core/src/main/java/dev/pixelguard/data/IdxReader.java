package dev.pixelguard.data;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, ...), plain or gzip-compressed (detected from the content, not the name).
 * Images are unsigned bytes [N, H, W] (grayscale); labels are unsigned bytes [N].
 */
final class IdxReader {
  private static final int UBYTE = 0x08;

  /** Fashion-MNIST's classes in label order (Xiao, Rasul & Vollgraf 2017). */
  public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
      "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private IdxReader() {}

  /**
   * Reads an images file and the labels file beside it ({@code images-idx3} replaced by {@code labels-idx1}).
   * Class names: those of Fashion-MNIST when the path says "fashion", else from a {@code classes.txt}
   * beside the file (one name per line), else none.
   */
  public static Dataset read(Path imagesFile) {
    String name = imagesFile.getFileName().toString();
    Path labelsFile = imagesFile.resolveSibling(name.replace("images-idx3", "labels-idx1")
        .replace("images.idx3", "labels.idx1"));
    if (labelsFile.equals(imagesFile) || !Files.isRegularFile(labelsFile)) {
      throw new InputException("no labels file for " + imagesFile + " (expected " + labelsFile.getFileName() + ")");
    }
    List<Image> images;
    int[] labels;
    try (InputStream in = open(imagesFile)) {
      images = readImages(in, imagesFile.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + imagesFile + ": " + e.getMessage());
    }
    try (InputStream in = open(labelsFile)) {
      labels = readLabels(in, labelsFile.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + labelsFile + ": " + e.getMessage());
    }
    if (labels.length != images.size()) {
      throw new InputException(imagesFile + " has " + images.size() + " images but " + labelsFile.getFileName()
          + " has " + labels.length + " labels");
    }
    List<LabeledImage> out = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      out.add(new LabeledImage(name + "#" + i, images.get(i), labels[i]));
    }
    return new Dataset(name, out, classNamesFor(imagesFile));
  }

  private static List<String> classNamesFor(Path imagesFile) {
    Path classes = imagesFile.resolveSibling("classes.txt");
    if (Files.isRegularFile(classes)) {
      try {
        return Files.readAllLines(classes).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
      } catch (IOException e) {
        throw new InputException("cannot read " + classes + ": " + e.getMessage());
      }
    }
    return imagesFile.toAbsolutePath().toString().toLowerCase(Locale.ROOT).contains("fashion")
        ? FASHION_MNIST_CLASSES : List.of();
  }

  /** Opens a file, unzipping it when it starts with the gzip magic bytes. */
  public static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
  }

  /** Reads an IDX3 unsigned-byte image tensor [N, H, W] as grayscale images. */
  public static List<Image> readImages(InputStream in, String what) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int[] dims = header(d, 3, what);
    int n = dims[0];
    int h = dims[1];
    int w = dims[2];
    List<Image> out = new ArrayList<>(n);
    byte[] buf = new byte[h * w];
    try {
      for (int i = 0; i < n; i++) {
        d.readFully(buf);
        out.add(new Image(1, h, w, buf));
      }
    } catch (EOFException e) {
      throw new InputException(what + " is truncated: it declares " + n + " images of " + w + "x" + h
          + " but ends after " + out.size());
    }
    return out;
  }

  /** Reads an IDX1 unsigned-byte label vector [N]. */
  public static int[] readLabels(InputStream in, String what) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int[] dims = header(d, 1, what);
    byte[] buf = new byte[dims[0]];
    try {
      d.readFully(buf);
    } catch (EOFException e) {
      throw new InputException(what + " is truncated: it declares " + dims[0] + " labels");
    }
    int[] out = new int[buf.length];
    for (int i = 0; i < buf.length; i++) {
      out[i] = buf[i] & 0xFF;
    }
    return out;
  }

  private static int[] header(DataInputStream d, int rank, String what) throws IOException {
    int magic;
    try {
      magic = d.readInt();
    } catch (EOFException e) {
      throw new InputException(what + " is empty or truncated; it is not an IDX file");
    }
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UBYTE || (magic & 0xFF) != rank) {
      throw new InputException(what + " is not an IDX file of unsigned bytes with " + rank
          + " dimension(s) (magic number 0x" + Integer.toHexString(magic) + ")");
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      try {
        dims[i] = d.readInt();
      } catch (EOFException e) {
        throw new InputException(what + " is truncated in its header");
      }
      if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
        throw new InputException(what + " has an invalid dimension " + Arrays.toString(dims));
      }
    }
    return dims;
  }
}
