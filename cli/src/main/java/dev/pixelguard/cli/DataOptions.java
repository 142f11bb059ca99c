package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.image.Image;
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

  /**
   * The class names a model without its own may take from the data: none from a folder of class folders, whose
   * alphabetical order says nothing about the model's outputs.
   */
  static List<String> namesForModel(Dataset data) {
    return data.namedByFolder() ? List.of() : data.classNames();
  }

  /** [C, H, W] of the dataset's first image. */
  static int[] shape(Dataset data) {
    Image first = data.get(0).image();
    return new int[] {first.channels(), first.height(), first.width()};
  }

  /**
   * The dataset labelled by the model's classes: class folders matched by name, or refused in one line when a
   * folder matches no class (see {@link Dataset#matchedTo}).
   */
  static Dataset matched(Dataset data, ModelInfo info) {
    if (data.namedByFolder() && !info.hasNames()) {
      throw new InputException("the model has no class names, so the class folders of " + data.name() + " cannot be "
          + "matched to its outputs; give its class names with --classes FILE|LIST");
    }
    return data.matchedTo(info.classNames());
  }

  /** The dataset in the model's input shape: as is, converted with --resize, or refused with one clear line. */
  Dataset fit(Dataset data, ModelInfo info) {
    data = matched(data, info);
    Image first = data.get(0).image();
    if (first.channels() == info.channels() && first.height() == info.height() && first.width() == info.width()) {
      return data;
    }
    if (!resize) {
      throw new InputException("the dataset's images are " + first.shape() + " but the model takes "
          + info.inputShape() + " (use --resize to convert them)");
    }
    return Datasets.convert(data, info.channels(), info.height(), info.width());
  }
}
