package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse-RS on ResNet-20 and the first fixture images it classifies correctly, each threat model rechecked. */
class SparseRsAttackTest {
  static OnnxClassifier model;
  static List<LabeledImage> images = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT);
    Dataset cifar = Fixtures.cifar();
    for (int i = 0; i < 40 && images.size() < 8; i++) {
      LabeledImage li = cifar.get(i);
      if (model.classify(ImageBatch.of(List.of(li.image()))).top(0) == li.label()) {
        images.add(li);
      }
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static List<AttackTask> tasks(long seed) {
    return images.stream().map(li -> AttackTask.of(li.id(), li.image(), new Goal.Untargeted(li.label()),
        model.classify(ImageBatch.of(List.of(li.image()))), seed)).toList();
  }

  /** The returned image, saved as an 8-bit PNG and read back, still fools the model. */
  private void stillFoolsAfterPng(AttackResult a) {
    Path png = dir.resolve(a.imageId().replaceAll("[^A-Za-z0-9]", "_") + ".png");
    ImageFiles.writePng(a.adversarial(), png);
    Image back = ImageFiles.read(png);
    Scores again = model.classify(ImageBatch.of(List.of(back)));
    assertNotEquals(a.cleanClass(), again.top(0), a.imageId());
    float[] v = new float[3 * 32 * 32];
    back.writeUnit(v, 0);
    assertArrayEquals(a.adversarialValues(), v, a.imageId() + ": the PNG is the very image judged");
  }

  /** Positions (row * 32 + column) where the returned image differs; every changed pixel is a cube corner. */
  private static List<Integer> changedCorners(AttackResult a) {
    float[] adv = a.adversarialValues();
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < 1024; p++) {
      boolean changed = false;
      boolean corner = true;
      for (int c = 0; c < 3; c++) {
        int v = Math.round(adv[c * 1024 + p] * 255);
        changed |= v != a.original().get(c, p / 32, p % 32);
        corner &= v == 0 || v == 255;
      }
      if (changed) {
        assertTrue(corner, a.imageId() + " pixel " + p + " is a corner of the colour cube");
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void kPixelsChangesExactlyKPixelsAndItsSuccessesSurviveAPng() {
    List<AttackResult> r = SparseRs.builder().pixels(10).budget(1_500).build().run(model, tasks(1),
        new Execution(400, 16), x -> {});
    int flipped = 0;
    for (AttackResult a : r) {
      assertEquals(10, changedCorners(a).size(), a.imageId());
      assertEquals(10, a.perturbation().pixels());
      assertTrue(a.queries() >= 1 && a.queries() <= 1_500);
      if (a.success()) {
        flipped++;
        stillFoolsAfterPng(a);
      }
    }
    assertTrue(flipped >= 6, flipped + " of " + r.size());
  }

  @Test
  void aPatchChangesOneFourByFourSquareAndItsSuccessesSurviveAPng() {
    List<AttackResult> r = SparseRs.builder().patch(4).budget(1_500).build().run(model, tasks(1),
        new Execution(400, 16), x -> {});
    int flipped = 0;
    for (AttackResult a : r) {
      List<Integer> ch = changedCorners(a);
      int rows = ch.stream().mapToInt(p -> p / 32).max().orElse(0) - ch.stream().mapToInt(p -> p / 32).min().orElse(0);
      int cols = ch.stream().mapToInt(p -> p % 32).max().orElse(0) - ch.stream().mapToInt(p -> p % 32).min().orElse(0);
      assertTrue(rows < 4 && cols < 4 && ch.size() <= 16 && ch.size() >= 12, a.imageId() + ": " + ch);
      if (a.success()) {
        flipped++;
        stillFoolsAfterPng(a);
      }
    }
    assertTrue(flipped >= 3, flipped + " of " + r.size());
  }

  @Test
  void aFrameChangesOnlyTheBorder() {
    List<AttackResult> r = SparseRs.builder().frame(1).budget(500).build().run(model, tasks(1),
        new Execution(400, 16), x -> {});
    int flipped = 0;
    for (AttackResult a : r) {
      for (int p : changedCorners(a)) {
        int y = p / 32;
        int x = p % 32;
        assertTrue(y == 0 || y == 31 || x == 0 || x == 31, a.imageId() + " pixel " + x + "," + y);
      }
      if (a.success()) {
        flipped++;
        stillFoolsAfterPng(a);
      }
    }
    assertTrue(flipped >= 1, flipped + " of " + r.size());
  }

  /** Targeted, with the paper's loss (the target's cross-entropy): the returned image is the target class. */
  @Test
  void targetedReachesTheTargetClass() {
    LabeledImage li = images.get(0);
    int target = (li.label() + 3) % 10;
    AttackTask t = AttackTask.of(li.id(), li.image(), new Goal.Targeted(target),
        model.classify(ImageBatch.of(List.of(li.image()))), 1);
    AttackResult a = SparseRs.builder().pixels(10).budget(2_000).build().run(model, List.of(t),
        new Execution(400, 1), x -> {}).get(0);
    assertTrue(a.success(), a.imageId() + " toward " + target + " after " + a.queries());
    assertEquals(target, model.classify(ImageBatch.wrap(1, 3, 32, 32, a.adversarialValues())).top(0));
    assertEquals(10, a.perturbation().pixels());
  }

  /** An image's outcome depends on its seed alone: the same with other batch sizes, concurrency and company. */
  @Test
  void outcomesDoNotDependOnBatchingOrTheOtherImages() {
    SparseRs a = SparseRs.builder().pixels(3).budget(300).build();
    List<AttackTask> t = tasks(5);
    List<AttackResult> together = a.run(model, t, new Execution(400, 16), x -> {});
    List<AttackResult> alone = a.run(model, t.subList(3, 4), new Execution(1, 1), x -> {});
    assertEquals(together.get(3).queries(), alone.get(0).queries());
    assertArrayEquals(together.get(3).adversarialValues(), alone.get(0).adversarialValues());
    List<AttackResult> other = SparseRs.builder().pixels(3).budget(300).build().run(model,
        tasks(6).subList(3, 4), new Execution(400, 16), x -> {});
    assertTrue(!java.util.Arrays.equals(other.get(0).adversarialValues(), alone.get(0).adversarialValues()),
        "another root seed draws other pixels");
  }
}
