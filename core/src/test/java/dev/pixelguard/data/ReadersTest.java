package dev.pixelguard.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import dev.pixelguard.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadersTest {

  @Test
  void readsTheCifarFixtureWithClassNames() throws IOException {
    Dataset d = Cifar10Reader.read(Fixtures.cifarBatch());
    assertEquals(932, d.size());
    assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
        d.classNames());
    byte[] raw = Files.readAllBytes(Fixtures.cifarBatch());
    // Record 5: label byte, then red plane, green plane, blue plane.
    LabeledImage li = d.get(5);
    int off = 5 * Cifar10Reader.RECORD;
    assertEquals(raw[off] & 0xFF, li.label());
    assertEquals(raw[off + 1 + 7 * 32 + 4] & 0xFF, li.image().get(0, 7, 4));
    assertEquals(raw[off + 1 + 1024 + 31 * 32 + 31] & 0xFF, li.image().get(1, 31, 31));
    assertEquals(raw[off + 1 + 2048] & 0xFF, li.image().get(2, 0, 0));
    assertEquals(3, d.get(0).label(), "the first CIFAR-10 test image is a cat");
  }

  @Test
  void truncatedCifarBatchIsRejected(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("cut.bin");
    Files.write(f, Arrays.copyOf(Files.readAllBytes(Fixtures.cifarBatch()), 3073 * 2 + 100));
    InputException e = assertThrows(InputException.class, () -> Cifar10Reader.read(f));
    assertTrue(e.getMessage().contains("not a whole number"), e.getMessage());
  }

  static byte[] idxImages(int n, int h, int w) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(0x803);
    d.writeInt(n);
    d.writeInt(h);
    d.writeInt(w);
    for (int i = 0; i < n * h * w; i++) {
      d.writeByte(i % 251);
    }
    return b.toByteArray();
  }

  static byte[] idxLabels(int... labels) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(b);
    d.writeInt(0x801);
    d.writeInt(labels.length);
    for (int l : labels) {
      d.writeByte(l);
    }
    return b.toByteArray();
  }

  static void gz(Path f, byte[] data) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
      o.write(data);
    }
  }

  @Test
  void readsPlainAndGzippedIdx(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("t-images-idx3-ubyte"), idxImages(3, 2, 4));
    Files.write(dir.resolve("t-labels-idx1-ubyte"), idxLabels(7, 0, 9));
    gz(dir.resolve("z-images-idx3-ubyte.gz"), idxImages(3, 2, 4));
    gz(dir.resolve("z-labels-idx1-ubyte.gz"), idxLabels(7, 0, 9));
    for (String name : List.of("t-images-idx3-ubyte", "z-images-idx3-ubyte.gz")) {
      Dataset d = Datasets.open(dir.resolve(name));
      assertEquals(3, d.size());
      assertEquals(9, d.get(2).label());
      Image im = d.get(1).image();
      assertEquals(1, im.channels());
      assertEquals(2, im.height());
      assertEquals(4, im.width());
      assertEquals((8 + 4 + 3) % 251, im.get(0, 1, 3), "image 1, row 1, column 3");
    }
  }

  @Test
  void truncatedOrMismatchedIdxIsRejected(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("a-images-idx3-ubyte"), Arrays.copyOf(idxImages(3, 2, 4), 16 + 20));
    Files.write(dir.resolve("a-labels-idx1-ubyte"), idxLabels(1, 2, 3));
    InputException e = assertThrows(InputException.class, () -> Datasets.open(dir.resolve("a-images-idx3-ubyte")));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.write(dir.resolve("b-images-idx3-ubyte"), idxImages(3, 2, 4));
    Files.write(dir.resolve("b-labels-idx1-ubyte"), idxLabels(1, 2));
    e = assertThrows(InputException.class, () -> Datasets.open(dir.resolve("b-images-idx3-ubyte")));
    assertTrue(e.getMessage().contains("3 images but"), e.getMessage());
    Files.write(dir.resolve("c-images-idx3-ubyte"), idxLabels(1, 2));
    Files.write(dir.resolve("c-labels-idx1-ubyte"), idxLabels(1, 2));
    e = assertThrows(InputException.class, () -> Datasets.open(dir.resolve("c-images-idx3-ubyte")));
    assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
  }

  @Test
  void readsDebianFashionMnist() {
    Dataset d = Datasets.open(Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz"));
    assertEquals(10_000, d.size());
    assertEquals(IdxReader.FASHION_MNIST_CLASSES, d.classNames());
    assertEquals(9, d.get(0).label(), "the first Fashion-MNIST test image is an ankle boot");
    assertEquals(28, d.get(0).image().width());
  }

  @Test
  void pngRoundTripKeepsExactValues(@TempDir Path dir) {
    Image rgb = Cifar10Reader.read(Fixtures.cifarBatch()).get(1).image();
    Path f = dir.resolve("x.png");
    ImageFiles.writePng(rgb, f);
    assertEquals(rgb, ImageFiles.read(f));
    byte[] g = new byte[12];
    for (int i = 0; i < 12; i++) {
      g[i] = (byte) (i * 21);
    }
    Image gray = new Image(1, 3, 4, g);
    ImageFiles.writePng(gray, dir.resolve("g.png"));
    assertEquals(gray, ImageFiles.read(dir.resolve("g.png")));
  }

  @Test
  void truncatedAndBogusImagesAreInputErrors(@TempDir Path dir) throws IOException {
    Image rgb = Cifar10Reader.read(Fixtures.cifarBatch()).get(1).image();
    Path f = dir.resolve("x.png");
    ImageFiles.writePng(rgb, f);
    Path cut = dir.resolve("cut.png");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(f), 200));
    assertThrows(InputException.class, () -> ImageFiles.read(cut));
    Path text = dir.resolve("text.png");
    Files.writeString(text, "not an image");
    InputException e = assertThrows(InputException.class, () -> ImageFiles.read(text));
    assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    assertThrows(InputException.class, () -> ImageFiles.read(dir.resolve("missing.png")));
  }

  @Test
  void failedWritesLeaveNothingBehind(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("out.json");
    assertThrows(InputException.class, () -> ImageFiles.writeAtomically(target, out -> {
      out.write("{\"half\":".getBytes());
      throw new IOException("disk full");
    }));
    assertFalse(Files.exists(target));
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count(), "no temporary file left");
    }
  }

  /** Fixture images 0-2 as cat/a.png, ship/b.png and ship/c.png under {@code dir}; returns the fixture. */
  private static Dataset classFolders(Path dir) throws IOException {
    Dataset cifar = Cifar10Reader.read(Fixtures.cifarBatch());
    Files.createDirectories(dir.resolve("cat"));
    Files.createDirectories(dir.resolve("ship"));
    ImageFiles.writePng(cifar.get(0).image(), dir.resolve("cat/a.png"));
    ImageFiles.writePng(cifar.get(1).image(), dir.resolve("ship/b.png"));
    ImageFiles.writePng(cifar.get(2).image(), dir.resolve("ship/c.png"));
    return cifar;
  }

  @Test
  void readsAFolderOfClassFolders(@TempDir Path dir) throws IOException {
    Dataset cifar = classFolders(dir);
    Dataset d = Datasets.open(dir);
    assertEquals(List.of("cat", "ship"), d.classNames());
    assertEquals(3, d.size());
    assertEquals(1, d.get(2).label());
    assertEquals(cifar.get(2).image(), d.get(2).image());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    InputException e = assertThrows(InputException.class, () -> Datasets.open(empty));
    assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
  }

  @Test
  void aLargeFolderIsCheckedByHeaderAndDecodedWhenReached(@TempDir Path dir) throws IOException {
    Dataset cifar = classFolders(dir);
    Dataset eager = Datasets.readFolder(dir, Long.MAX_VALUE);
    Dataset lazy = Datasets.readFolder(dir, 0);
    assertInstanceOf(LazyImages.class, lazy.images());
    assertFalse(eager.images() instanceof LazyImages);
    assertEquals(eager.classNames(), lazy.classNames());
    assertEquals(eager.size(), lazy.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(eager.get(i).id(), lazy.get(i).id());
      assertEquals(eager.get(i).label(), lazy.get(i).label());
      assertEquals(cifar.get(i).image(), lazy.get(i).image());
    }
    // Read lazily, a file that is not an image is still refused before any work, from its header.
    Files.writeString(dir.resolve("ship/d.png"), "not a png");
    InputException e = assertThrows(InputException.class, () -> Datasets.readFolder(dir, 0));
    assertTrue(e.getMessage().contains("d.png"), e.getMessage());
    // One cut short after its header is found when it is reached.
    byte[] png = Files.readAllBytes(dir.resolve("ship/c.png"));
    Files.write(dir.resolve("ship/d.png"), java.util.Arrays.copyOf(png, 40));
    Dataset cut = Datasets.readFolder(dir, 0);
    assertEquals(cifar.get(1).image(), cut.get(1).image());
    e = assertThrows(InputException.class, () -> cut.get(3).image());
    assertTrue(e.getMessage().contains("d.png"), e.getMessage());
  }
}
