package dev.pixelguard.data;

import dev.pixelguard.InputException;

/**
 * One dataset cut into two disjoint parts: the images a defence is fitted on (a temperature, a threshold)
 * and the images its figures are reported on. Code that fits takes {@link #fit()}, code that reports takes
 * {@link #report()}; the two can never share an image, so a reported figure is never measured on the images
 * it was fitted to.
 *
 * @param fit the images to fit on
 * @param report the images to report on
 * @param fitRange where {@code fit} lies in the whole dataset
 * @param reportRange where {@code report} lies in the whole dataset
 */
public record Split(Dataset fit, Dataset report, Range fitRange, Range reportRange) {

  /**
   * Cuts {@code data} into the images of {@code fitRange} and those of {@code reportRange}.
   *
   * @throws InputException when the ranges overlap or do not lie inside the dataset
   */
  public static Split of(Dataset data, Range fitRange, Range reportRange) {
    if (fitRange.overlaps(reportRange)) {
      throw new InputException("the fit images " + fitRange + " and the report images " + reportRange
          + " overlap; a defence must be reported on images it was not fitted to");
    }
    return new Split(data.range(fitRange), data.range(reportRange), fitRange, reportRange);
  }

  /**
   * A range of image indices, both ends inclusive, written {@code FROM-TO} (e.g. {@code 466-931}).
   *
   * @param from first index, at least 0
   * @param to last index, at least {@code from}
   */
  public record Range(int from, int to) {
    public Range {
      if (from < 0 || to < from) {
        throw new InputException("invalid image range " + from + "-" + to + "; give FROM-TO with 0 <= FROM <= TO");
      }
    }

    /**
     * Parses {@code FROM-TO}.
     *
     * @throws InputException for anything else
     */
    public static Range parse(String text) {
      String t = text.trim();
      int dash = t.indexOf('-', 1);
      try {
        if (dash > 0) {
          return new Range(Integer.parseInt(t.substring(0, dash).trim()), Integer.parseInt(t.substring(dash + 1).trim()));
        }
      } catch (NumberFormatException e) {
        // fall through to the one message
      }
      throw new InputException("invalid image range '" + text + "'; give FROM-TO, e.g. 466-931");
    }

    /** Number of images in the range. */
    public int size() {
      return to - from + 1;
    }

    public boolean overlaps(Range other) {
      return from <= other.to && other.from <= to;
    }

    @Override
    public String toString() {
      return from + "-" + to;
    }
  }
}
