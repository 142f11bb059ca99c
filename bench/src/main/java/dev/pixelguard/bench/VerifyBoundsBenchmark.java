package dev.pixelguard.bench;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.verify.PixelVerifier;
import dev.pixelguard.verify.net.Box;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import dev.pixelguard.verify.net.Trace;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How tight the verifier's bounds are and what one bound pass costs, by box width: for each width, a box of
 * that width around the middle colour (0.5 per channel) at every STRIDE-th position of one image, how many
 * positions the bound clears (margin above 0.001), the mean bound, and the milliseconds per pass (one thread);
 * for each number of error symbols given (0: every ReLU relaxation in the radius).
 *
 * <p>Usage: {@code VerifyBoundsBenchmark fashion|resnet20 SHARED [IMAGE] [STRIDE] [ERRORS,ERRORS...] [1/WIDTH,1/WIDTH...]}
 */
public final class VerifyBoundsBenchmark {
  private VerifyBoundsBenchmark() {}

  public static void main(String[] args) {
    boolean fashion = args[0].equals("fashion");
    Path shared = Path.of(args[1]);
    int index = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int stride = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int[] errorCounts = java.util.Arrays.stream((args.length > 4 ? args[4] : "0,48").split(","))
        .mapToInt(Integer::parseInt).toArray();
    double[] widths = args.length > 5 ? java.util.Arrays.stream(args[5].split(",")).mapToDouble(v -> 1 / Double.parseDouble(v)).toArray()
        : new double[] {1, 0.5, 0.25, 0.125, 1.0 / 16, 1.0 / 64, 1.0 / 256, 0};
    String model = fashion ? "builtin:fashion-cnn" : shared.resolve("models/cifar10-resnet20.onnx").toString();
    Dataset data = fashion ? Datasets.samples()
        : Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    Net net = OnnxNets.read(Models.graph(ModelRequest.of(model)));
    LabeledImage im = data.get(index);
    Trace trace = net.trace(PixelVerifier.unit(im.image()));
    int c = im.image().channels();
    int w = im.image().width();
    System.out.printf(Locale.ROOT, "%s, image %d (%s), every %d-th position%n", model, index, im.id(), stride);
    for (int errors : errorCounts) {
      System.out.printf(Locale.ROOT, "error symbols: %d%n", errors);
      for (double width : widths) {
        long start = System.nanoTime();
        int cleared = 0;
        int n = 0;
        double sum = 0;
        for (int p = 0; p < im.image().height() * w; p += stride) {
          double[] lo = new double[c];
          double[] hi = new double[c];
          for (int k = 0; k < c; k++) {
            lo[k] = 0.5 - width / 2;
            hi[k] = 0.5 + width / 2;
          }
          double m = net.margins(trace, p / w, p % w, new Box(lo, hi), im.label(), errors).worst();
          cleared += m > 1e-3 ? 1 : 0;
          sum += m;
          n++;
        }
        System.out.printf(Locale.ROOT, "box width %-9.5f cleared %4d of %4d, mean bound %12.4g, %7.2f ms per pass%n",
            width, cleared, n, sum / n, (System.nanoTime() - start) / 1e6 / n);
      }
    }
  }
}
