package dev.pixelguard.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.Sticker;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.data.LazyImages;
import dev.pixelguard.io.JournalFile;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The universal sticker's row keeps each image's verdict in the audit's journal: a run cut short and resumed runs
 * only the images the journal lacks, and ends with the outcomes of an uninterrupted run, image for image.
 */
class StickerThreatResumeTest {
  @TempDir Path dir;

  @Test
  void aResumedStickerRowRunsOnlyWhatIsMissingAndEndsTheSame() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    List<LabeledImage> images = new ArrayList<>();
    for (int i = 0; i < 300; i++) { // more than one step of the sticker's evaluation
      byte[] v = new byte[16 * 16];
      r.nextBytes(v);
      images.add(new LabeledImage("img#" + i, new Image(1, 16, 16, v), r.nextInt(3)));
    }
    Dataset data = new Dataset("random", images, List.of("a", "b", "c"));
    StickerThreat sticker = new StickerThreat(Sticker.random(1, 5, 2), -1, null, Conditions.positionOnly(), 9, "test");
    Regions model = new Regions();
    ThreatOutcome whole = sticker.assess(model, data, Execution.DEFAULT, null, null);
    assertTrue(whole.fooled() > 0 && whole.fooled() < whole.attacked(), "the sticker wins some images, not all");

    Path f = dir.resolve("audit.json.journal");
    try (JournalFile j = JournalFile.open(f, JsonNodeFactory.instance.objectNode().put("kind", "audit"), false)) {
      sticker.assess(model, data, Execution.DEFAULT, null, j.part("sticker / plain"));
    }
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    assertEquals(1 + 300, lines.size(), "the settings, then one line per image");
    Files.write(f, lines.subList(0, 1 + 170), StandardCharsets.UTF_8); // as if killed after 170 images
    model.images.set(0);
    // resumed over the same images made when asked for, as a large folder is: each is read once
    AtomicInteger reads = new AtomicInteger();
    Dataset lazy = new Dataset("random", new LazyImages(images.size(), i -> {
      reads.incrementAndGet();
      return images.get(i);
    }), data.classNames());
    ThreatOutcome resumed;
    try (JournalFile j = JournalFile.open(f, JsonNodeFactory.instance.objectNode().put("kind", "audit"), true)) {
      assertEquals(170, j.resumed());
      resumed = sticker.assess(model, lazy, Execution.DEFAULT, null, j.part("sticker / plain"));
    }
    assertEquals(2 * 130, model.images.get(), "only the 130 missing images are stuck and scored (with and without)");
    assertEquals(300, reads.get(), "every image is read once, those the journal has and those it lacks");
    assertEquals(whole.perImage(), resumed.perImage());
    assertEquals(List.of(whole.correct(), whole.wrong(), whole.fooled(), (int) whole.queries()),
        List.of(resumed.correct(), resumed.wrong(), resumed.fooled(), (int) resumed.queries()));
  }

  /** Scores three classes by the brightness of three regions of a 16x16 grey image; counts the images it sees. */
  private static final class Regions extends dev.pixelguard.testing.ToyClassifier {
    Regions() {
      super(new ModelInfo(1, 16, 16, 3, List.of("a", "b", "c"), "regions"));
    }

    @Override
    protected float[] logits(ImageBatch batch, int i) {
      float[] z = new float[3];
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          z[y < 8 ? 0 : x < 8 ? 1 : 2] += batch.get(i, 0, y, x);
        }
      }
      z[0] /= 2;
      return z;
    }
  }
}
