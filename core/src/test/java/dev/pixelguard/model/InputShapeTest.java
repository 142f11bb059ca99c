package dev.pixelguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pixelguard.InputException;
import org.junit.jupiter.api.Test;

/** Reading a model's stated input shape against its descriptor, as the ONNX and remote backends do. */
class InputShapeTest {
  private static InputShape read(long[] shape, ModelSpec spec) {
    return InputShape.read(shape, spec, "model M", "M's", "give --input");
  }

  @Test
  void theChannelAxisShowsTheLayoutOnlyWhenOneAxisAloneHoldsOneOrThree() {
    assertEquals(InputLayout.NCHW, InputShape.evident(new long[] {-1, 3, 32, 32}));
    assertEquals(InputLayout.NHWC, InputShape.evident(new long[] {-1, 32, 32, 1}));
    assertNull(InputShape.evident(new long[] {-1, 3, 32, 3}));
    assertNull(InputShape.evident(new long[] {-1, -1, -1, -1}));
  }

  @Test
  void aDefaultLayoutFollowsAChannelsLastShapeAndAStatedOneIsKept() {
    InputShape nhwc = read(new long[] {1, 28, 24, 3}, ModelSpec.DEFAULT);
    assertEquals(InputLayout.NHWC, nhwc.spec().layout());
    assertEquals(3, nhwc.channels());
    assertEquals(28, nhwc.height());
    assertEquals(24, nhwc.width());
    InputShape stated = read(new long[] {1, 28, 24, 3}, ModelSpec.DEFAULT.withLayout(InputLayout.NCHW));
    assertEquals(InputLayout.NCHW, stated.spec().layout());
    assertEquals(28, stated.channels());
  }

  @Test
  void theDescriptorsInputFillsDynamicAxesAndMustAgreeWithFixedOnes() {
    ModelSpec declared = ModelSpec.DEFAULT.withInputShape(new int[] {3, 32, 32});
    InputShape filled = read(new long[] {-1, 3, -1, -1}, declared);
    assertEquals(32, filled.height());
    assertEquals(32, filled.width());
    assertEquals("the descriptor's input [3, 32, 32] does not match M's [-1, 3, 16, -1]",
        assertThrows(InputException.class, () -> read(new long[] {-1, 3, 16, -1}, declared)).getMessage());
    assertEquals("model M has a dynamic input shape [-1, 3, -1, -1]; give --input",
        assertThrows(InputException.class, () -> read(new long[] {-1, 3, -1, -1}, ModelSpec.DEFAULT)).getMessage());
  }
}
