package dev.pixelguard.model;

import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import java.nio.FloatBuffer;
import java.util.Locale;

/**
 * Turns an {@link ImageBatch} into a model's input tensor and the model's raw output into {@link Scores},
 * following a {@link ModelSpec}. Engine adapters (ONNX Runtime, DJL) share it so that every engine reads a
 * descriptor the same way.
 *
 * <p>Not thread-safe once the output kind is being auto-detected: use one instance per classifier.
 */
public final class TensorCodec {
  private final ModelSpec spec;
  private final ModelInfo info;
  private final boolean identity;
  private volatile OutputKind resolvedOutput;

  /**
   * @param outputNameHint the model's output name, used when the spec says {@link OutputKind#AUTO}; may be null
   */
  public TensorCodec(ModelSpec spec, ModelInfo info, String outputNameHint) {
    this.spec = spec;
    this.info = info;
    float[] mean = spec.mean();
    float[] std = spec.std();
    if (mean != null && mean.length != info.channels()) {
      throw new InputException("the descriptor's mean has " + mean.length + " values, the model takes "
          + info.channels() + " channels");
    }
    if (std != null && std.length != info.channels()) {
      throw new InputException("the descriptor's std has " + std.length + " values, the model takes "
          + info.channels() + " channels");
    }
    this.identity = spec.layout() == InputLayout.NCHW && spec.range() == ValueRange.UNIT && mean == null
        && std == null;
    this.resolvedOutput = spec.output() != OutputKind.AUTO ? spec.output() : fromName(outputNameHint);
  }

  private static OutputKind fromName(String name) {
    if (name == null) {
      return null;
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (n.contains("logit")) {
      return OutputKind.LOGITS;
    }
    if (n.contains("prob") || n.contains("softmax")) {
      return OutputKind.PROBABILITIES;
    }
    return null;
  }

  public ModelInfo info() {
    return info;
  }

  /** The input tensor shape for {@code n} images, in the model's layout. */
  public long[] inputShape(int n) {
    return spec.layout() == InputLayout.NCHW
        ? new long[] {n, info.channels(), info.height(), info.width()}
        : new long[] {n, info.height(), info.width(), info.channels()};
  }

  /**
   * Checks that {@code batch} has the model's input shape.
   *
   * @throws InputException naming both shapes when it does not
   */
  public void checkShape(ImageBatch batch) {
    if (batch.channels() != info.channels() || batch.height() != info.height() || batch.width() != info.width()) {
      throw new InputException("the images are "
          + dev.pixelguard.image.Image.describe(batch.channels(), batch.height(), batch.width())
          + " but the model takes " + info.inputShape() + " (use --resize to convert them)");
    }
  }

  /**
   * The batch as the model's input, in a buffer positioned at 0. With the default spec (NCHW, [0,1], no
   * normalisation) this is a read-only view of the batch itself, with no copy.
   */
  public FloatBuffer encode(ImageBatch batch) {
    checkShape(batch);
    if (identity) {
      return batch.buffer();
    }
    int n = batch.size();
    int c = batch.channels();
    int h = batch.height();
    int w = batch.width();
    float scale = spec.range().scale();
    float[] mean = spec.mean();
    float[] std = spec.std();
    float[] out = new float[n * c * h * w];
    boolean nhwc = spec.layout() == InputLayout.NHWC;
    int i = 0;
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        float m = mean == null ? 0f : mean[ch];
        float s = std == null ? 1f : std[ch];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float v = (batch.get(i++) * scale - m) / s;
            int dst = nhwc ? ((b * h + y) * w + x) * c + ch : ((b * c + ch) * h + y) * w + x;
            out[dst] = v;
          }
        }
      }
    }
    return FloatBuffer.wrap(out);
  }

  /**
   * Maps the gradient of a loss with respect to the model's input tensor (as {@link #encode} builds it) back to
   * the gradient with respect to the batch: planar [C*H*W] per image, per unit of [0, 1] pixel value. By the
   * chain rule each value is multiplied by the range's scale and divided by the channel's std.
   *
   * @param tensorGradient d loss / d input tensor, in the model's layout, {@code n} images
   * @return [n][C*H*W]
   */
  public float[][] batchGradient(float[] tensorGradient, int n) {
    int c = info.channels();
    int h = info.height();
    int w = info.width();
    int per = c * h * w;
    if (tensorGradient.length != n * per) {
      throw new IllegalArgumentException("gradient has " + tensorGradient.length + " values, expected " + n * per);
    }
    float scale = spec.range().scale();
    float[] std = spec.std();
    boolean nhwc = spec.layout() == InputLayout.NHWC;
    float[][] out = new float[n][per];
    for (int b = 0; b < n; b++) {
      int i = 0;
      for (int ch = 0; ch < c; ch++) {
        float f = scale / (std == null ? 1f : std[ch]);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            int src = nhwc ? ((b * h + y) * w + x) * c + ch : ((b * c + ch) * h + y) * w + x;
            out[b][i++] = tensorGradient[src] * f;
          }
        }
      }
    }
    return out;
  }

  /**
   * Reads a model's raw output.
   *
   * @param shape the output tensor's shape
   * @param values its values, row-major
   * @param n the number of images sent
   * @throws InputException if the output is not [n, K] with K the model's class count, or not finite
   */
  public Scores decode(long[] shape, float[] values, int n) {
    if (shape.length != 2) {
      throw new InputException("the model's output has rank " + shape.length + " (shape "
          + java.util.Arrays.toString(shape) + "); a classifier must output [N, classes]");
    }
    if (shape[0] != n || shape[1] != info.numClasses()) {
      throw new InputException("the model's output has shape " + java.util.Arrays.toString(shape) + ", expected ["
          + n + ", " + info.numClasses() + "]");
    }
    int k = info.numClasses();
    float[][] rows = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(values, i * k, rows[i], 0, k);
    }
    OutputKind kind = resolvedOutput;
    if (kind == null) {
      kind = OutputKind.PROBABILITIES;
      for (float[] row : rows) {
        if (!Scores.isDistribution(row, 1e-3)) {
          kind = OutputKind.LOGITS;
          break;
        }
      }
      resolvedOutput = kind;
    }
    return kind == OutputKind.LOGITS ? Scores.fromLogits(rows) : Scores.fromProbabilities(rows);
  }

  /** The output kind in use, or null while it is still to be detected from the first batch. */
  public OutputKind outputKind() {
    return resolvedOutput;
  }
}
