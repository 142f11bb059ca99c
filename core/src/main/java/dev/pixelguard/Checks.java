package dev.pixelguard;

/** Argument checks shared by the builders, each with one clear message. */
public final class Checks {
  private Checks() {}

  /**
   * @return {@code value}
   * @throws IllegalArgumentException "WHAT must be at least MIN, was VALUE" when it is smaller
   */
  public static long atLeast(long min, long value, String what) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  /** See {@link #atLeast(long, long, String)}. */
  public static int atLeast(int min, int value, String what) {
    return (int) atLeast((long) min, value, what);
  }
}
