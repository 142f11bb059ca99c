package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.OnnxExport;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ONNX export of pixelguard's networks against the DJL network it comes from, on the 500 bundled images:
 * the same probabilities within 1e-5 and the same top class on every image.
 */
class OnnxExportTest {
  @Test
  void theDefaultModelExportedAgreesWithDjlOnAll500BundledImages(@TempDir Path dir) throws Exception {
    try (NetworkClassifier djl = DefaultBundle.model()) {
      assertAgree(djl, dir.resolve("fashion-cnn.onnx"));
    }
  }

  @Test
  void theAdversariallyTrainedModelExportedAgreesWithDjlOnAll500BundledImages(@TempDir Path dir) throws Exception {
    try (NetworkClassifier djl = DefaultBundle.adversarialModel()) {
      assertAgree(djl, dir.resolve("fashion-cnn-pgd.onnx"));
    }
  }

  private static void assertAgree(NetworkClassifier djl, Path file) throws Exception {
    OnnxExport.write(djl.network(), file);
    Dataset samples = Datasets.samples();
    assertEquals(500, samples.size());
    ImageBatch all = ImageBatch.of(samples.images().stream().map(LabeledImage::image).toList());
    Scores expected = djl.classify(all);
    try (OnnxClassifier onnx = OnnxClassifier.load(file, ModelSpec.DEFAULT, 2)) {
      // Class names come back from the file's metadata; no descriptor is given.
      assertEquals(djl.info().classNames(), onnx.info().classNames());
      assertEquals("Ankle boot", onnx.info().className(9));
      assertEquals(djl.info().inputShape(), onnx.info().inputShape());
      // The whole set at once, then in uneven batches: the batch dimension is dynamic.
      for (int batch : new int[] {500, 7, 1}) {
        double worst = 0;
        int disagreements = 0;
        for (int from = 0; from < 500; from += batch) {
          int to = Math.min(500, from + batch);
          Scores got = onnx.classify(ImageBatch.of(samples.images().subList(from, to).stream()
              .map(LabeledImage::image).toList()));
          assertTrue(got.hasLogits(), "the export's output is named logits and read as logits");
          for (int i = from; i < to; i++) {
            float[] p = expected.probabilities(i);
            float[] q = got.probabilities(i - from);
            for (int k = 0; k < p.length; k++) {
              worst = Math.max(worst, Math.abs(p[k] - q[k]));
            }
            if (expected.top(i) != got.top(i - from)) {
              disagreements++;
            }
          }
        }
        System.out.printf("%s at batch %d: largest probability difference %.3g, top-class disagreements %d%n",
            file.getFileName(), batch, worst, disagreements);
        assertTrue(worst <= 1e-5, "largest probability difference " + worst + " at batch " + batch);
        assertEquals(0, disagreements, "images whose top class differs at batch " + batch);
      }
    }
  }

  @Test
  void theFileIsStandardOnnxWithDynamicBatchAndMetadata(@TempDir Path dir) throws Exception {
    byte[] bytes;
    try (NetworkClassifier djl = DefaultBundle.model()) {
      bytes = OnnxExport.toBytes(djl.network());
      assertArrayEquals(bytes, OnnxExport.toBytes(djl.network()), "the export is deterministic");
      Path file = dir.resolve("m.onnx");
      OnnxExport.write(djl.network(), file);
      assertArrayEquals(bytes, Files.readAllBytes(file));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(bytes, new OrtSession.SessionOptions())) {
      assertEquals(List.of(OnnxExport.INPUT), List.copyOf(s.getInputNames()));
      assertEquals(List.of(OnnxExport.OUTPUT), List.copyOf(s.getOutputNames()));
      TensorInfo in = (TensorInfo) s.getInputInfo().get(OnnxExport.INPUT).getInfo();
      assertArrayEquals(new long[] {-1, 1, 28, 28}, in.getShape());
      assertEquals("batch", in.getDimensionNames()[0]);
      TensorInfo out = (TensorInfo) s.getOutputInfo().get(OnnxExport.OUTPUT).getInfo();
      assertArrayEquals(new long[] {-1, 10}, out.getShape());
      var meta = s.getMetadata();
      assertEquals("pixelguard", meta.getProducerName());
      String classes = meta.getCustomMetadataValue("classes").orElseThrow();
      assertTrue(classes.startsWith("[\"T-shirt/top\",\"Trouser\","), classes);
      assertEquals("small-cnn", meta.getCustomMetadataValue("architecture").orElseThrow());
      assertFalse(meta.getCustomMetadataValue("provenance").orElseThrow().isEmpty());
    }
  }

