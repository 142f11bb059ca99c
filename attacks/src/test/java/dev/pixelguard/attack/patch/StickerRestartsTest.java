package dev.pixelguard.attack.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.LabeledImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The choice among restarts, on the brightness model of {@link StickerTrainingTest}, whose answers are known. */
class StickerRestartsTest {
  private static Sticker filled(float v) {
    float[] s = new float[9];
    java.util.Arrays.fill(s, v);
    return new Sticker(1, 3, s);
  }

  /**
   * Restarts get seeds 5, 6, 7 and stickers grey, white, white: grey reaches nothing, the two white ones tie on
   * the same views, and the earlier of them is kept; 300 images are judged in two chunks, twice each.
   */
  @Test
  void keepsTheBestAndTheEarlierOfATie() {
    StickerTrainingTest.Brightness model = new StickerTrainingTest.Brightness();
    List<LabeledImage> fit = StickerTrainingTest.darkImages(300, 3);
    StickerSettings settings = StickerSettings.builder(3).target(1).conditions(StickerTrainingTest.MILD).seed(5)
        .build();
    List<Long> seeds = new ArrayList<>();
    List<TrainedSticker> made = new ArrayList<>();
    StickerRestarts.Result r = StickerRestarts.best(model, fit, settings, 3, s -> {
      seeds.add(s.seed());
      TrainedSticker t = new TrainedSticker(filled(s.seed() == 5 ? 0.3f : 1f), s, "gradient", List.of(), 10);
      made.add(t);
      return t;
    }, null);
    assertEquals(List.of(5L, 6L, 7L), seeds);
    assertEquals(0, r.candidates().get(0).reached());
    assertEquals(300, r.candidates().get(1).eligible());
    assertTrue(r.candidates().get(1).reached() > 250, "a white sticker brightens dark images: " + r.candidates());
    assertEquals(r.candidates().get(1).reached(), r.candidates().get(2).reached(), "the same views for every one");
    assertEquals(1, r.chosen());
    assertSame(made.get(1), r.best());
    assertEquals(6L, r.best().settings().seed());
    assertEquals(30, r.modelImages());
    assertEquals(2 * 300 * 3, r.selectionImages());
    // judged in chunks, a candidate's count is that of one evaluation over every image
    assertEquals(StickerEvaluation.evaluate(model, fit, filled(1f), StickerTrainingTest.MILD, 1,
        StickerRestarts.selectionSeed(5), 1).summary().reached(), r.candidates().get(1).reached());
  }
}
