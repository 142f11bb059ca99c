package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two terms that keep a sticker printable (Eykholt et al. 2018, RP2): its non-printability score against a
 * palette of colours a printer reproduces, and its total variation (smooth stickers survive printing and
 * viewing from afar). Both are cheap, need no model, and come with their exact gradients.
 *
 * <p><b>Non-printability score</b> (Sharif et al. 2016, as RP2 uses it): for each sticker pixel the product of
 * its Euclidean colour distances to every palette colour, averaged over the pixels. It is 0 where a pixel has a
 * printable colour and grows as it leaves them all.
 *
 * <p><b>Total variation</b>: for each channel and pixel {@code sqrt(dx^2 + dy^2 + 1e-6)} with {@code dx, dy}
 * the differences to the right and lower neighbours (0 at the far edges), averaged over channels and pixels
 * (the 1e-6 keeps the gradient finite on flat areas).
 *
 * @param palette printable colours, each with the sticker's channels, values in [0, 1]
 */
public record Printability(List<float[]> palette) {
  public Printability {
    if (palette.isEmpty()) {
      throw new InputException("a palette needs at least one colour");
    }
    int c = palette.get(0).length;
    List<float[]> copy = new ArrayList<>();
    for (float[] p : palette) {
      if (p.length != c) {
        throw new InputException("palette colours must all have " + c + " channels");
      }
      copy.add(p.clone());
    }
    palette = List.copyOf(copy);
  }

  /** Channels of the palette's colours. */
  public int channels() {
    return palette.get(0).length;
  }

  /**
   * The default palette, a stand-in for a measured one: for RGB the 27 colours whose channels are each 0.1,
   * 0.5 or 0.9 (the extremes of full black, white and saturated primaries are left out, as few printers reach
   * them); for grayscale the 5 grey levels 0.1, 0.3, 0.5, 0.7, 0.9. For a real print, measure the printer's
   * colours (print a chart, photograph it) and give them as a palette file.
   */
  public static Printability defaultPalette(int channels) {
    List<float[]> p = new ArrayList<>();
    if (channels == 1) {
      for (float g : new float[] {0.1f, 0.3f, 0.5f, 0.7f, 0.9f}) {
        p.add(new float[] {g});
      }
    } else if (channels == 3) {
      float[] levels = {0.1f, 0.5f, 0.9f};
      for (float r : levels) {
        for (float g : levels) {
          for (float b : levels) {
            p.add(new float[] {r, g, b});
          }
        }
      }
    } else {
      throw new InputException("no default palette for " + channels + " channels");
    }
    return new Printability(p);
  }

  /**
   * Reads a palette file: one colour per line, as {@code #rrggbb} or as whole numbers 0-255 separated by spaces
   * or commas ({@code 1} value for grayscale, {@code 3} for RGB); blank lines and lines from {@code #} followed by
   * a space are skipped.
   *
   * @throws InputException for a missing file or a line that is not a colour
   */
  public static Printability read(Path file, int channels) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new InputException("cannot read palette " + file + ": " + e.getMessage());
    }
    List<float[]> p = new ArrayList<>();
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("# ") || line.equals("#")) {
        continue;
      }
      float[] colour = parse(line, channels);
      if (colour == null) {
        throw new InputException("palette " + file + " line " + lineNo + ": '" + line + "' is not a colour; give "
            + (channels == 3 ? "#rrggbb or three values 0-255" : "one value 0-255") + " per line");
      }
      p.add(colour);
    }
    if (p.isEmpty()) {
      throw new InputException("palette " + file + " holds no colour");
    }
    return new Printability(p);
  }

  private static float[] parse(String line, int channels) {
    if (line.startsWith("#") && line.length() == 7 && channels == 3) {
      try {
        int rgb = Integer.parseInt(line.substring(1), 16);
        return new float[] {((rgb >> 16) & 255) / 255f, ((rgb >> 8) & 255) / 255f, (rgb & 255) / 255f};
      } catch (NumberFormatException e) {
        return null;
      }
    }
    String[] parts = line.split("[\\s,]+");
    if (parts.length != channels) {
      return null;
    }
    float[] c = new float[channels];
    for (int i = 0; i < channels; i++) {
      try {
        int v = Integer.parseInt(parts[i]);
        if (v < 0 || v > 255) {
          return null;
        }
        c[i] = v / 255f;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return c;
  }

  /**
   * The non-printability score of {@code s}, adding its gradient times {@code weight} into {@code grad}
   * (planar like the sticker) when {@code grad} is not null.
   */
  public double nonPrintability(Sticker s, float[] grad, double weight) {
    if (s.channels() != channels()) {
      throw new InputException("the palette has " + channels() + " channels, the sticker " + s.channels());
    }
    int area = s.pixels();
    int m = palette.size();
    double total = 0;
    double[] d = new double[m];
    for (int p = 0; p < area; p++) {
      double prod = 1;
      for (int k = 0; k < m; k++) {
        double sq = 0;
        for (int c = 0; c < s.channels(); c++) {
          double diff = s.value(c * area + p) - palette.get(k)[c];
          sq += diff * diff;
        }
        d[k] = Math.sqrt(sq + 1e-12);
        prod *= d[k];
      }
      total += prod;
      if (grad != null) {
        for (int k = 0; k < m; k++) {
          double others = prod / d[k]; // product of the other distances (d[k] > 0 thanks to the 1e-12)
          for (int c = 0; c < s.channels(); c++) {
            double diff = s.value(c * area + p) - palette.get(k)[c];
            grad[c * area + p] += (float) (weight * others * diff / d[k] / area);
          }
        }
      }
    }
    return total / area;
  }

  /** The total variation of {@code s}, adding its gradient times {@code weight} into {@code grad} unless null. */
  public static double totalVariation(Sticker s, float[] grad, double weight) {
    int n = s.size();
    int area = n * n;
    double total = 0;
    double norm = (double) s.channels() * area;
    for (int c = 0; c < s.channels(); c++) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int i = c * area + y * n + x;
          double dx = x + 1 < n ? s.value(i + 1) - s.value(i) : 0;
          double dy = y + 1 < n ? s.value(i + n) - s.value(i) : 0;
          double t = Math.sqrt(dx * dx + dy * dy + 1e-6);
          total += t;
          if (grad != null) {
            double f = weight / (t * norm);
            if (x + 1 < n) {
              grad[i + 1] += (float) (f * dx);
              grad[i] -= (float) (f * dx);
            }
            if (y + 1 < n) {
              grad[i + n] += (float) (f * dy);
              grad[i] -= (float) (f * dy);
            }
          }
        }
      }
    }
    return total / norm;
  }

  /** The mean Euclidean distance from each sticker pixel to its nearest palette colour: a plain printability figure. */
  public double meanDistanceToPalette(Sticker s) {
    int area = s.pixels();
    double total = 0;
    for (int p = 0; p < area; p++) {
      double best = Double.MAX_VALUE;
      for (float[] col : palette) {
        double sq = 0;
        for (int c = 0; c < s.channels(); c++) {
          double diff = s.value(c * area + p) - col[c];
          sq += diff * diff;
        }
        best = Math.min(best, sq);
      }
      total += Math.sqrt(best);
    }
    return total / area;
  }

  public String describe() {
    return String.format(Locale.ROOT, "%d colours", palette.size());
  }
}
