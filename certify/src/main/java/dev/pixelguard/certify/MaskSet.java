package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of masks over a {@code height x width} image: each mask is a set of pixel positions (all channels) that
 * double masking hides and fills. Masks may overlap; every mask holds at least one position. Positions are
 * {@code y * width + x}. Immutable.
 *
 * <p>Double masking is sound for a threat only when the set <b>covers</b> it: every region the attacker may
 * change lies entirely inside at least one mask (Xiang, Mahloujifar and Mittal, "PatchCleanser", USENIX Security
 * 2022, the R-covering condition). {@link #requireCovers} checks this region by region. Build one with
 * {@link MaskSpec#build}.
 */
public final class MaskSet {
  private final String spec;
  private final int height;
  private final int width;
  private final int[][] masks;
  /** Per position, the masks holding it, as a bit set over mask indices. */
  private final long[][] holders;

  /**
   * @param spec how the set was made, e.g. {@code lattice:6}, for results and messages
   * @param masks per mask its positions; copied, sorted, duplicates removed
   * @throws IllegalArgumentException when a mask is empty or holds a position outside the image
   */
  MaskSet(String spec, int height, int width, List<int[]> masks) {
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("an image has at least one pixel, was " + width + "x" + height);
    }
    if (masks.isEmpty()) {
      throw new IllegalArgumentException("a mask set needs at least one mask");
    }
    this.spec = spec;
    this.height = height;
    this.width = width;
    this.masks = new int[masks.size()][];
    int words = (masks.size() + 63) / 64;
    this.holders = new long[height * width][words];
    for (int m = 0; m < masks.size(); m++) {
      int[] p = Arrays.stream(masks.get(m)).sorted().distinct().toArray();
      if (p.length == 0) {
        throw new IllegalArgumentException("mask " + m + " of " + spec + " holds no pixel of the " + width + "x"
            + height + " image");
      }
      if (p[0] < 0 || p[p.length - 1] >= height * width) {
        throw new IllegalArgumentException("mask " + m + " of " + spec + " holds a position outside the image");
      }
      this.masks[m] = p;
      for (int pos : p) {
        holders[pos][m >>> 6] |= 1L << (m & 63);
      }
    }
  }

  /**
   * A mask set of one's own: any masks, any overlap. {@link Certifier} still refuses it for a threat it does
   * not cover.
   *
   * @param name its name in results, e.g. {@code custom}
   * @param masks per mask its positions {@code y * width + x}; copied
   * @throws IllegalArgumentException when there is no mask, or a mask is empty or holds a position outside
   */
  public static MaskSet of(String name, int height, int width, List<int[]> masks) {
    return new MaskSet(name, height, width, masks);
  }

  /** How the set was made, e.g. {@code lattice:6}. */
  public String spec() {
    return spec;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** Number of masks k; double masking costs k one-mask and k(k-1)/2 two-mask passes. */
  public int size() {
    return masks.length;
  }

  /** One-mask plus two-mask predictions: k(k+1)/2. */
  public int predictions() {
    return masks.length * (masks.length + 1) / 2;
  }

  /** The positions of mask {@code m}, ascending (a copy). */
  public int[] positions(int m) {
    return masks[m].clone();
  }

  /** Number of positions of mask {@code m}. */
  public int count(int m) {
    return masks[m].length;
  }

  /** Sets {@code hidden[p]} for every position p of mask {@code m} (the other entries are left as they are). */
  void hide(int m, boolean[] hidden) {
    for (int p : masks[m]) {
      hidden[p] = true;
    }
  }

  /** Whether mask {@code m} holds position {@code pos}. */
  public boolean holds(int m, int pos) {
    return (holders[pos][m >>> 6] & (1L << (m & 63))) != 0;
  }

  /**
   * The masks that hold every pixel of the threat's region with top-left (x, y), as a bit set over mask indices
   * (the words of a {@link java.util.BitSet#valueOf(long[])}); all zero when none does.
   */
  long[] covering(Threat threat, int x, int y) {
    long[] c = holders[y * width + x].clone();
    for (int j = 0; j < threat.side(); j++) {
      for (int i = 0; i < threat.side(); i++) {
        long[] h = holders[(y + j) * width + x + i];
        for (int w = 0; w < c.length; w++) {
          c[w] &= h[w];
        }
      }
    }
    return c;
  }

  /**
   * Every region of the threat, each with the masks that cover it: what the proof needs. Regions are in row
   * order of their top-left pixel.
   *
   * @throws InputException when a region lies inside no mask, naming the region
   */
  Cover requireCovers(Threat threat) {
    if (threat.regions(height, width) == 0) {
      throw new InputException("the threat's " + threat.side() + "x" + threat.side() + " region does not fit the "
          + width + "x" + height + " image");
    }
    List<long[]> cover = new ArrayList<>();
    int cols = width - threat.side() + 1;
    for (int y = 0; y + threat.side() <= height; y++) {
      for (int x = 0; x < cols; x++) {
        long[] c = covering(threat, x, y);
        if (Arrays.stream(c).allMatch(w -> w == 0)) {
          throw new InputException("the masks " + spec + " do not cover the threat " + threat.spec() + ": no mask holds"
              + " all of the " + threat.region(x, y) + ", so an attacker there could change every masked view; use"
              + " masks that hold every such region (for a patch of side P: blocks:M/S with M >= P + S - 1)");
        }
        cover.add(c);
      }
    }
    return new Cover(threat, cols, cover);
  }

  /**
   * The covering masks of every region of a threat ({@link #requireCovers}).
   *
   * @param threat the threat
   * @param columns regions per row
   * @param regions per region, in row order, the bit set of masks that cover it (never empty)
   */
  record Cover(Threat threat, int columns, List<long[]> regions) {
    /**
     * The first region none of whose covering masks is in {@code alive} (a bit set over masks), or -1 when every
     * region has one.
     */
    int firstUncovered(long[] alive) {
      for (int r = 0; r < regions.size(); r++) {
        long[] c = regions.get(r);
        boolean any = false;
        for (int w = 0; w < c.length && !any; w++) {
          any = (c[w] & alive[w]) != 0;
        }
        if (!any) {
          return r;
        }
      }
      return -1;
    }

    /** Whether some region's covering masks all lie in {@code set} (a bit set over masks). */
    boolean anyRegionWithin(long[] set) {
      for (long[] c : regions) {
        boolean within = true;
        for (int w = 0; w < c.length && within; w++) {
          within = (c[w] & ~set[w]) == 0;
        }
        if (within) {
          return true;
        }
      }
      return false;
    }

    /** The name of region {@code r}, e.g. "pixel (3, 7)". */
    String region(int r) {
      return threat.region(r % columns, r / columns);
    }
  }

  @Override
  public String toString() {
    return spec + " (" + masks.length + " masks over " + width + "x" + height + ")";
  }
}
