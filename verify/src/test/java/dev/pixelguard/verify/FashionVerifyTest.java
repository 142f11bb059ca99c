package dev.pixelguard.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled Fashion-MNIST CNN: every image of the first ten is decided, counterexamples flip the model, and
 * robust verdicts agree with the exhaustive scan (all 256 gray values at every position for one image, 16 for
 * the rest; bench/verify-fashion.sh runs all 256 on all 500).
 */
class FashionVerifyTest {
  @Test
  void firstTenImagesAreDecidedAndAgreeWithTheScan() {
    Dataset data = Datasets.samples();
    Net net = OnnxNets.read(Models.graph(ModelRequest.of("builtin:fashion-cnn")));
    int robust = 0;
    int vulnerable = 0;
    boolean fullScan = false;
    try (Classifier c = Models.open("builtin:fashion-cnn");
        PixelVerifier v = new PixelVerifier(net, c, VerifySettings.DEFAULT.withTimeout(Duration.ofSeconds(120)))) {
      for (int i = 0; i < 10; i++) {
        LabeledImage im = data.get(i);
        ImageVerdict r = v.verify(i, im.id(), im.image(), im.label());
        switch (r.verdict()) {
          case ROBUST -> {
            robust++;
            assertEquals(784, r.cleared());
            assertTrue(r.smallestMargin() > VerifySettings.DEFAULT.margin());
            assertNull(VerifierSoundnessTest.gridFlip(c, im.image(), im.label(), fullScan ? 16 : 256),
                "image " + i + " proven robust, but a gray value flips it");
            fullScan = true;
          }
          case VULNERABLE -> {
            vulnerable++;
            Counterexample cx = r.counterexample();
            assertNotNull(cx);
            Image changed = im.image().withPixels(List.of(new PixelChange(cx.x(), cx.y(),
                im.image().colour(cx.x(), cx.y()), cx.colour())));
            int now = c.classify(ImageBatch.of(List.of(changed))).top(0);
            assertNotEquals(im.label(), now);
            assertEquals(cx.newClass(), now);
            assertTrue(r.margins()[cx.y() * 28 + cx.x()] < 0, "the counterexample's position has a negative margin");
          }
          case MISCLASSIFIED -> assertNotEquals(im.label(), c.classify(ImageBatch.of(List.of(im.image()))).top(0));
          case UNKNOWN -> throw new AssertionError("image " + i + " undecided: " + r.note());
        }
      }
    }
    assertTrue(robust >= 5 && vulnerable >= 1, robust + " robust, " + vulnerable + " vulnerable");
  }
}
