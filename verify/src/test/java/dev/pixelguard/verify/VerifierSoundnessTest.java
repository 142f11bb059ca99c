package dev.pixelguard.verify;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.OnnxExport;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelGraph;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.verify.net.Net;
import dev.pixelguard.verify.net.OnnxNets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier never proves what is false: on small random networks (pixelguard's own CNN, freshly initialised,
 * exported to ONNX and run on ONNX Runtime), no image it calls robust is flipped by any colour of a 16-level grid
 * at any position, and every counterexample flips the model after a round trip through an 8-bit PNG.
 */
class VerifierSoundnessTest {
  @TempDir Path dir;

  private static List<String> classes(int k) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      l.add("c" + i);
    }
    return l;
  }

  /** Every position with every colour of a levels^C grid; the first flip, or null. */
  static int[] gridFlip(Classifier c, Image image, int label, int levels) {
    int ch = image.channels();
    int colours = (int) Math.pow(levels, ch);
    List<Image> batch = new ArrayList<>();
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        for (int q = 0; q < colours; q++) {
          int[] colour = new int[ch];
          int rest = q;
          for (int k = 0; k < ch; k++) {
            colour[k] = (int) Math.round(255.0 * (rest % levels) / (levels - 1));
            rest /= levels;
          }
          batch.add(image.withPixels(List.of(new PixelChange(x, y, image.colour(x, y), colour))));
        }
        if (batch.size() >= 4096 || (y == image.height() - 1 && x == image.width() - 1)) {
          Scores s = c.classify(ImageBatch.of(batch));
          for (int i = 0; i < batch.size(); i++) {
            if (s.top(i) != label) {
              return new int[] {i};
            }
          }
          batch.clear();
        }
      }
    }
    return null;
  }

  private static double margin(Scores s, int i) {
    int top = s.top(i);
    return s.logit(i, top) - s.logit(i, s.topExcept(i, top));
  }

  /**
   * Verifies the images with the thinnest and the widest clean margins among 200 random ones.
   *
   * @param needRobust whether a robust verdict must occur: on RGB random networks the wide-margin images mostly
   *     run out of time (their bounds need colour boxes of about 0.05 per channel), so there only the
   *     counterexamples, and any robust verdict that does occur, are checked
   */
  private void checkNetwork(int[] shape, long seed, int images, boolean needRobust, int errorSymbols) {
    int robust = 0;
    int vulnerable = 0;
    try (NetworkModel nm = NetworkModel.create("small-cnn", shape, classes(4), seed)) {
      byte[] onnx = OnnxExport.toBytes(nm);
      Net net = OnnxNets.read(new ModelGraph("random", onnx, ModelSpec.DEFAULT));
      try (Classifier c = OnnxClassifier.load(onnx, "random", ModelSpec.DEFAULT, 1);
          PixelVerifier v = new PixelVerifier(net, c, VerifySettings.DEFAULT.withTimeout(Duration.ofSeconds(5))
              .withErrorSymbols(errorSymbols))) {
        // Random images, the ones with the thinnest and the widest clean margins: both verdicts occur.
        Random r = new Random(seed);
        List<Image> pool = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          byte[] px = new byte[shape[0] * shape[1] * shape[2]];
          r.nextBytes(px);
          pool.add(new Image(shape[0], shape[1], shape[2], px));
        }
        Scores all = c.classify(ImageBatch.of(pool));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
          order.add(i);
        }
        order.sort(java.util.Comparator.comparingDouble(i -> margin(all, i)));
        List<Integer> chosen = new ArrayList<>(order.subList(0, images / 2));
        chosen.addAll(order.subList(order.size() - images / 2, order.size()));
        for (int i : chosen) {
          Image image = pool.get(i);
          int label = all.top(i);
          ImageVerdict verdict = v.verify(i, "random#" + i, image, label);
          switch (verdict.verdict()) {
            case ROBUST -> {
              robust++;
              assertTrue(gridFlip(c, image, label, 16) == null, "image " + i + " proven robust, but a 16-level colour "
                  + "flips it");
            }
            case VULNERABLE -> {
              vulnerable++;
              Counterexample cx = verdict.counterexample();
              Image changed = image.withPixels(List.of(new PixelChange(cx.x(), cx.y(), image.colour(cx.x(), cx.y()),
                  cx.colour())));
              Path png = dir.resolve("cx-" + seed + "-" + i + ".png");
              ImageFiles.writePng(changed, png);
              Image back = ImageFiles.read(png);
              assertNotEquals(label, c.classify(ImageBatch.of(List.of(back))).top(0), "counterexample does not flip");
            }
            default -> { }
          }
        }
      }
    }
    assertTrue((robust > 0 || !needRobust) && vulnerable > 0, "expected both verdicts, got " + robust + " robust and " + vulnerable
        + " vulnerable: the test would prove nothing");
  }

  @Test
  void grayscaleRandomNetworks() {
    checkNetwork(new int[] {1, 4, 4}, 11, 8, true, 0);
  }

  @Test
  void grayscaleRandomNetworksWithErrorSymbols() {
    checkNetwork(new int[] {1, 4, 4}, 11, 8, true, 16);
  }

  @Test
  void rgbRandomNetwork() {
    checkNetwork(new int[] {3, 4, 4}, 7, 4, false, 0);
  }
}
