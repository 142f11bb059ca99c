package dev.pixelguard.image;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * A batch of images as one float array, NCHW (image, channel, row, column), values in [0, 1].
 *
 * <p>This is the input of every {@link dev.pixelguard.model.Classifier}; a classifier adapts it to its
 * model's own layout, value range and normalisation. The array is not exposed, so a batch cannot change
 * after it is built.
 */
public final class ImageBatch {
  private final int size;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] data;

  private ImageBatch(int size, int channels, int height, int width, float[] data) {
    if (size < 0 || channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException("invalid batch shape " + size + "x" + channels + "x" + height + "x" + width);
    }
    if ((long) size * channels * height * width != data.length) {
      throw new IllegalArgumentException("data length " + data.length + " does not match shape ["
          + size + "," + channels + "," + height + "," + width + "]");
    }
    this.size = size;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.data = data;
  }

  /**
   * Wraps {@code nchw} without copying. The caller hands the array over and must not change it afterwards;
   * this is how attacks build candidate batches without a second copy.
   */
  public static ImageBatch wrap(int size, int channels, int height, int width, float[] nchw) {
    return new ImageBatch(size, channels, height, width, nchw);
  }

  /** A batch of the given 8-bit images, which must all have the same shape; values become value / 255. */
  public static ImageBatch of(List<Image> images) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one image");
    }
    Image first = images.get(0);
    int per = first.channels() * first.height() * first.width();
    float[] data = new float[per * images.size()];
    for (int i = 0; i < images.size(); i++) {
      Image im = images.get(i);
      if (!im.sameShape(first)) {
        throw new IllegalArgumentException("image " + i + " is " + im.shape() + ", image 0 is " + first.shape());
      }
      im.writeUnit(data, i * per);
    }
    return new ImageBatch(images.size(), first.channels(), first.height(), first.width(), data);
  }

  public int size() {
    return size;
  }

  /** Channels of every image of the batch: 1 (grayscale) or 3 (RGB). */
  public int channels() {
    return channels;
  }

  /** Rows of every image, in pixels. */
  public int height() {
    return height;
  }

  /** Columns of every image, in pixels. */
  public int width() {
    return width;
  }

  /** Values per image, {@code channels * height * width}. */
  public int imageLength() {
    return channels * height * width;
  }

  /** The value at flat NCHW index {@code index}. */
  public float get(int index) {
    return data[index];
  }

  /** The value of image {@code n}, channel {@code c}, row {@code y}, column {@code x}. */
  public float get(int n, int c, int y, int x) {
    return data[((n * channels + c) * height + y) * width + x];
  }

  /** A read-only view of the NCHW values, for engines that take a buffer; no copy is made. */
  public FloatBuffer buffer() {
    return FloatBuffer.wrap(data).asReadOnlyBuffer();
  }

  /** Copies all NCHW values into {@code dst} from {@code offset}. */
  public void copyTo(float[] dst, int offset) {
    System.arraycopy(data, 0, dst, offset, data.length);
  }
}
