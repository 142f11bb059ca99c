package dev.pixelguard.attack.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Objective;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.GradientClassifier;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training and evaluation on a toy model whose answer follows the image's total brightness. */
class StickerTrainingTest {
  @TempDir Path dir;

  /**
   * Grayscale 8x8 images, classes "dark" and "bright": logits (0, 2 (sum of values - 22)). The dark images below
   * average 0.3 (sum 19.2), so a 3x3 sticker must add more than 2.8, i.e. be brighter than about 0.62.
   */
  static final class Brightness implements GradientClassifier {
    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 8, 8, 2, List.of("dark", "bright"), "brightness");
    }

    private float[][] logits(ImageBatch b) {
      float[][] z = new float[b.size()][2];
      for (int i = 0; i < b.size(); i++) {
        double sum = 0;
        for (int j = 0; j < 64; j++) {
          sum += b.get(i * 64 + j);
        }
        z[i][1] = (float) (2 * (sum - 22));
      }
      return z;
    }

    @Override
    public Scores classify(ImageBatch b) {
      return Scores.fromLogits(logits(b));
    }

    @Override
    public LossGradient lossGradient(ImageBatch b, Loss loss, int[] classes) {
      Scores s = classify(b);
      float[] l = new float[b.size()];
      float[][] g = new float[b.size()][64];
      for (int i = 0; i < b.size(); i++) {
        l[i] = (float) -s.logProbability(i, classes[i]);
        // d(-log p_c)/dz_1 = p_1 - [c == 1]; dz_1/dx_j = 2.
        float d = 2 * (s.probability(i, 1) - (classes[i] == 1 ? 1f : 0f));
        java.util.Arrays.fill(g[i], d);
      }
      return new LossGradient(s, l, g);
    }
  }

  static List<LabeledImage> darkImages(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<LabeledImage> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[64];
      for (int j = 0; j < 64; j++) {
        b[j] = (byte) Math.round(255 * (0.3 + 0.04 * (r.nextDouble() - 0.5)));
      }
      out.add(new LabeledImage("dark#" + seed + "-" + i, new Image(1, 8, 8, b), 0));
    }
    return out;
  }

  static final Conditions MILD = new Conditions(10, 0.9, 1.0, 0.02, 0.95, 1.05, 0.5, 0.01, 0, 0, null);

  @Test
  void gradientTrainingLearnsABrightStickerThatFoolsHeldOutImages() {
    Brightness m = new Brightness();
    StickerSettings s = StickerSettings.builder(3).target(1).conditions(MILD).steps(60).batch(8)
        .learningRate(0.05).tvWeight(0).npsWeight(0).seed(3).build();
    TrainedSticker t = StickerTrainer.train(m, darkImages(20, 1), s, null);
    assertEquals(60, t.history().size());
    assertEquals(60 * 8, t.modelImages());
    float mean = 0;
    for (float v : t.sticker().values()) {
      mean += v / 9;
    }
    assertTrue(mean > 0.8, "the sticker should turn bright, mean " + mean);
    List<LabeledImage> held = darkImages(30, 2);
    StickerEvaluation.Result r = StickerEvaluation.evaluate(m, held, t.sticker().rounded(), MILD, 1, 5, 2);
    StickerEvaluation.Summary sum = r.summary();
    assertEquals(60, sum.views());
    assertEquals(60, sum.eligible());
    assertEquals(0, sum.cleanReached(), "without the sticker every dark image stays dark");
    assertTrue(sum.reached() >= 55, "reached " + sum.reached());
    // Each outcome is what the model says of the very image it records.
    for (StickerEvaluation.Outcome o : r.outcomes()) {
      int top = m.classify(ImageBatch.of(List.of(o.stickered()))).top(0);
      assertEquals(top, o.stickerPredicted());
      assertEquals(o.reached(), top == 1);
    }
    // An image's outcome depends on the seed and the image alone, not on the images beside it.
    StickerEvaluation.Result alone = StickerEvaluation.evaluate(m, held.subList(7, 8), t.sticker().rounded(), MILD, 1,
        5, 2);
    assertEquals(r.outcomes().get(14).draw(), alone.outcomes().get(0).draw());
    assertEquals(r.outcomes().get(15).stickered(), alone.outcomes().get(1).stickered());
  }

  @Test
  void aGreyStickerDoesNotFool() {
    Brightness m = new Brightness();
    Sticker grey = new Sticker(1, 3, new float[] {0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f});
    StickerEvaluation.Summary sum = StickerEvaluation.evaluate(m, darkImages(10, 4), grey, MILD, 1, 1).summary();
    assertEquals(0, sum.reached());
  }

  @Test
  void querySearchLearnsFromScoresAloneAndCountsItsQueries() {
    Brightness m = new Brightness();
    StickerSettings s = StickerSettings.builder(3).target(1).conditions(MILD).steps(40).batch(6).eotSamples(2)
        .tvWeight(0).npsWeight(0).squareShare(0.5).seed(2).build();
    TrainedSticker t = StickerSearch.train(m, darkImages(20, 1), s, Objective.LOG_PROBABILITY, null);
    assertEquals((40 + 1) * 6 * 2, t.modelImages());
    StickerEvaluation.Summary sum = StickerEvaluation.evaluate(m, darkImages(30, 2), t.sticker().rounded(), MILD, 1,
        5, 1).summary();
    assertTrue(sum.reached() >= 27, "reached " + sum.reached());
    // Every value comes from the grey palette (0.1, 0.3, ..., 0.9): printable by construction.
    for (float v : t.sticker().values()) {
      float k = (v - 0.1f) / 0.2f;
      assertEquals(Math.round(k), k, 1e-4);
    }
  }

  @Test
  void trainingIsReproducibleAndFilesRoundTrip() {
    Brightness m = new Brightness();
    StickerSettings s = StickerSettings.builder(3).target(1).conditions(MILD).steps(5).batch(4).seed(9).build();
    TrainedSticker a = StickerTrainer.train(m, darkImages(10, 1), s, null);
    TrainedSticker b = StickerTrainer.train(m, darkImages(10, 1), s, null);
    assertEquals(a.sticker(), b.sticker());
    Path png = dir.resolve("s.png");
    StickerFiles.write(png, a.sticker(), 5, java.util.Map.of("target", 1));
    assertEquals(a.sticker().rounded(), StickerFiles.read(png));
    assertEquals(1, StickerFiles.readSettings(png).get("target").asInt());
    assertEquals(15, dev.pixelguard.data.ImageFiles.read(StickerFiles.printFile(png)).width());
  }
}
