package dev.pixelguard.bench;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmark set: the first N CIFAR-10 fixture images the model classifies correctly. */
final class Fixture100 {
  private Fixture100() {}

  static Dataset firstCorrect(Classifier model, Path shared, int n) {
    return firstCorrect(model, shared, n, 0);
  }

  /**
   * The first N images from index {@code from} on that the model classifies correctly: with {@code from} 466,
   * a tuning set kept apart from the benchmark set (which lies within images 0-465).
   */
  static Dataset firstCorrect(Classifier model, Path shared, int n, int from) {
    Dataset cifar = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    List<Scores> clean = CleanPass.score(model, cifar, 400);
    List<LabeledImage> chosen = new ArrayList<>();
    for (int i = from; i < cifar.size() && chosen.size() < n; i++) {
      if (clean.get(i).top(0) == cifar.get(i).label()) {
        chosen.add(cifar.get(i));
      }
    }
    return new Dataset("first " + chosen.size() + " correctly classified of " + cifar.name()
        + (from > 0 ? " from image " + from : ""), chosen,
        cifar.classNames());
  }
}
