package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.model.ModelInfo;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The images a command runs over: {@code --dataset}, {@code --limit}, {@code --resize}, {@code --repeat}. */
public final class DataOptions {
  @Option(names = {"-d", "--dataset"}, paramLabel = "PATH", description = "Dataset: a folder of class folders, a "
      + "CIFAR-10 .bin batch, an IDX images file, or an image file (default: the embedded samples).")
  Path dataset;

  @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Use only the first N images.")
  Integer limit;

  @Option(names = "--resize", description = "Resize and convert images to the model's input shape (each image when it "
      + "is used, so a small dataset upscaled for a large model is never held at the large size).")
  boolean resize;

  @Option(names = "--repeat", paramLabel = "N", description = "Cycle through the images (after --limit) to N images, "
      + "made when used: repeat r of an image has the id ID~r and so its own seed. For load tests and memory "
      + "benchmarks.")
  Integer repeat;

  /** Checks the options' values before any work. */
  void check() {
    if (limit != null && limit < 1) {
      throw new InputException("--limit must be at least 1, was " + limit);
    }
    if (repeat != null && repeat < 1) {
      throw new InputException("--repeat must be at least 1, was " + repeat);
    }
  }

  /** The images these options name, as a plan's data source. */
  EvaluationPlan.DataSource source() {
    check();
    return new EvaluationPlan.DataSource(dataset == null ? null : dataset.toString(), limit, repeat, resize);
  }

  /** The dataset, limited. */
  Dataset load() {
    check();
    Dataset data = CliFiles.datasetOrSamples(dataset);
    data = limit == null ? data : data.limit(limit);
    return repeat == null ? data : data.repeat(repeat);
  }

  /** The class names a model without its own may take from the data (see EvaluationPlan.DataSource). */
  static List<String> namesForModel(Dataset data) {
    return EvaluationPlan.DataSource.namesForModel(data);
  }

  /** [C, H, W] of the dataset's first image. */
  static int[] shape(Dataset data) {
    return EvaluationPlan.DataSource.shape(data);
  }

  /**
   * The dataset labelled by the model's classes and in its input shape: as is, converted with --resize, or refused
   * with one clear line ({@link EvaluationPlan.DataSource#fit}).
   */
  Dataset fit(Dataset data, ModelInfo info) {
    return source().fit(data, info);
  }
}
