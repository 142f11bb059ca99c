package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Split;
import picocli.CommandLine.Option;

/**
 * {@code --fit-on} and {@code --report-on}: the images something is fitted on (a temperature, a gate's
 * thresholds, a detector, a sticker) and the disjoint images it is reported on, so that no figure is measured on
 * the images it was fitted to. Shared by calibrate, gate fit, detect and sticker train.
 */
final class SplitOptions {
  @Option(names = "--fit-on", paramLabel = "FROM-TO",
      description = "Images to fit on, both ends included (default: the second half of the dataset, N/2 to N-1).")
  String fitOn;

  @Option(names = "--report-on", paramLabel = "FROM-TO",
      description = "Images to report on, disjoint from --fit-on (default: the first half, 0 to N/2-1).")
  String reportOn;

  /** Refuses a malformed range in one line, before any work. */
  void check() {
    if (fitOn != null) {
      Split.Range.parse(fitOn);
    }
    if (reportOn != null) {
      Split.Range.parse(reportOn);
    }
  }

  /**
   * The split of {@code all}: the ranges given, or its second and first halves.
   *
   * @param what what the split is for, as the refusal names it: "calibrate", "fitting a gate", ...
   * @throws InputException when {@code all} has fewer than two images, a range lies outside it, or the ranges
   *     overlap
   */
  Split of(Dataset all, String what) {
    int n = all.size();
    if (n < 2) {
      throw new InputException(what + " needs at least 2 images (some to fit on, others to report on), " + all.name()
          + " has " + n);
    }
    Split.Range fit = fitOn == null ? new Split.Range(n / 2, n - 1) : Split.Range.parse(fitOn);
    Split.Range report = reportOn == null ? new Split.Range(0, n / 2 - 1) : Split.Range.parse(reportOn);
    for (Split.Range r : new Split.Range[] {fit, report}) {
      if (r.to() >= n) {
        throw new InputException("image range " + r + " lies outside " + all.name() + ", which has " + n + " images (0-"
            + (n - 1) + ")");
      }
    }
    return Split.of(all, fit, report);
  }
}
