package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The distribution of viewing conditions a sticker must survive (expectation over transformation, Athalye et
 * al. 2018): each parameter is drawn uniformly and independently from its range.
 *
 * <ul>
 *   <li>rotation in {@code [-maxRotation, maxRotation]} degrees, scale in {@code [minScale, maxScale]};
 *   <li>position: the centre uniform over the positions where the rotated, scaled sticker lies wholly inside
 *       the image, and, when an {@code allowed} region is given, wholly inside that region (drawn again, up
 *       to {@value #PLACEMENT_TRIES} times, until it fits);
 *   <li>brightness in {@code [-maxBrightness, maxBrightness]}, contrast in {@code [minContrast, maxContrast]},
 *       blur sigma in {@code [0, maxBlur]}, noise standard deviation in {@code [0, maxNoise]}, JPEG quality a
 *       whole number in {@code [minJpeg, maxJpeg]} ({@code 0, 0}: no JPEG).
 * </ul>
 *
 * Draws depend only on the {@link SplittableRandom} passed to {@link #sample}; the trainer and the evaluation
 * seed theirs from different derivations of the seed, so evaluation conditions are never those of training.
 */
public record Conditions(double maxRotation, double minScale, double maxScale, double maxBrightness,
    double minContrast, double maxContrast, double maxBlur, double maxNoise, int minJpeg, int maxJpeg,
    Region allowed) {

  /** How often a placement is drawn before a too small allowed region is reported. */
  public static final int PLACEMENT_TRIES = 1000;

  public Conditions {
    check(maxRotation >= 0 && maxRotation <= 180, "rotation range must be in [0, 180] degrees, was " + maxRotation);
    check(minScale > 0 && minScale <= maxScale && maxScale <= 10, "scale range must satisfy 0 < min <= max <= 10, was "
        + minScale + "-" + maxScale);
    check(maxBrightness >= 0 && maxBrightness <= 1, "brightness range must be in [0, 1], was " + maxBrightness);
    check(minContrast > 0 && minContrast <= maxContrast && maxContrast <= 10,
        "contrast range must satisfy 0 < min <= max <= 10, was " + minContrast + "-" + maxContrast);
    check(maxBlur >= 0 && maxBlur <= 10, "blur range must be in [0, 10] pixels, was " + maxBlur);
    check(maxNoise >= 0 && maxNoise <= 1, "noise range must be in [0, 1], was " + maxNoise);
    check((minJpeg == 0 && maxJpeg == 0) || (minJpeg >= 1 && minJpeg <= maxJpeg && maxJpeg <= 100),
        "jpeg quality range must satisfy 1 <= min <= max <= 100 (or 0-0 for none), was " + minJpeg + "-" + maxJpeg);
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new InputException(message);
    }
  }

  /**
   * Realistic conditions for a printed sticker seen by a camera: rotation +-20 degrees, scale 0.8-1.2,
   * brightness +-0.1, contrast 0.8-1.2, blur sigma 0-1 pixel, noise up to 0.02 (about 5 of 255), JPEG
   * quality 60-95; anywhere on the image.
   */
  public static Conditions realistic() {
    return new Conditions(20, 0.8, 1.2, 0.1, 0.8, 1.2, 1.0, 0.02, 60, 95, null);
  }

  /** Upright, scale 1, an untouched camera: only the position is random. */
  public static Conditions positionOnly() {
    return new Conditions(0, 1, 1, 0, 1, 1, 0, 0, 0, 0, null);
  }

  /** These conditions with the sticker kept inside {@code region} (null: anywhere). */
  public Conditions within(Region region) {
    return new Conditions(maxRotation, minScale, maxScale, maxBrightness, minContrast, maxContrast, maxBlur, maxNoise,
        minJpeg, maxJpeg, region);
  }

  /** Draws checked before any work by {@link #check}: a region with room for none of them is refused. */
  static final int CHECK_DRAWS = 32;

  /**
   * Refuses, in one line, a sticker that cannot be placed: larger than the image, a region of another size, or
   * a region where {@value #CHECK_DRAWS} draws (each up to {@value #PLACEMENT_TRIES} placements) find no room.
   * Call it before any model work; a region only just large enough can still fail a later draw.
   */
  public void check(int size, int height, int width) {
    SplittableRandom r = new SplittableRandom(0);
    for (int i = 0; i < CHECK_DRAWS; i++) {
      sample(r, size, height, width);
    }
  }

  /**
   * One draw for a sticker of side {@code size} on an image of {@code height x width}.
   *
   * @throws InputException when the sticker cannot be placed: larger than the image, or no room in the region
   */
  public Draw sample(SplittableRandom r, int size, int height, int width) {
    if (allowed != null && (allowed.height() != height || allowed.width() != width)) {
      throw new InputException("the allowed region is " + allowed.width() + "x" + allowed.height() + " but the images are "
          + width + "x" + height);
    }
    Placement p = null;
    for (int t = 0; t < PLACEMENT_TRIES && p == null; t++) {
      double angle = uniform(r, -maxRotation, maxRotation);
      double scale = uniform(r, minScale, maxScale);
      double a = Math.toRadians(angle);
      // Half the side of the axis-aligned box around the rotated, scaled square (pixel edges at +-0.5).
      double half = scale * size / 2.0 * (Math.abs(Math.cos(a)) + Math.abs(Math.sin(a)));
      double cx = centre(r, half, width);
      double cy = centre(r, half, height);
      if (Double.isNaN(cx) || Double.isNaN(cy)) {
        throw new InputException("a " + size + "x" + size + " sticker at scale up to " + maxScale + " does not fit on a "
            + width + "x" + height + " image");
      }
      Placement candidate = new Placement(angle, scale, cx, cy);
      if (allowed == null || allowed.contains(Composite.footprint(candidate, size, height, width))) {
        p = candidate;
      }
    }
    if (p == null) {
      throw new InputException("the allowed region has no room for a " + size + "x" + size + " sticker under these "
          + "rotations and scales (" + PLACEMENT_TRIES + " placements tried); allow a larger region");
    }
    int quality = maxJpeg == 0 ? 0 : minJpeg + r.nextInt(maxJpeg - minJpeg + 1);
    Photometric camera = new Photometric(uniform(r, -maxBrightness, maxBrightness),
        uniform(r, minContrast, maxContrast), uniform(r, 0, maxBlur), uniform(r, 0, maxNoise), r.nextLong(), quality);
    return new Draw(p, camera);
  }

  private static double uniform(SplittableRandom r, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * r.nextDouble();
  }

  /** A centre coordinate uniform in [half - 0.5, n - 0.5 - half], or NaN when the sticker is wider than n. */
  private static double centre(SplittableRandom r, double half, int n) {
    double lo = half - 0.5;
    double hi = n - 0.5 - half;
    if (hi < lo - 1e-9) {
      return Double.NaN;
    }
    return hi <= lo ? (lo + hi) / 2 : uniform(r, lo, hi);
  }

  /** The settings, in a stable order, for settings files and reports. */
  public Map<String, Object> parameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rotationDegrees", maxRotation);
    m.put("scale", new double[] {minScale, maxScale});
    m.put("brightness", maxBrightness);
    m.put("contrast", new double[] {minContrast, maxContrast});
    m.put("blurSigma", new double[] {0, maxBlur});
    m.put("noiseStd", new double[] {0, maxNoise});
    m.put("jpegQuality", new int[] {minJpeg, maxJpeg});
    m.put("allowedRegion", allowed == null ? "whole image" : allowed.describe());
    return m;
  }

  /** One line, e.g. "rotation +-20, scale 0.8-1.2, brightness +-0.1, ...". */
  public String describe() {
    return String.format(java.util.Locale.ROOT, "rotation +-%s deg, scale %s-%s, brightness +-%s, contrast %s-%s, "
            + "blur sigma 0-%s, noise std 0-%s, %s, %s", num(maxRotation), num(minScale), num(maxScale),
        num(maxBrightness), num(minContrast), num(maxContrast), num(maxBlur), num(maxNoise),
        maxJpeg == 0 ? "no JPEG" : "JPEG quality " + minJpeg + "-" + maxJpeg,
        allowed == null ? "anywhere on the image" : "inside " + allowed.describe());
  }

  private static String num(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * Where on the image a sticker may lie (Eykholt et al.'s masks): a {@code height x width} map of allowed
   * pixels; every pixel the sticker covers must be allowed.
   *
   * @param height image rows
   * @param width image columns
   * @param allowed row-major, {@code height * width}; copied
   * @param name where it came from, for messages
   */
  public record Region(int height, int width, boolean[] allowed, String name) {
    public Region {
      if (allowed.length != height * width) {
        throw new IllegalArgumentException("a " + width + "x" + height + " region has " + height * width
            + " pixels, not " + allowed.length);
      }
      allowed = allowed.clone();
      int n = 0;
      for (boolean b : allowed) {
        n += b ? 1 : 0;
      }
      if (n == 0) {
        throw new InputException("the allowed region " + name + " allows no pixel; white (or any value above half) "
            + "marks allowed pixels");
      }
    }

    /** The region of an image: a pixel is allowed when its mean value over the channels exceeds 127. */
    public static Region of(Image mask, String name) {
      boolean[] a = new boolean[mask.height() * mask.width()];
      for (int y = 0; y < mask.height(); y++) {
        for (int x = 0; x < mask.width(); x++) {
          int sum = 0;
          for (int c = 0; c < mask.channels(); c++) {
            sum += mask.get(c, y, x);
          }
          a[y * mask.width() + x] = sum > 127 * mask.channels();
        }
      }
      return new Region(mask.height(), mask.width(), a, name);
    }

    /** Whether every pixel index (row-major) of {@code pixels} is allowed. */
    boolean contains(int[] pixels) {
      for (int p : pixels) {
        if (!allowed[p]) {
          return false;
        }
      }
      return true;
    }

    public int allowedPixels() {
      int n = 0;
      for (boolean b : allowed) {
        n += b ? 1 : 0;
      }
      return n;
    }

    String describe() {
      return name + " (" + allowedPixels() + " of " + height * width + " pixels)";
    }
  }
}
