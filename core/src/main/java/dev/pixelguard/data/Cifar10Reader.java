package dev.pixelguard.data;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the official CIFAR-10 binary format ({@code data_batch_N.bin}, {@code test_batch.bin}): records of
 * one label byte followed by 3,072 bytes (1,024 red, 1,024 green, 1,024 blue, each 32x32 row-major).
 * Class names come from {@code batches.meta.txt} beside the file when it is there.
 */
public final class Cifar10Reader {
  public static final int SIDE = 32;
  public static final int RECORD = 1 + 3 * SIDE * SIDE;
  public static final int CLASSES = 10;

  private Cifar10Reader() {}

  /**
   * @throws InputException if the file is missing, unreadable, truncated or holds a label above 9
   */
  public static Dataset read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage());
    }
    if (bytes.length == 0 || bytes.length % RECORD != 0) {
      throw new InputException(file + " is not a CIFAR-10 binary batch: its " + bytes.length
          + " bytes are not a whole number of " + RECORD + "-byte records");
    }
    int n = bytes.length / RECORD;
    List<LabeledImage> images = new ArrayList<>(n);
    String base = file.getFileName().toString();
    for (int i = 0; i < n; i++) {
      int off = i * RECORD;
      int label = bytes[off] & 0xFF;
      if (label >= CLASSES) {
        throw new InputException(file + " is not a CIFAR-10 binary batch: record " + i + " has label " + label);
      }
      byte[] chw = Arrays.copyOfRange(bytes, off + 1, off + RECORD);
      images.add(new LabeledImage(base + "#" + i, new Image(3, SIDE, SIDE, chw), label));
    }
    return new Dataset(base, images, classNames(file.toAbsolutePath().getParent()));
  }

  private static List<String> classNames(Path dir) {
    if (dir == null) {
      return List.of();
    }
    Path meta = dir.resolve("batches.meta.txt");
    if (!Files.isRegularFile(meta)) {
      return List.of();
    }
    try {
      List<String> names = new ArrayList<>();
      for (String line : Files.readAllLines(meta)) {
        if (!line.isBlank()) {
          names.add(line.trim());
        }
      }
      return names.size() == CLASSES ? names : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }
}
