package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.certify.MaskAugment;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.Networks;
import dev.pixelguard.djl.train.AdversarialTraining;
import dev.pixelguard.djl.train.NetworkTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pixelguard train}: trains one of pixelguard's networks with DJL. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train pixelguard's small CNN, standard or adversarially, and save it as a .pgm model.",
        "Uses DJL's PyTorch engine; predict, attack and evaluate load the result. Defaults train on Fashion-MNIST "
        + "from Debian's dataset-fashion-mnist package. A checkpoint is written after every epoch; --resume "
        + "continues an interrupted run.",
        "--adversarial pgd trains on PGD examples made against the current weights at every step (Madry et al. "
        + "2018); --adversarial fgsm on a mix of the clean and the FGSM loss (Goodfellow et al. 2015). Each "
        + "epoch then also reports accuracy under that attack on the first 1,000 test images.",
        "--mask-augment MASKS[,FILL[,P]] shows a share P (default 0.5) of the training images with one or two random "
        + "masks of the family applied and filled, as double masking will show them, so that more images can be "
        + "certified (docs/certification.md)."})
final class TrainCommand implements Callable<Integer> {
  static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "PATH", description = "Training data (any dataset the readers take). "
      + "Default: ${DEFAULT-VALUE}")
  Path data = FASHION.resolve("train-images-idx3-ubyte.gz");

  @Option(names = "--test", paramLabel = "PATH", description = "Held-out data for per-epoch accuracy. "
      + "Default: ${DEFAULT-VALUE}")
  Path test = FASHION.resolve("t10k-images-idx3-ubyte.gz");

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.pgm", description = "Where to write the model (also the checkpoint).")
  Path out;

  @Option(names = "--onnx", paramLabel = "FILE.onnx", description = "Also write the trained network as ONNX "
      + "(as pixelguard export does) when training ends.")
  Path onnx;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 8;

  @Option(names = "--batch", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  float lr = 1e-3f;

  @Option(names = "--seed", description = "Seed of initialisation, shuffling and dropout (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--architecture", description = "Network (default: ${DEFAULT-VALUE}).")
  String architecture = Networks.SMALL_CNN;

  @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images.")
  Integer limit;

  @Option(names = "--adversarial", paramLabel = "METHOD", description = "Adversarial training: pgd (Madry) or "
      + "fgsm (Goodfellow's clean/FGSM mix). Default: standard training.")
  String adversarial;

  @Option(names = "--eps", paramLabel = "E", description = "L-infinity budget of the training attack, in [0,1] pixel "
      + "units (default: ${DEFAULT-VALUE}, the usual figure for Fashion-MNIST; 8/255 = 0.031 for CIFAR-10).")
  double eps = 0.1;

  @Option(names = "--pgd-steps", paramLabel = "N", description = "PGD iterations per training batch "
      + "(default: ${DEFAULT-VALUE}).")
  int pgdSteps = 7;

  @Option(names = "--pgd-step", paramLabel = "S", description = "PGD step size (default: 2.5 * eps / steps).")
  Double pgdStep;

  @Option(names = "--clean-weight", paramLabel = "A", description = "FGSM mix: weight of the clean loss "
      + "(default: ${DEFAULT-VALUE}, as Goodfellow et al.).")
  double cleanWeight = 0.5;

  @Option(names = "--mask-augment", paramLabel = "SPEC", description = "Train on masked images too: MASKS[,FILL[,P]], "
      + "e.g. lattice:6 (biharmonic fill, half the images). Default: none.")
  String maskAugment;

  @Option(names = "--resume", description = "Continue from the checkpoint in --out.")
  boolean resume;

  @Option(names = "--quiet", description = "No progress (bar or log lines).")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    if (resume && !Files.isRegularFile(out)) {
      throw new InputException("--resume: no checkpoint at " + out);
    }
    ExportCommand.requireOnnxName(onnx, "--onnx");
    CliFiles.requireWritable(out, onnx);
    if (epochs < 1 || batch < 1 || !(lr > 0)) {
      throw new InputException("--epochs and --batch must be at least 1 and --lr positive");
    }
    AdversarialTraining how = adversarialTraining();
    NetworkTrainer.Augmentation augmentation = augmentation();
    Dataset train = Datasets.open(data);
    if (limit != null) {
      train = train.limit(limit);
    }
    Dataset held = test == null ? null : Datasets.open(test);
    if (train.classNames().size() < 2) {
      throw new InputException("training data " + data + " has no class names; add a classes.txt beside it");
    }
    var first = train.get(0).image();
    for (var li : train.images()) {
      if (!li.hasLabel()) {
        throw new InputException("training image " + li.id() + " has no label");
      }
    }
    int[] shape = {first.channels(), first.height(), first.width()};
    if (maskAugment != null) {
      MaskAugment.parse(maskAugment).masks().build(first.height(), first.width()); // masks that fit, before any work
    }
    NetworkModel net = resume ? NetworkModel.load(out)
        : NetworkModel.create(architecture, shape, train.classNames(), seed);
    try (net) {
      int done = net.provenance().path("epochsDone").asInt(0);
      String before = net.provenance().path("training").path("method").asText("standard");
      String now = how.toJson().path("method").asText();
      if (resume && done > 0 && !before.equals(now)) {
        throw new InputException("--resume: the checkpoint was trained " + before + ", this run asks for " + now);
      }
      if (done >= epochs) {
        o.printf("%s already has %d epochs; nothing to do%n", out, done);
        if (onnx != null) {
          ExportCommand.write(net, onnx, o);
        }
        return ExitCode.OK;
      }
      o.printf("training %s on %s (%d images, %s) for epochs %d-%d, seed %d, %s%s%n", net.architecture(),
          train.name(), train.size(), first.shape(), done + 1, epochs, seed, how.describe(),
          augmentation == NetworkTrainer.Augmentation.NONE ? "" : ", " + augmentation.describe());
      o.flush();
      int batches = (train.size() + batch - 1) / batch;
      NetworkTrainer.Settings settings = new NetworkTrainer.Settings(epochs, batch, lr, seed, how, augmentation);
      NetworkTrainer.train(net, train, held, settings, out, progress(o));
      if (batches == 0) {
        throw new InputException("no training images");
      }
      if (onnx != null) {
        ExportCommand.write(net, onnx, o);
      }
    }
    return ExitCode.OK;
  }

  /** A progress bar per epoch on a terminal, and one line per epoch. */
  private NetworkTrainer.Listener progress(PrintWriter o) {
    return new NetworkTrainer.Listener() {
      private Progress bar;

      @Override
      public void batch(int epoch, int b, int total, float loss) {
        if (bar == null) {
          bar = Progress.start("epoch " + epoch, "batches", total, !quiet, spec.commandLine().getErr());
        }
        bar.step(String.format("loss %.4f", loss));
      }

      @Override
      public void epoch(NetworkTrainer.EpochReport r) {
        if (bar != null) {
          bar.close();
          bar = null;
        }
        o.printf("epoch %d/%d: loss %.4f, train accuracy %.2f%%, test accuracy %s%s, %.0f s; saved %s%n", r.epoch(),
            epochs, r.trainLoss(), 100 * r.trainAccuracy(),
            Double.isNaN(r.testAccuracy()) ? "-" : String.format("%.2f%%", 100 * r.testAccuracy()),
            Double.isNaN(r.robustTestAccuracy()) ? ""
                : String.format(", under the training attack %.2f%%", 100 * r.robustTestAccuracy()),
            r.seconds(), out);
        o.flush();
      }
    };
  }

  /** The mask augmentation, checked against the training images' size before any work. */
  private NetworkTrainer.Augmentation augmentation() {
    if (maskAugment == null) {
      return NetworkTrainer.Augmentation.NONE;
    }
    MaskAugment aug = MaskAugment.parse(maskAugment);
    return new NetworkTrainer.Augmentation() {
      @Override
      public void apply(float[] batch, int images, int channels, int height, int width, long seed) {
        aug.apply(batch, images, channels, height, width, seed);
      }

      @Override
      public String describe() {
        return "mask augmentation " + aug.spec();
      }
    };
  }

  private AdversarialTraining adversarialTraining() {
    if (adversarial == null) {
      return AdversarialTraining.STANDARD_TRAINING;
    }
    if (!(eps > 0 && eps <= 1)) {
      throw new InputException("--eps must be in (0, 1], was " + eps);
    }
    return switch (adversarial.toLowerCase(java.util.Locale.ROOT)) {
      case "pgd" -> {
        if (pgdSteps < 1 || (pgdStep != null && !(pgdStep > 0))) {
          throw new InputException("--pgd-steps must be at least 1 and --pgd-step positive");
        }
        yield AdversarialTraining.pgd(eps, pgdSteps, pgdStep == null ? Double.NaN : pgdStep);
      }
      case "fgsm" -> {
        if (!(cleanWeight >= 0 && cleanWeight < 1)) {
          throw new InputException("--clean-weight must be in [0, 1), was " + cleanWeight);
        }
        yield AdversarialTraining.fgsm(eps, cleanWeight);
      }
      default -> throw new InputException("--adversarial must be pgd or fgsm, was " + adversarial);
    };
  }
}
