package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import java.util.Locale;

/**
 * What the attacker may change: every pixel of one square region of {@code side x side} pixels, anywhere in the
 * image, to any values (all channels, any real numbers: the proof never looks at the values, so it covers the
 * continuous colour range and more). {@code side} 1 is the one-pixel threat; a larger side is a patch or
 * sticker (Eykholt et al. 2018; Brown et al. 2017).
 *
 * <p>Positions are counted in the image exactly as the model receives it. A region is named by its top-left
 * pixel (x, y): it holds the pixels (x + i, y + j) for i, j in [0, side).
 *
 * @param side the region's side in pixels, at least 1
 */
public record Threat(int side) {
  public Threat {
    if (side < 1) {
      throw new InputException("a threat region has a side of at least 1 pixel, was " + side);
    }
  }

  /** One pixel, any colour. */
  public static Threat pixel() {
    return new Threat(1);
  }

  /** A {@code side x side} patch of any content, anywhere. */
  public static Threat patch(int side) {
    return new Threat(side);
  }

  /**
   * {@code pixel} or {@code patch:P} (P at least 1; {@code patch:1} is {@code pixel}).
   *
   * @throws InputException for anything else, in one line
   */
  public static Threat parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("pixel")) {
      return pixel();
    }
    if (t.startsWith("patch:")) {
      try {
        return patch(Integer.parseInt(t.substring(6).trim()));
      } catch (NumberFormatException e) {
        // the one message below
      }
    }
    throw new InputException("unknown threat '" + text + "'; give pixel (one pixel, any colour) or patch:P (a P x P"
        + " patch of any content, e.g. patch:2)");
  }

  /** Regions in a {@code height x width} image: (width - side + 1) x (height - side + 1), or 0 if none fits. */
  public int regions(int height, int width) {
    return Math.max(0, width - side + 1) * Math.max(0, height - side + 1);
  }

  /** The region's name in messages, e.g. "pixel (3, 7)" or "2x2 patch at (3, 7)". */
  public String region(int x, int y) {
    return side == 1 ? "pixel (" + x + ", " + y + ")" : side + "x" + side + " patch at (" + x + ", " + y + ")";
  }

  /** The spec as parsed: {@code pixel} or {@code patch:P}. */
  public String spec() {
    return side == 1 ? "pixel" : "patch:" + side;
  }

  /** In words, e.g. "one pixel, any colour". */
  public String describe() {
    return side == 1 ? "one pixel, any colour" : "a " + side + "x" + side + " patch of any content, anywhere";
  }
}
