package dev.pixelguard.data;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;

/**
 * Reads and writes image files with the JDK's own codecs (javax.imageio: PNG, JPEG, BMP, GIF), which read
 * every PNG and baseline JPEG without a native dependency.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /** Whether a file name has an image extension this class reads. */
  public static boolean isImageFile(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
        || n.endsWith(".gif");
  }

  /**
   * Reads an image file. Grayscale files give 1 channel, colour files 3 (alpha is dropped).
   *
   * @throws InputException if the file is missing, truncated or not an image
   */
  public static Image read(Path file) {
    return withReader(file, null);
  }

  /**
   * Checks an image file from its header without decoding it: that it exists, is in a supported format and is
   * not larger than pixelguard reads. A large folder dataset checks its files this way before the work starts
   * and decodes each one when it is reached.
   *
   * @return the image's number of pixels (width x height)
   * @throws InputException if the file is missing, not an image or too large
   */
  public static long probe(Path file) {
    long[] pixels = new long[1];
    withReader(file, pixels);
    return pixels[0];
  }

  /** Decodes the file, or with {@code probed} given only reads its header and puts its pixel count there. */
  private static Image withReader(Path file, long[] probed) {
    if (Files.isDirectory(file)) {
      throw new InputException(file + " is a folder, not an image file (a folder of images is a --dataset)");
    }
    if (!Files.isRegularFile(file)) {
      throw new InputException("image file not found: " + file);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      if (in == null) {
        throw new InputException("cannot read image " + file);
      }
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InputException(file + " is not an image in a supported format (PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        // The size comes from the header: a huge image is refused before anything is decoded.
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > MAX_PIXELS) {
          throw new InputException(String.format(Locale.ROOT, "image %s is %dx%d pixels, more than pixelguard reads "
              + "(%d megapixels at most)", file, w, h, MAX_PIXELS / 1_000_000));
        }
        if (probed != null) {
          probed[0] = w * h;
          return null;
        }
        // Decoders such as the JPEG reader fill a truncated file with grey and only warn: refuse it instead.
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage bi = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new InputException("cannot decode image " + file + " (truncated or corrupt): " + warnings.get(0));
        }
        return fromBufferedImage(bi);
      } finally {
        reader.dispose();
      }
    } catch (IIOException e) {
      throw new InputException("cannot decode image " + file + " (truncated or corrupt): " + rootMessage(e));
    } catch (IOException | RuntimeException e) {
      if (e instanceof InputException ie) {
        throw ie;
      }
      throw new InputException("cannot read image " + file + ": " + rootMessage(e));
    }
  }

  /** Images larger than this many pixels are refused from their header (a decoded 50-megapixel image is 200 MB). */
  public static final long MAX_PIXELS = 50_000_000L;

  /**
   * Why a file operation failed, in words: the system's reason ("Read-only file system", "Permission denied")
   * rather than the bare path that some exceptions carry as their message.
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file or folder";
    }
    return rootMessage(e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Converts a decoded image; grayscale stays 1 channel, anything else becomes RGB. */
  public static Image fromBufferedImage(BufferedImage bi) {
    int w = bi.getWidth();
    int h = bi.getHeight();
    boolean gray = bi.getColorModel().getNumColorComponents() == 1;
    int channels = gray ? 1 : 3;
    byte[] chw = new byte[channels * h * w];
    if (gray) {
      var raster = bi.getRaster();
      int bits = bi.getColorModel().getComponentSize(0);
      int max = (1 << bits) - 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int v = raster.getSample(x, y, 0);
          chw[y * w + x] = (byte) (bits == 8 ? v : Math.round(v * 255.0 / max));
        }
      }
    } else {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int argb = bi.getRGB(x, y);
          chw[y * w + x] = (byte) (argb >> 16);
          chw[(h + y) * w + x] = (byte) (argb >> 8);
          chw[(2 * h + y) * w + x] = (byte) argb;
        }
      }
    }
    return new Image(channels, h, w, chw);
  }

  /** The image as an 8-bit {@link BufferedImage} (gray or RGB). */
  public static BufferedImage toBufferedImage(Image im) {
    int w = im.width();
    int h = im.height();
    if (im.channels() == 1) {
      BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
      var raster = bi.getRaster();
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          raster.setSample(x, y, 0, im.get(0, y, x));
        }
      }
      return bi;
    }
    BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        bi.setRGB(x, y, (im.get(0, y, x) << 16) | (im.get(1, y, x) << 8) | im.get(2, y, x));
      }
    }
    return bi;
  }

  /**
   * Writes a lossless PNG: the exact 8-bit values, so an adversarial image stays adversarial when read back.
   * The file is written beside the target and moved into place, so a failure never leaves half a file.
   */
  public static void writePng(Image im, Path file) {
    BufferedImage bi = toBufferedImage(im);
    writeAtomically(file, out -> {
      if (!ImageIO.write(bi, "png", out)) {
        throw new IOException("no PNG writer available");
      }
    });
  }

  /** The image as PNG bytes, base64-encoded: for embedding in JSON results and self-contained HTML. */
  public static String pngBase64(Image im) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try {
      ImageIO.write(toBufferedImage(im), "png", bytes);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding in memory failed", e);
    }
    return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /**
   * Decodes {@link #pngBase64} output.
   *
   * @throws InputException if it is not base64 PNG data
   */
  public static Image fromPngBase64(String base64) {
    try {
      BufferedImage bi = ImageIO.read(new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64)));
      if (bi == null) {
        throw new InputException("embedded image is not a PNG");
      }
      return fromBufferedImage(bi);
    } catch (IOException | IllegalArgumentException e) {
      throw new InputException("embedded image cannot be decoded: " + e.getMessage());
    }
  }

  /** Something that writes a whole file to a stream. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /**
   * A new hidden temporary file beside {@code file} ({@code .NAME<random>.tmp}), readable as an ordinary output
   * file (rw-r--r-- where the file system has POSIX permissions), for writing {@code file} and moving it into place.
   *
   * @throws InputException if the folder does not exist
   * @throws IOException if the file cannot be created
   */
  public static Path tempBeside(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException("cannot write " + file + ": folder " + dir + " does not exist");
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
    try {
      // Temporary files are private (rw-------); the result is an ordinary output file.
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system: keep its defaults
    }
    return tmp;
  }

  /**
   * Writes {@code file} through a temporary file in the same folder, then moves it into place (atomically
   * where the file system allows). On failure the temporary file is removed and the target is untouched.
   *
   * @throws InputException if the folder does not exist or cannot be written
   */
  public static void writeAtomically(Path file, Writer writer) {
    Path abs = file.toAbsolutePath();
    Path tmp = null;
    try {
      tmp = tempBeside(file);
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.write(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new InputException("cannot write " + file + ": " + reason(e));
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and named after the target
        }
      }
    }
  }

  /**
   * Resizes (bilinear) and converts channels (gray to RGB by copying, RGB to gray by ITU-R BT.601 luma).
   * Returns {@code im} itself when it already has the requested shape.
   */
  public static Image convert(Image im, int channels, int height, int width) {
    Image out = im;
    if (im.height() != height || im.width() != width) {
      BufferedImage src = toBufferedImage(im);
      BufferedImage dst = new BufferedImage(width, height,
          im.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
      var g = dst.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(src, 0, 0, width, height, null);
      g.dispose();
      out = fromBufferedImage(dst);
    }
    if (out.channels() == channels) {
      return out;
    }
    int hw = height * width;
    byte[] chw = new byte[channels * hw];
    if (channels == 3) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            chw[c * hw + y * width + x] = (byte) out.get(0, y, x);
          }
        }
      }
    } else {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          double luma = 0.299 * out.get(0, y, x) + 0.587 * out.get(1, y, x) + 0.114 * out.get(2, y, x);
          chw[y * width + x] = (byte) Math.min(255, Math.round(luma));
        }
      }
    }
    return new Image(channels, height, width, chw);
  }
}
