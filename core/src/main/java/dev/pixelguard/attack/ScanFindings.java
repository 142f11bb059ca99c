package dev.pixelguard.attack;

import java.util.List;

/**
 * Everything an exhaustive one-pixel scan found on one image.
 *
 * @param width image width (positions are row-major, {@code y * width + x})
 * @param colours the colours tried at every position, each one value per channel in [0, 255]
 * @param flips every (position, colour) that reaches the goal, in scan order; with early exit, those of the
 *     request where the first one was found
 * @param map per position, the lowest Su et al. fitness over the colours tried: the true class's probability
 *     (untargeted) or one minus the target's (targeted); NaN where not scanned. Low is vulnerable.
 * @param complete whether every position and colour was tried
 */
public record ScanFindings(int width, List<int[]> colours, List<Flip> flips, float[] map, boolean complete) {

  public ScanFindings {
    colours = colours.stream().map(int[]::clone).toList();
    flips = List.copyOf(flips);
    map = map.clone();
  }

  @Override
  public List<int[]> colours() {
    return colours.stream().map(int[]::clone).toList();
  }

  @Override
  public float[] map() {
    return map.clone();
  }

  /** Whether some single pixel with some colour tried reaches the goal. */
  public boolean vulnerable() {
    return !flips.isEmpty();
  }

  /** Number of distinct positions with at least one flipping colour. */
  public int vulnerablePositions() {
    return (int) flips.stream().mapToInt(f -> f.y() * width + f.x()).distinct().count();
  }

  /**
   * One flipping change.
   *
   * @param x column
   * @param y row
   * @param colour the new colour, one value per channel in [0, 255]
   * @param adversarialClass the model's top class with this change
   * @param confidence its probability
   */
  public record Flip(int x, int y, int[] colour, int adversarialClass, float confidence) {
    public Flip {
      colour = colour.clone();
    }

    @Override
    public int[] colour() {
      return colour.clone();
    }
  }
}
