package dev.pixelguard.examples;

import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.report.HtmlReport;
import java.nio.file.Path;

/** Evaluate a model on a dataset (folder, CIFAR-10 .bin, IDX file), write the HTML report. Args: model data N dir */
public final class EvaluateWithReport {
  public static void main(String[] args) {
    Dataset images = Datasets.open(Path.of(args[1])).limit(Integer.parseInt(args[2]));
    try (Classifier model = Models.open(args[0])) {
      EvaluationResult r = Evaluation.of(model, images, GuidedPixelAttack.builder().budget(2_000).build()).seed(7)
          .run();
      Path page = HtmlReport.write(r, Path.of(args[3]));
      System.out.printf("robust accuracy %.1f%% of %d attacked images; report %s%n",
          100 * r.summary().robustAccuracy(), r.summary().attacked(), page);
    }
  }
}
