package dev.pixelguard.verify;

import java.util.List;
import java.util.Map;

/**
 * A verification run: the model, the data, the settings and each image's verdict.
 *
 * @param model the model's name
 * @param dataset the dataset's name
 * @param classNames the model's class names in label order
 * @param width image width (positions are y * width + x)
 * @param height image height
 * @param settings every setting that decides an outcome ({@link VerifySettings#describe()})
 * @param net one line per layer of the net read from the model
 * @param images the verdicts, in dataset order
 */
public record VerificationResult(String model, String dataset, List<String> classNames, int width, int height,
    Map<String, Object> settings, List<String> net, List<ImageVerdict> images) {
  public VerificationResult {
    classNames = List.copyOf(classNames);
    settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    net = List.copyOf(net);
    images = List.copyOf(images);
  }

  public long count(Verdict v) {
    return images.stream().filter(i -> i.verdict() == v).count();
  }

  /** Images proven robust, over all images (misclassified ones count as not robust). */
  public double certifiedAccuracy() {
    return images.isEmpty() ? 0 : (double) count(Verdict.ROBUST) / images.size();
  }

  /**
   * Images no counterexample was found for among the correctly classified, over all images: what attacks alone
   * would report, an upper bound on the true robust accuracy (the certified figure is the lower one).
   */
  public double empiricalAccuracy() {
    return images.isEmpty() ? 0 : (double) (count(Verdict.ROBUST) + count(Verdict.UNKNOWN)) / images.size();
  }

  /** Clean accuracy: images the model classifies correctly, over all images. */
  public double cleanAccuracy() {
    return images.isEmpty() ? 0 : 1 - (double) count(Verdict.MISCLASSIFIED) / images.size();
  }

  /** Mean wall seconds per decided (robust or vulnerable) image. */
  public double meanSecondsDecided() {
    return images.stream().filter(i -> i.verdict() == Verdict.ROBUST || i.verdict() == Verdict.VULNERABLE)
        .mapToDouble(ImageVerdict::seconds).average().orElse(0);
  }

  /** Mean wall seconds per correctly classified image. */
  public double meanSeconds() {
    return images.stream().filter(i -> i.verdict() != Verdict.MISCLASSIFIED).mapToDouble(ImageVerdict::seconds)
        .average().orElse(0);
  }
}
