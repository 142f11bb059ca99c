package dev.pixelguard.attack.patch;

/**
 * What the camera does to the whole image once the sticker is on it, in this order:
 * <ol>
 *   <li>contrast and brightness: {@code v' = clamp(contrast * (v - 0.5) + 0.5 + brightness)} to [0, 1];
 *   <li>Gaussian blur of standard deviation {@code blurSigma} pixels
 *       ({@link dev.pixelguard.transform.GaussianBlur}; none at 0);
 *   <li>additive Gaussian noise of standard deviation {@code noiseStd} per value, drawn from {@code noiseSeed},
 *       then clamped to [0, 1];
 *   <li>JPEG recompression at {@code jpegQuality} ({@link dev.pixelguard.transform.Jpeg}; none at 0).
 * </ol>
 *
 * @param brightness added after contrast, in [0, 1] pixel units (0.1 is about 26 of 255)
 * @param contrast gain about mid-grey, positive (1 = unchanged)
 * @param blurSigma blur in pixels, 0 (none) to 10
 * @param noiseStd noise standard deviation in [0, 1] pixel units, at least 0
 * @param noiseSeed the noise's only source of randomness
 * @param jpegQuality 1 to 100, or 0 for no JPEG step
 */
public record Photometric(double brightness, double contrast, double blurSigma, double noiseStd, long noiseSeed,
    int jpegQuality) {
  public Photometric {
    if (!(contrast > 0) || !Double.isFinite(contrast) || !Double.isFinite(brightness)) {
      throw new IllegalArgumentException("contrast must be positive and brightness finite, were " + contrast
          + " and " + brightness);
    }
    if (!(blurSigma >= 0 && blurSigma <= 10)) {
      throw new IllegalArgumentException("blur sigma must be in [0, 10], was " + blurSigma);
    }
    if (!(noiseStd >= 0 && noiseStd <= 1)) {
      throw new IllegalArgumentException("noise standard deviation must be in [0, 1], was " + noiseStd);
    }
    if (jpegQuality < 0 || jpegQuality > 100) {
      throw new IllegalArgumentException("jpeg quality must be 0 (none) or 1 to 100, was " + jpegQuality);
    }
  }

  /** The camera that changes nothing. */
  public static final Photometric IDENTITY = new Photometric(0, 1, 0, 0, 0, 0);
}