  @Test
  void theBundledOnnxFilesAreExactlyTheExportOfTheBundledNetworks() {
    for (String pgm : List.of(DefaultBundle.MODEL, DefaultBundle.ADVERSARIAL_MODEL)) {
      String name = DefaultBundle.PREFIX + pgm.replace(".pgm", "");
      try (NetworkModel net = DefaultBundle.network(name)) {
        assertArrayEquals(OnnxExport.toBytes(net), DefaultBundle.bytes(DefaultBundle.onnxFile(pgm)),
            DefaultBundle.onnxFile(pgm) + " is not the export of " + pgm + "; regenerate it with: ./pixelguard export "
                + "--model " + name + " --out djl/src/main/resources" + DefaultBundle.ROOT + DefaultBundle.onnxFile(pgm));
      }
    }
  }

  @Test
  void bundledModelsClassifyInOnnxRuntimeAndTakeGradientsFromDjl() {
    Dataset samples = Datasets.samples().limit(50);
    ImageBatch batch = ImageBatch.of(samples.images().stream().map(LabeledImage::image).toList());
    int[] labels = samples.images().stream().mapToInt(LabeledImage::label).toArray();
    try (BundledClassifier both = DefaultBundle.byName("builtin:fashion-cnn-pgd");
        NetworkClassifier djl = DefaultBundle.adversarialModel()) {
      assertEquals("builtin:fashion-cnn-pgd", both.info().name());
      assertEquals(djl.info().classNames(), both.info().classNames());
      Scores fast = both.classify(batch);
      Scores slow = djl.classify(batch);
      for (int i = 0; i < 50; i++) {
        assertEquals(slow.top(i), fast.top(i));
        assertEquals(slow.probability(i, labels[i]), fast.probability(i, labels[i]), 1e-5);
      }
      var g = both.lossGradient(batch, labels);
      var h = djl.lossGradient(batch, labels);
      assertArrayEquals(h.gradient()[3], g.gradient()[3], 0f, "the gradient is DJL's, exactly");
    }
    try (BundledClassifier d = DefaultBundle.defaultClassifier(1)) {
      assertEquals("default: fashion-cnn.pgm", d.info().name());
      assertEquals(10, d.info().numClasses());
    }
  }

  @Test
  void aFreshlyInitialisedNetworkExportsToo(@TempDir Path dir) {
    // Three channels, 32x32, three classes: the exporter follows the network's shapes, not Fashion-MNIST's.
    try (NetworkModel net = NetworkModel.create("small-cnn", new int[] {3, 32, 32}, List.of("a", "b", "c"), 5)) {
      NetworkClassifier djl = new NetworkClassifier(net, "fresh");
      Path file = dir.resolve("fresh.onnx");
      OnnxExport.write(net, file);
      float[] x = new float[4 * 3 * 32 * 32];
      java.util.Random r = new java.util.Random(3);
      for (int i = 0; i < x.length; i++) {
        x[i] = r.nextFloat();
      }
      ImageBatch batch = ImageBatch.wrap(4, 3, 32, 32, x);
      Scores a = djl.classify(batch);
      try (OnnxClassifier onnx = OnnxClassifier.load(file, ModelSpec.DEFAULT, 1)) {
        assertEquals(List.of("a", "b", "c"), onnx.info().classNames());
        Scores b = onnx.classify(batch);
        for (int i = 0; i < 4; i++) {
          for (int k = 0; k < 3; k++) {
            assertEquals(a.logit(i, k), b.logit(i, k), 1e-4, "image " + i + " class " + k);
          }
        }
      }
    }
  }
}
