package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A family of masks with its parameters, built for an image size by {@link #build}. Parse one from text with
 * {@link #parse}:
 *
 * <ul>
 *   <li>{@code lattice:K}: K x K masks; pixel (x, y) is in mask (y mod K, x mod K). A partition, so it covers
 *       one pixel; each mask's pixels are K apart in both directions.
 *   <li>{@code skew:K/A}: K masks; pixel (x, y) is in mask (x + A y) mod K. A partition too; with K larger than
 *       the width each row holds at most one pixel of a mask, and a good A spreads a mask's pixels more evenly
 *       than a lattice does.
 *   <li>{@code blocks:M/S}: M x M squares at stride S on both axes, the last one flush with the edge (the
 *       paper's masks). They cover every patch of side up to M - S + 1.
 *   <li>{@code spread:B/S/G}: B x B squares at stride S, as blocks, grouped into G x G masks: the square at grid
 *       place (i, j) joins mask (j mod G, i mod G), so each mask is many squares spread over the image. Covers
 *       patches of side up to B - S + 1 with G^2 masks, whatever the image size.
 * </ul>
 */
public sealed interface MaskSpec {

  /** The masks for a {@code height x width} image. */
  MaskSet build(int height, int width);

  /** The text that {@link #parse} reads back. */
  String spec();

  /**
   * Reads a spec such as {@code lattice:6}, {@code skew:36/11}, {@code blocks:5/4} or {@code spread:3/2/6}.
   *
   * @throws InputException in one line when the text is none of these or a parameter is out of range
   */
  static MaskSpec parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int colon = t.indexOf(':');
    String family = colon < 0 ? t : t.substring(0, colon);
    int[] p = colon < 0 ? new int[0] : numbers(text, t.substring(colon + 1));
    switch (family) {
      case "lattice":
        return new Lattice(expect(text, p, 1, "lattice:K")[0]);
      case "skew":
        expect(text, p, 2, "skew:K/A");
        return new Skew(p[0], p[1]);
      case "blocks":
        expect(text, p, 2, "blocks:M/S");
        return new Blocks(p[0], p[1]);
      case "spread":
        expect(text, p, 3, "spread:B/S/G");
        return new Spread(p[0], p[1], p[2]);
      default:
        throw new InputException("unknown masks '" + text + "'; give lattice:K, skew:K/A, blocks:M/S or spread:B/S/G"
            + " (e.g. lattice:6 for one pixel, blocks:5/4 for a 2x2 patch)");
    }
  }

  private static int[] numbers(String text, String list) {
    String[] parts = list.split("/", -1);
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new InputException("invalid masks '" + text + "': '" + parts[i] + "' is not a whole number");
      }
    }
    return out;
  }

  private static int[] expect(String text, int[] p, int n, String form) {
    if (p.length != n) {
      throw new InputException("invalid masks '" + text + "'; write " + form);
    }
    return p;
  }

  private static void positive(String spec, String what, int value, int min) {
    if (value < min) {
      throw new InputException("invalid masks " + spec + ": " + what + " must be at least " + min + ", was " + value);
    }
  }

  /**
   * K x K masks, pixel (x, y) in mask {@code (y mod K) K + (x mod K)}.
   *
   * @param k the lattice's period, at least 2
   */
  record Lattice(int k) implements MaskSpec {
    public Lattice {
      positive("lattice:" + k, "K", k, 2);
    }

    @Override
    public MaskSet build(int height, int width) {
      fits(spec(), k, height, width);
      List<int[]> masks = partition(k * k, height, width, (x, y) -> (y % k) * k + x % k);
      return new MaskSet(spec(), height, width, masks);
    }

    @Override
    public String spec() {
      return "lattice:" + k;
    }
  }

  /**
   * K masks, pixel (x, y) in mask {@code (x + A y) mod K}.
   *
   * @param k masks, at least 2
   * @param a the shift from one row to the next, in [0, K)
   */
  record Skew(int k, int a) implements MaskSpec {
    public Skew {
      positive("skew:" + k + "/" + a, "K", k, 2);
      if (a < 0 || a >= k) {
        throw new InputException("invalid masks skew:" + k + "/" + a + ": A must be in [0, K), was " + a);
      }
    }

    @Override
    public MaskSet build(int height, int width) {
      List<int[]> masks = partition(k, height, width, (x, y) -> (x + a * y) % k);
      return new MaskSet(spec(), height, width, masks);
    }

    @Override
    public String spec() {
      return "skew:" + k + "/" + a;
    }
  }

  /**
   * M x M squares at stride S, the last flush with the edge.
   *
   * @param m the square's side, at least 1
   * @param s the stride, at least 1
   */
  record Blocks(int m, int s) implements MaskSpec {
    public Blocks {
      positive("blocks:" + m + "/" + s, "M", m, 1);
      positive("blocks:" + m + "/" + s, "S", s, 1);
    }

    @Override
    public MaskSet build(int height, int width) {
      fits(spec(), m, height, width);
      int[] xs = starts(width, m, s);
      int[] ys = starts(height, m, s);
      List<int[]> masks = new ArrayList<>();
      for (int y0 : ys) {
        for (int x0 : xs) {
          masks.add(square(x0, y0, m, width));
        }
      }
      return new MaskSet(spec(), height, width, masks);
    }

    @Override
    public String spec() {
      return "blocks:" + m + "/" + s;
    }
  }

  /**
   * B x B squares at stride S grouped into G x G masks by their grid place.
   *
   * @param b the square's side, at least 1
   * @param s the stride, at least 1
   * @param g the grouping period, at least 1
   */
  record Spread(int b, int s, int g) implements MaskSpec {
    public Spread {
      positive("spread:" + b + "/" + s + "/" + g, "B", b, 1);
      positive("spread:" + b + "/" + s + "/" + g, "S", s, 1);
      positive("spread:" + b + "/" + s + "/" + g, "G", g, 1);
    }

    @Override
    public MaskSet build(int height, int width) {
      fits(spec(), b, height, width);
      int[] xs = starts(width, b, s);
      int[] ys = starts(height, b, s);
      if (g > Math.min(xs.length, ys.length)) {
        throw new InputException("invalid masks " + spec() + " for a " + width + "x" + height + " image: G = " + g
            + " is more than the " + Math.min(xs.length, ys.length) + " squares along an axis, so masks would be empty");
      }
      List<List<Integer>> groups = new ArrayList<>();
      for (int m = 0; m < g * g; m++) {
        groups.add(new ArrayList<>());
      }
      for (int j = 0; j < ys.length; j++) {
        for (int i = 0; i < xs.length; i++) {
          for (int p : square(xs[i], ys[j], b, width)) {
            groups.get((j % g) * g + i % g).add(p);
          }
        }
      }
      List<int[]> masks = groups.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
      return new MaskSet(spec(), height, width, masks);
    }

    @Override
    public String spec() {
      return "spread:" + b + "/" + s + "/" + g;
    }
  }

  private static void fits(String spec, int side, int height, int width) {
    if (side > Math.min(height, width)) {
      throw new InputException("invalid masks " + spec + " for a " + width + "x" + height + " image: " + side
          + " is more than its side");
    }
  }

  /** Start offsets 0, S, 2S, ... of squares of side M along an axis of n pixels, the last one at n - M. */
  private static int[] starts(int n, int m, int s) {
    int count = (n - m + s - 1) / s + 1;
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = Math.min(i * s, n - m);
    }
    return out;
  }

  private static int[] square(int x0, int y0, int side, int width) {
    int[] p = new int[side * side];
    for (int j = 0; j < side; j++) {
      for (int i = 0; i < side; i++) {
        p[j * side + i] = (y0 + j) * width + x0 + i;
      }
    }
    return p;
  }

  /** A partition into k masks, pixel (x, y) going to mask {@code assign(x, y)}. */
  private static List<int[]> partition(int k, int height, int width, java.util.function.IntBinaryOperator assign) {
    List<List<Integer>> groups = new ArrayList<>();
    for (int m = 0; m < k; m++) {
      groups.add(new ArrayList<>());
    }
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        groups.get(assign.applyAsInt(x, y)).add(y * width + x);
      }
    }
    for (int m = 0; m < k; m++) {
      if (groups.get(m).isEmpty()) {
        throw new InputException("invalid masks: with " + k + " masks over a " + width + "x" + height + " image,"
            + " mask " + m + " would hold no pixel; use fewer masks");
      }
    }
    return groups.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
  }
}
