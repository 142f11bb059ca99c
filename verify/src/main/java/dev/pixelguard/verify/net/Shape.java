package dev.pixelguard.verify.net;

/**
 * The shape of one image's tensor at a node, without the batch: [C, H, W], or a vector of {@code c} values as
 * [c, 1, 1]. Elements are stored row-major, channel first, as in ONNX's NCHW.
 */
public record Shape(int c, int h, int w) {
  public Shape {
    if (c <= 0 || h <= 0 || w <= 0) {
      throw new IllegalArgumentException("shape must be positive, was " + c + "x" + h + "x" + w);
    }
  }

  /** A vector of n values. */
  public static Shape vector(int n) {
    return new Shape(n, 1, 1);
  }

  public int size() {
    return c * h * w;
  }

  public boolean isVector() {
    return h == 1 && w == 1;
  }

  public int index(int ch, int y, int x) {
    return (ch * h + y) * w + x;
  }

  @Override
  public String toString() {
    return isVector() ? "[" + c + "]" : "[" + c + ", " + h + ", " + w + "]";
  }
}
