package dev.pixelguard.certify;

/**
 * Makes masked images: an image with one or two masks of a {@link MaskSet} applied and filled by a {@link Fill}.
 * The image goes through a {@link Visible} view, so a masked image depends on the pixels outside the applied
 * masks only. Stateless; thread-safe.
 */
final class Masker {
  private final MaskSet masks;
  private final Fill fill;
  private final int channels;

  Masker(MaskSet masks, Fill fill, int channels) {
    this.masks = masks;
    this.fill = fill;
    this.channels = channels;
  }

  MaskSet masks() {
    return masks;
  }

  Fill fill() {
    return fill;
  }

  /** Values per image. */
  int length() {
    return channels * masks.height() * masks.width();
  }

  /**
   * Writes {@code image} (planar, values in [0, 1], from {@code offset}) with masks {@code a} and {@code b}
   * applied ({@code a == b} for one mask) into {@code dst} from {@code dstOffset}.
   */
  void render(float[] image, int offset, int a, int b, float[] dst, int dstOffset) {
    boolean[] hidden = new boolean[masks.height() * masks.width()];
    masks.hide(a, hidden);
    masks.hide(b, hidden);
    Visible v = Visible.into(image, offset, dst, dstOffset, channels, masks.height(), masks.width(), hidden);
    float[] values = new float[channels * v.hiddenCount()];
    fill.fill(v, values);
    v.compose(values, dst, dstOffset);
  }

  /** {@link #render} into a new array. */
  float[] render(float[] image, int a, int b) {
    float[] out = new float[length()];
    render(image, 0, a, b, out, 0);
    return out;
  }
}
