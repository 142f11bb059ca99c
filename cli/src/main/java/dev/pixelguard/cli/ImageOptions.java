package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.EvaluationPlan;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ModelInfo;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** One image: a file, or an image of a dataset by index. */
public final class ImageOptions {
  @Option(names = {"-i", "--image"}, paramLabel = "FILE", description = "Image file (PNG, JPEG, BMP, GIF).")
  Path image;

  @Option(names = {"-d", "--dataset"}, paramLabel = "PATH",
      description = "Dataset to take the image from with --index (default: the embedded samples).")
  Path dataset;

  @Option(names = "--index", paramLabel = "N", description = "Index of the image in --dataset (default: ${DEFAULT-VALUE}).")
  int index = 0;

  @Option(names = "--resize", description = "Resize and convert images to the model's input shape instead of refusing them.")
  boolean resize;

  private Dataset source;

  /** The selected image with its label (unlabelled for a file). */
  LabeledImage load() {
    if (image != null) {
      if (dataset != null) {
        throw new InputException("give either --image or --dataset, not both");
      }
      return new LabeledImage(image.getFileName().toString(), ImageFiles.read(image), LabeledImage.UNLABELED);
    }
    source = CliFiles.datasetOrSamples(dataset);
    return source.get(index);
  }

  /**
   * The model of {@code model} for {@code im} (the image {@link #load} gave), its shape a hint for a model that
   * records none. When no image was given (neither --image nor --dataset) and the embedded sample it then takes is
   * not of the model's kind, that is what it says, in one line, rather than the model's own complaint about the
   * sample's shape (such as "the descriptor's input [1, 28, 28] does not match ...").
   */
  dev.pixelguard.model.Classifier open(ModelOptions model, Image im) {
    int[] shape = {im.channels(), im.height(), im.width()};
    if (image != null || dataset != null || model.isDefault()) {
      return model.open(shape, classNames());
    }
    dev.pixelguard.model.Classifier c;
    try {
      c = model.open(shape, classNames());
    } catch (InputException withTheSample) {
      try (dev.pixelguard.model.Classifier alone = model.open(null, classNames())) {
        throw noImage(alone.info());
      } catch (InputException withoutIt) {
        if (withoutIt.getMessage().startsWith("no image was given")) {
          throw withoutIt;
        }
        throw withTheSample; // the model itself is the trouble
      }
    }
    ModelInfo info = c.info();
    if (!resize && (info.channels() != im.channels() || info.height() != im.height() || info.width() != im.width())) {
      c.close();
      throw noImage(info);
    }
    return c;
  }

  private InputException noImage(ModelInfo info) {
    return new InputException("no image was given (--image FILE, or --dataset PATH with --index N), and the "
        + "embedded sample taken instead, a 28x28 grayscale Fashion-MNIST image, is not what the model takes ("
        + info.inputShape() + "); give an image");
  }

  /** Class names a model without its own may take from the image's dataset (none for a file or class folders). */
  List<String> classNames() {
    return source == null ? List.of() : DataOptions.namesForModel(source);
  }

  /** The selected image labelled by the model's classes (class folders matched by name). */
  LabeledImage matched(LabeledImage li, ModelInfo info) {
    if (source == null || !source.namedByFolder()) {
      return li;
    }
    // Without the model's class names a folder's name says nothing about its outputs: the image is unlabelled.
    return info.hasNames() ? EvaluationPlan.DataSource.matched(source, info).get(index)
        : new LabeledImage(li.id(), li.image(), LabeledImage.UNLABELED);
  }

  /** The image in the model's shape: as is, converted with --resize, or refused with a clear message. */
  Image fit(Image im, ModelInfo info) {
    if (im.channels() == info.channels() && im.height() == info.height() && im.width() == info.width()) {
      return im;
    }
    if (!resize) {
      throw new InputException("the image is " + im.shape() + " but the model takes " + info.inputShape()
          + " (use --resize to convert it)");
    }
    return ImageFiles.convert(im, info.channels(), info.height(), info.width());
  }
}
