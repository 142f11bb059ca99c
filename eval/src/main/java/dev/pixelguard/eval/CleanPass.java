package dev.pixelguard.eval;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/** The model's predictions on unmodified images, computed in batches. */
public final class CleanPass {
  private CleanPass() {}

  /**
   * Scores every image of {@code data}, {@code batchSize} at a time.
   *
   * @return one single-row {@link Scores} per image, in order
   */
  public static List<Scores> score(Classifier classifier, Dataset data, int batchSize) {
    List<Scores> out = new ArrayList<>(data.size());
    for (int from = 0; from < data.size(); from += batchSize) {
      List<Image> ims = new ArrayList<>();
      for (LabeledImage li : data.images().subList(from, Math.min(data.size(), from + batchSize))) {
        ims.add(li.image());
      }
      Scores s = classifier.classify(ImageBatch.of(ims));
      for (int i = 0; i < s.size(); i++) {
        out.add(s.slice(i, i + 1));
      }
    }
    return out;
  }

  /** Share of labelled images whose top class is their label, in [0, 1]. */
  public static double accuracy(Classifier classifier, Dataset data, int batchSize) {
    List<Scores> s = score(classifier, data, batchSize);
    int correct = 0;
    int labelled = 0;
    for (int i = 0; i < s.size(); i++) {
      LabeledImage li = data.images().get(i);
      if (li.hasLabel()) {
        labelled++;
        if (s.get(i).top(0) == li.label()) {
          correct++;
        }
      }
    }
    return labelled == 0 ? Double.NaN : (double) correct / labelled;
  }
}
