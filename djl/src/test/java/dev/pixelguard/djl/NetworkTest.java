package dev.pixelguard.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.djl.net.NetworkClassifier;
import dev.pixelguard.djl.net.NetworkModel;
import dev.pixelguard.djl.net.Networks;
import dev.pixelguard.djl.train.NetworkTrainer;
import dev.pixelguard.eval.CleanPass;
import dev.pixelguard.testing.BatchChecks;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkTest {
  @Test
  void theEmbeddedDefaultHasItsDocumentedTestAccuracy() {
    Dataset test = Datasets.open(Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz"));
    try (NetworkClassifier model = DefaultBundle.model()) {
      assertEquals(10, model.info().numClasses());
      assertEquals("Ankle boot", model.info().className(9));
      double acc = CleanPass.accuracy(model, test, 1000);
      assertEquals(0.9211, acc, 1e-9, "README states 92.11% on the 10,000 test images");
    }
    Dataset samples = Datasets.samples();
    assertEquals(500, samples.size());
    assertEquals(test.get(499).image(), samples.get(499).image());
    assertEquals(test.get(499).label(), samples.get(499).label());
  }

  @Test
  void aLargeBatchRunInCallsScoresEachImageAsAloneInItsOwnCall() {
    Dataset samples = Datasets.samples().limit(250); // three calls into libtorch: 100, 100 and 50 images
    assertEquals(100, NetworkClassifier.CALL_VALUES / (28 * 28));
    try (NetworkClassifier model = DefaultBundle.model()) {
      double maxDiff = BatchChecks.largestLogitDifferenceFromAlone(model,
          samples.images().stream().map(LabeledImage::image).toList());
      assertTrue(maxDiff < 1e-4, "largest logit difference between a batch of 250 and images alone: " + maxDiff);
    }
  }

  @Test
  void trainsSavesLoadsAndResumes(@TempDir Path dir) {
    Dataset train = Datasets.open(Fixtures.fashionMnist("train-images-idx3-ubyte.gz")).limit(3000);
    Dataset test = Datasets.open(Fixtures.fashionMnist("t10k-images-idx3-ubyte.gz")).limit(1000);
    Path file = dir.resolve("m.pgm");
    List<NetworkTrainer.EpochReport> first;
    try (NetworkModel net = NetworkModel.create(Networks.SMALL_CNN, new int[] {1, 28, 28}, train.classNames(), 4)) {
      first = NetworkTrainer.train(net, train, test, new NetworkTrainer.Settings(1, 64, 1e-3f, 4), file,
          new NetworkTrainer.Listener() {});
    }
    assertEquals(1, first.size());
    assertTrue(first.get(0).testAccuracy() > 0.6, "one epoch on 3,000 images learns: " + first.get(0));
    // Loading gives the same network: identical scores.
    try (NetworkModel loaded = NetworkModel.load(file)) {
      assertEquals(1, loaded.provenance().get("epochsDone").asInt());
      assertEquals(train.classNames(), loaded.classNames());
      NetworkClassifier c = new NetworkClassifier(loaded, "m");
      double acc = CleanPass.accuracy(c, test, 500);
      assertEquals(first.get(0).testAccuracy(), acc, 1e-12);
      // Resume: continues at epoch 2 and writes the checkpoint again.
      List<NetworkTrainer.EpochReport> more = NetworkTrainer.train(loaded, train, test,
          new NetworkTrainer.Settings(2, 64, 1e-3f, 4), file, new NetworkTrainer.Listener() {});
      assertEquals(1, more.size());
      assertEquals(2, more.get(0).epoch());
    }
    try (NetworkModel again = NetworkModel.load(file)) {
      assertEquals(2, again.provenance().get("epochsDone").asInt());
    }
  }

  @Test
  void everyTrainingBatchGoesThroughTheAugmentationBeforeItsStep() {
    Dataset train = Datasets.open(Fixtures.fashionMnist("train-images-idx3-ubyte.gz")).limit(640);
    java.util.List<Long> seeds = new java.util.ArrayList<>();
    int[] images = {0};
    NetworkTrainer.Augmentation blank = new NetworkTrainer.Augmentation() {
      @Override
      public void apply(float[] batch, int n, int channels, int height, int width, long seed) {
        assertEquals(n * channels * height * width, batch.length);
        java.util.Arrays.fill(batch, 0f); // every image the same: nothing to learn
        seeds.add(seed);
        images[0] += n;
      }

      @Override
      public String describe() {
        return "blank";
      }
    };
    try (NetworkModel net = NetworkModel.create(Networks.SMALL_CNN, new int[] {1, 28, 28}, train.classNames(), 4)) {
      List<NetworkTrainer.EpochReport> r = NetworkTrainer.train(net, train, null, new NetworkTrainer.Settings(1, 64,
          1e-3f, 4, dev.pixelguard.djl.train.AdversarialTraining.STANDARD_TRAINING, blank), null,
          new NetworkTrainer.Listener() {});
      assertEquals(640, images[0]);
      assertEquals(10, seeds.size());
      assertEquals(10, new java.util.HashSet<>(seeds).size()); // a seed of its own per batch
      assertTrue(r.get(0).trainAccuracy() < 0.2, "trained on blank images: " + r.get(0));
      assertEquals("blank", net.provenance().get("augmentation").asText());
    }
  }
}
