package dev.pixelguard.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The net read from a model's ONNX graph computes the model: its logits equal ONNX Runtime's. */
class OnnxNetsTest {
  private static void sameLogits(String model, Dataset data, int n) {
    Net net = OnnxNets.read(Models.graph(ModelRequest.of(model)));
    List<LabeledImage> images = data.images().subList(0, n);
    try (Classifier c = Models.open(model)) {
      Scores s = c.classify(ImageBatch.of(images.stream().map(LabeledImage::image).toList()));
      double worst = 0;
      for (int i = 0; i < n; i++) {
        double[] l = net.logits(PixelVerifier.unit(images.get(i).image()));
        assertEquals(s.numClasses(), l.length);
        for (int k = 0; k < l.length; k++) {
          worst = Math.max(worst, Math.abs(l[k] - s.logit(i, k)));
        }
      }
      // float32 inference against double: far below the verifier's default margin of 1e-3.
      assertTrue(worst < 1e-4, model + ": largest logit difference " + worst);
    }
  }

  @Test
  void resnet20LogitsEqualOnnxRuntime() {
    sameLogits(Fixtures.resnetOnnx().toString(), Fixtures.cifar(), 20);
  }

  @Test
  void resnet32LogitsEqualOnnxRuntime() {
    sameLogits(Fixtures.resnet32Onnx().toString(), Fixtures.cifar(), 10);
  }

  @Test
  void bundledFashionCnnLogitsEqualOnnxRuntime() {
    sameLogits("builtin:fashion-cnn", dev.pixelguard.data.Datasets.samples(), 50);
  }
}
