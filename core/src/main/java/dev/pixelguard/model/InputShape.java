package dev.pixelguard.model;

import dev.pixelguard.InputException;
import java.util.Arrays;

/**
 * One image's input to a model, read from the input shape its engine or server states (rank 4, [N, C, H, W] or
 * [N, H, W, C], an axis of size 0 or less being dynamic) and the descriptor. The ONNX backend and remote (v2)
 * models read it alike through {@link #read}.
 *
 * @param spec the descriptor, with layout NHWC when it stated none and the shape is {@linkplain #evident evidently}
 *     channels last
 * @param channels channels, as the shape or the descriptor's input gives them (not yet checked to be 1 or 3)
 * @param height height in pixels
 * @param width width in pixels
 */
public record InputShape(ModelSpec spec, int channels, int height, int width) {

  /**
   * The layout a shape shows on its own: NCHW when only its axis 1 is 1 or 3, NHWC when only its axis 3 is,
   * otherwise null (both are, as in [N, 3, 32, 3], or neither, as in [N, -1, -1, -1]).
   *
   * @param shape rank 4
   */
  public static InputLayout evident(long[] shape) {
    boolean nchwLike = shape[1] == 1 || shape[1] == 3;
    boolean nhwcLike = shape[3] == 1 || shape[3] == 3;
    return nchwLike == nhwcLike ? null : nchwLike ? InputLayout.NCHW : InputLayout.NHWC;
  }

  /**
   * Reads a model's input. The layout is the descriptor's, or NHWC where the default NCHW was not stated and the
   * shape is evidently channels last. The descriptor's input [C, H, W], when given, must agree with every axis the
   * shape fixes, and fills those it leaves dynamic.
   *
   * @param shape the model's input shape, rank 4
   * @param spec the descriptor
   * @param model names the model in the dynamic-shape error, e.g. {@code "ONNX model resnet20.onnx"}
   * @param shapeOwner names whose shape the descriptor's input contradicts, e.g. {@code "the model's"}
   * @param dynamicHint what the dynamic-shape error asks for, e.g. {@code "give --input C,H,W"}
   * @throws InputException if the descriptor's input contradicts the shape, or an axis is dynamic and the
   *     descriptor gives no input
   */
  public static InputShape read(long[] shape, ModelSpec spec, String model, String shapeOwner, String dynamicHint) {
    ModelSpec s = spec;
    if (s.layout() == InputLayout.NCHW && !s.layoutStated() && evident(shape) == InputLayout.NHWC) {
      s = s.withLayout(InputLayout.NHWC);
    }
    boolean nchw = s.layout() == InputLayout.NCHW;
    int c = (int) (nchw ? shape[1] : shape[3]);
    int h = (int) (nchw ? shape[2] : shape[1]);
    int w = (int) (nchw ? shape[3] : shape[2]);
    int[] declared = s.inputShape();
    if (declared != null) {
      if ((c > 0 && c != declared[0]) || (h > 0 && h != declared[1]) || (w > 0 && w != declared[2])) {
        throw new InputException("the descriptor's input " + Arrays.toString(declared) + " does not match "
            + shapeOwner + " " + Arrays.toString(shape));
      }
      c = declared[0];
      h = declared[1];
      w = declared[2];
    }
    if (c <= 0 || h <= 0 || w <= 0) {
      throw new InputException(model + " has a dynamic input shape " + Arrays.toString(shape) + "; " + dynamicHint);
    }
    return new InputShape(s, c, h, w);
  }
}
