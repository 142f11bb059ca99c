package dev.pixelguard.bench;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.Networks;
import dev.pixelguard.djl.net.OnnxExport;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Issue 15's memory benchmark, its inputs: pixelguard's {@link Networks#cnn224} network (random weights, seed 1)
 * exported to ONNX ({@code cnn-224.onnx}), and the CIFAR-10 fixture relabelled with that model's own answers on
 * the images upscaled to 224x224 as {@code --resize} does ({@code cifar10-own-labels.bin}, 32x32 records as the
 * fixture's, with its {@code batches.meta.txt}): a random network classifies about a tenth of the real labels
 * correctly, and only correct images are attacked, so with its own answers as labels every image is attacked.
 * The pixels are the fixture's; {@code pixelguard evaluate --resize --repeat 5000} then streams them at 224x224.
 *
 * <p>Usage: {@code Memory224Setup SHARED OUT_DIR}
 */
public final class Memory224Setup {
  private Memory224Setup() {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    Path cifar = shared.resolve("data/cifar10/test_batch_subset.bin");
    Dataset fixture = Cifar10Reader.read(cifar);
    Path onnx = out.resolve("cnn-224.onnx");
    try (NetworkModel net = NetworkModel.create(Networks.CNN_224, new int[] {3, 224, 224}, fixture.classNames(), 1)) {
      OnnxExport.write(net, onnx);
    }
    byte[] bin = Files.readAllBytes(cifar);
    Dataset big = Datasets.convert(fixture, 3, 224, 224);
    int changed = 0;
    try (OnnxClassifier model = OnnxClassifier.load(onnx, ModelSpec.DEFAULT)) {
      for (int from = 0; from < big.size(); from += 27) {
        List<LabeledImage> batch = big.images().subList(from, Math.min(big.size(), from + 27));
        Scores s = model.classify(ImageBatch.of(batch.stream().map(LabeledImage::image).toList()));
        for (int b = 0; b < batch.size(); b++) {
          int own = s.top(b);
          int at = (from + b) * Cifar10Reader.RECORD;
          changed += (bin[at] & 0xFF) != own ? 1 : 0;
          bin[at] = (byte) own;
        }
      }
    }
    Files.write(out.resolve("cifar10-own-labels.bin"), bin);
    Files.copy(shared.resolve("data/cifar10/batches.meta.txt"), out.resolve("batches.meta.txt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    System.out.printf("model:   %s (%,d bytes)%ndataset: %s, %d images, %d labels changed to the model's answers%n",
        onnx, Files.size(onnx), out.resolve("cifar10-own-labels.bin"), fixture.size(), changed);
  }
}
