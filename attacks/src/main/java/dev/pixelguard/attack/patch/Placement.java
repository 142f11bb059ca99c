package dev.pixelguard.attack.patch;

/**
 * Where and how a sticker lies on an image: a similarity transform of the sticker's pixel grid.
 *
 * <p>Coordinates are pixel centres: image pixel (x, y) sits at (x, y), sticker pixel (u, v) at (u, v), so the
 * sticker's centre is ((size - 1) / 2, (size - 1) / 2). Sticker point q lands on image point
 * {@code c + scale * R(angle) (q - centre)}, with {@code R} the rotation by {@code angleDegrees}
 * (counter-clockwise as seen on screen with y pointing down: x towards -y). At angle 0 and scale 1 with
 * {@code centreX - (size - 1) / 2} a whole number, the sticker's pixels land exactly on image pixels.
 *
 * @param angleDegrees rotation in degrees
 * @param scale magnification, positive: 1.2 makes a 6-pixel sticker span 7.2 image pixels
 * @param centreX image column of the sticker's centre (may be fractional)
 * @param centreY image row of the sticker's centre (may be fractional)
 */
public record Placement(double angleDegrees, double scale, double centreX, double centreY) {
  public Placement {
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive, was " + scale);
    }
    if (!Double.isFinite(angleDegrees) || !Double.isFinite(centreX) || !Double.isFinite(centreY)) {
      throw new IllegalArgumentException("placement values must be finite");
    }
  }

  /** The sticker upright at scale 1 with its top-left pixel on image pixel (x, y). */
  public static Placement at(int x, int y, int size) {
    double half = (size - 1) / 2.0;
    return new Placement(0, 1, x + half, y + half);
  }

  /** cos of the angle, exactly 0 or +-1 at multiples of 90 degrees (so such rotations permute pixels exactly). */
  double cos() {
    return snap(Math.cos(Math.toRadians(angleDegrees)));
  }

  /** sin of the angle, snapped as {@link #cos()}. */
  double sin() {
    return snap(Math.sin(Math.toRadians(angleDegrees)));
  }

  private static double snap(double v) {
    if (Math.abs(v) < 1e-12) {
      return 0;
    }
    if (Math.abs(Math.abs(v) - 1) < 1e-12) {
      return Math.signum(v);
    }
    return v;
  }
}
