package dev.pixelguard.verify;

/**
 * One pixel that flips the model: set pixel (x, y) to {@code colour} (8-bit per channel) and the model's top
 * class becomes {@code newClass}, as the model itself said when rechecked.
 *
 * @param x column
 * @param y row
 * @param colour the 8-bit colour, one value per channel
 * @param newClass the model's class for the changed image
 * @param found which phase found it: "corner scan" or "branch and bound"
 */
public record Counterexample(int x, int y, int[] colour, int newClass, String found) {
  public Counterexample {
    colour = colour.clone();
  }

  @Override
  public int[] colour() {
    return colour.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Counterexample c && x == c.x && y == c.y && java.util.Arrays.equals(colour, c.colour)
        && newClass == c.newClass && found.equals(c.found);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(x, y, java.util.Arrays.hashCode(colour), newClass, found);
  }
}
