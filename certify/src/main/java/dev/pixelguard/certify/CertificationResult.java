package dev.pixelguard.certify;

import java.util.List;

/**
 * A certification run: its settings, one {@link Certificate} per image in dataset order, and the summary.
 *
 * @param settings what was certified and how
 * @param certificates one per image, in dataset order
 * @param summary the counts and the cost
 */
public record CertificationResult(Settings settings, List<Certificate> certificates, Summary summary) {
  public CertificationResult {
    certificates = List.copyOf(certificates);
  }

  /**
   * What was certified and how: everything a verdict depends on, besides the image.
   *
   * @param model the model's name
   * @param dataset the dataset's name
   * @param threat the threat's spec, e.g. {@code pixel} or {@code patch:2}
   * @param masks the masks' spec, e.g. {@code lattice:6}
   * @param maskCount k, the number of masks
   * @param fill the fill's spec, e.g. {@code harmonic}
   * @param guard the least lead (logit of the top class minus the runner-up's) a prediction needs to count for a
   *     proof
   * @param earlyExit whether an image stopped as soon as its verdict was known
   * @param batchSize masked images per model call (how the run went, not what it found)
   */
  public record Settings(String model, String dataset, String threat, String masks, int maskCount, String fill,
      float guard, boolean earlyExit, int batchSize) {}

  /**
   * Counts over the run. Accuracies are over the labelled images.
   *
   * @param images images certified
   * @param labelled images with a label
   * @param modelCorrect labelled images the bare model classifies correctly
   * @param defendedCorrect labelled images the defended classifier classifies correctly
   * @param certified images proven robust (always of the true class)
   * @param maskedPasses masked images classified, all images together
   * @param cleanPasses clean images classified (the bare model's own predictions)
   * @param maxPasses most masked images one image cost
   * @param seconds wall-clock time of the run
   * @param modelSeconds time spent inside the model
   */
  public record Summary(int images, int labelled, int modelCorrect, int defendedCorrect, int certified,
      long maskedPasses, long cleanPasses, long maxPasses, double seconds, double modelSeconds) {

    public double modelAccuracy() {
      return labelled == 0 ? 0 : modelCorrect / (double) labelled;
    }

    public double defendedAccuracy() {
      return labelled == 0 ? 0 : defendedCorrect / (double) labelled;
    }

    /** Certified robust accuracy: images proven robust, over the labelled images. */
    public double certifiedAccuracy() {
      return labelled == 0 ? 0 : certified / (double) labelled;
    }

    /** Mean masked images per image. */
    public double passesPerImage() {
      return images == 0 ? 0 : maskedPasses / (double) images;
    }

    /** Masked images classified per second of wall-clock time, the clean pass included in the time. */
    public double imagesPerSecond() {
      return seconds == 0 ? 0 : (maskedPasses + cleanPasses) / seconds;
    }
  }
}
