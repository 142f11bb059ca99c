package dev.pixelguard.transform;

import dev.pixelguard.InputException;
import dev.pixelguard.transform.Transform;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG recompression: the image is rounded to 8 bits ({@code rint(255 v)}), encoded as a baseline JPEG at the
 * given quality and decoded, all in memory, through the JDK's own codec ({@code javax.imageio}, built on the
 * IJG libjpeg): quality {@code q} is {@link ImageWriteParam#setCompressionQuality} {@code q / 100}, which the
 * JDK maps to the IJG quality scale of libjpeg's {@code -quality q} (standard tables scaled; 100 means all
 * quantisation steps 1). RGB images are written as JFIF YCbCr with the codec's default 4:2:0 chroma
 * subsampling; 1-channel images as 1-channel (grayscale) JPEG. Output values are multiples of 1/255. Not
 * differentiable: {@link #backward} is the default straight-through gradient.
 *
 * <p>Spec: {@code jpeg:75}, or {@code jpeg(quality=75)} as {@link #describe()} writes it.
 *
 * @param quality 1 (smallest file) to 100 (least loss)
 */
public record Jpeg(int quality) implements Transform {
  public Jpeg {
    Transforms.require(quality >= 1 && quality <= 100, "jpeg quality must be from 1 to 100, was " + quality);
  }

  @Override
  public Map<String, Object> parameters() {
    return Map.of("quality", quality);
  }

  @Override
  public void apply(float[] src, int srcOffset, int channels, int height, int width, float[] dst, int dstOffset,
      long seed) {
    if (channels != 1 && channels != 3) {
      throw new InputException("jpeg takes 1-channel or RGB images, not " + channels + " channels");
    }
    int plane = height * width;
    BufferedImage image = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    WritableRaster raster = image.getRaster();
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          raster.setSample(x, y, c, toByte(src[srcOffset + c * plane + y * width + x]));
        }
      }
    }
    BufferedImage decoded = decode(encode(image));
    if (decoded.getWidth() != width || decoded.getHeight() != height
        || decoded.getRaster().getNumBands() != channels) {
      throw new IllegalStateException("the JPEG codec changed the image's shape");
    }
    WritableRaster back = decoded.getRaster();
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          dst[dstOffset + c * plane + y * width + x] = back.getSample(x, y, c) / 255f;
        }
      }
    }
  }

  private static int toByte(float v) {
    return (int) Math.rint(Math.min(1, Math.max(0, v)) * 255);
  }

  private byte[] encode(BufferedImage image) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this Java runtime has no JPEG writer");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding in memory failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static BufferedImage decode(byte[] jpeg) {
    try {
      // ImageIO.read closes the stream it is given.
      BufferedImage image = ImageIO.read(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg)));
      if (image == null) {
        throw new IllegalStateException("the JPEG codec cannot read what it wrote");
      }
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG decoding in memory failed", e);
    }
  }

  @Override
  public String toString() {
    return describe();
  }
}
