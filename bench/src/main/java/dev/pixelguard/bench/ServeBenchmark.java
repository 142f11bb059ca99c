package dev.pixelguard.bench;

import dev.pixelguard.data.Cifar10Reader;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.serve.ModelServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Java side of issue 13's load benchmark ({@code bench/serve-load.sh}, which drives {@code wrk} against
 * {@code pixelguard serve}).
 *
 * <ul>
 *   <li>{@code prepare SHARED DIR}: writes {@code DIR/bodies.txt}, one v2 inference request a line for each of
 *       the 932 fixture images (a single image, id = its index, asking for {@code probabilities}), and
 *       {@code DIR/expected.txt}, the exact response body the served ResNet-20 must give for each, computed by
 *       the local ONNX model: the load script compares every answer with it byte for byte. The same requests in
 *       the binary tensor extension's form go to {@code DIR/binary/N.bin}, with the length of each one's JSON
 *       header in {@code DIR/binary/headers.txt}.
 *   <li>{@code local SHARED}: ResNet-20's ONNX Runtime throughput at batch 64 on the fixture images, 3 s of
 *       warm-up then 10 s measured, in images/s: the better of the two ways below, then each of them: one session
 *       with a thread per core, and one single-threaded session per core side by side (as the server runs).
 * </ul>
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path shared = Path.of(args[1]);
    String model = shared.resolve("models/cifar10-resnet20.onnx").toString();
    Dataset data = Cifar10Reader.read(shared.resolve("data/cifar10/test_batch_subset.bin"));
    ImageBatch all = ImageBatch.of(data.images().stream().map(LabeledImage::image).toList());
    try (Classifier local = Models.open(model)) {
      switch (args[0]) {
        case "prepare" -> prepare(local, all, Path.of(args[2]));
        case "local" -> {
          // The better of one session on every core and one single-threaded session per core run side by side.
          double one = localThroughput(local, all, 64);
          int cores = Runtime.getRuntime().availableProcessors();
          double parallel;
          try (Classifier single = Models.open(dev.pixelguard.model.ModelRequest.builder(model).threads(1).build())) {
            parallel = parallelThroughput(single, all, 64, cores);
          }
          System.out.printf(Locale.ROOT, "%.0f %.0f %.0f%n", Math.max(one, parallel), one, parallel);
        }
        default -> throw new IllegalArgumentException("prepare SHARED DIR | local SHARED");
      }
    }
  }

  private static void prepare(Classifier local, ImageBatch all, Path dir) throws IOException {
    Files.createDirectories(dir.resolve("binary"));
    Scores s = local.classify(all);
    int per = all.imageLength();
    int k = s.numClasses();
    try (Writer bodies = Files.newBufferedWriter(dir.resolve("bodies.txt"));
        Writer expected = Files.newBufferedWriter(dir.resolve("expected.txt"));
        Writer headers = Files.newBufferedWriter(dir.resolve("binary").resolve("headers.txt"))) {
      for (int i = 0; i < all.size(); i++) {
        FloatBuffer b = all.buffer().duplicate();
        b.limit((i + 1) * per).position(i * per);
        bodies.write(new String(V2Json.request(Integer.toString(i), ModelServer.INPUT,
            new long[] {1, all.channels(), all.height(), all.width()}, b, List.of(V2Json.PROBABILITIES)),
            StandardCharsets.UTF_8));
        bodies.write('\n');
        int[] header = new int[1];
        byte[] binary = V2Json.binaryRequest(Integer.toString(i), ModelServer.INPUT,
            new long[] {1, all.channels(), all.height(), all.width()}, b, List.of(V2Json.PROBABILITIES), header);
        Files.write(dir.resolve("binary").resolve(i + ".bin"), binary);
        headers.write(header[0] + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        V2Json.response(out, Integer.toString(i), "resnet20", "1",
            List.of(V2Json.Tensor.of(V2Json.PROBABILITIES, "FP32", new long[] {1, k}, s.probabilities(i))));
        expected.write(out.toString(StandardCharsets.UTF_8));
        expected.write('\n');
      }
    }
  }

  private static double parallelThroughput(Classifier local, ImageBatch all, int batch, int runs) {
    double[] rates = new double[runs];
    Thread[] threads = new Thread[runs];
    for (int i = 0; i < runs; i++) {
      int k = i;
      threads[i] = new Thread(() -> rates[k] = localThroughput(local, all, batch));
      threads[i].start();
    }
    double sum = 0;
    for (int i = 0; i < runs; i++) {
      try {
        threads[i].join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sum += rates[i];
    }
    return sum;
  }

  private static double localThroughput(Classifier local, ImageBatch all, int batch) {
    int per = all.imageLength();
    float[] data = new float[all.size() * per];
    all.copyTo(data, 0);
    long images = 0;
    long start = System.nanoTime();
    long warm = start + 3_000_000_000L;
    long end = warm + 10_000_000_000L;
    boolean measuring = false;
    for (int at = 0; ; at = (at + batch) % (all.size() - batch)) {
      local.classify(ImageBatch.wrap(batch, all.channels(), all.height(), all.width(),
          Arrays.copyOfRange(data, at * per, (at + batch) * per)));
      long now = System.nanoTime();
      if (!measuring && now >= warm) {
        measuring = true;
        start = now;
        images = 0;
        continue;
      }
      images += batch;
      if (now >= end) {
        return images / ((now - start) / 1e9);
      }
    }
  }
}
