package dev.pixelguard.attack.scan;

import dev.pixelguard.attack.Goal;
import java.util.List;

/**
 * The outcome of an exhaustive one-pixel scan of one image.
 *
 * @param imageId where the image came from
 * @param goal what counts as a flip
 * @param width image width
 * @param height image height
 * @param colours the colours tried at every position, each one value per channel in [0, 255]
 * @param flips every (position, colour) that reaches the goal, in scan order; with early exit, those of the
 *     chunk where the first one was found
 * @param map per position (row-major, {@code y * width + x}), the lowest true-class probability over the
 *     colours tried (untargeted), or the highest target probability (targeted); NaN where not scanned
 * @param queries images sent to the model
 * @param firstSuccessQuery queries spent when the first flip was seen (chunk granularity), or -1
 * @param complete whether every position and colour was tried
 */
public record ScanResult(
    String imageId,
    Goal goal,
    int width,
    int height,
    List<int[]> colours,
    List<Flip> flips,
    float[] map,
    long queries,
    long firstSuccessQuery,
    boolean complete) {

  public ScanResult {
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
