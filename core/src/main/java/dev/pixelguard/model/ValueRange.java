package dev.pixelguard.model;

/** The value range a model expects before any mean/std normalisation. */
public enum ValueRange {
  /** Pixel values divided by 255: [0, 1]. */
  UNIT(1f),
  /** Raw 8-bit values: [0, 255]. */
  BYTE(255f);

  private final float scale;

  ValueRange(float scale) {
    this.scale = scale;
  }

  /** Factor from [0, 1] to this range. */
  public float scale() {
    return scale;
  }
}
