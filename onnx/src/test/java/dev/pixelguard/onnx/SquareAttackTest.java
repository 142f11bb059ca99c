package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.square.SquareAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Square attack on ResNet-20 and the first fixture images it classifies correctly. */
class SquareAttackTest {
  static OnnxClassifier model;
  static List<AttackTask> tasks = new ArrayList<>();

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT);
    Dataset cifar = Fixtures.cifar();
    SquareAttack a = SquareAttack.builder().build();
    for (int i = 0; i < 40 && tasks.size() < 12; i++) {
      LabeledImage li = cifar.get(i);
      Scores s = model.classify(ImageBatch.of(List.of(li.image())));
      if (s.top(0) == li.label()) {
        tasks.add(AttackTask.of(li.id(), li.image(), new Goal.Untargeted(li.label()), s, 5));
      }
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Every image flipped within 8/255 on the 8-bit grid, each judged by the model on the very image returned. */
  @Test
  void flipsEveryImageWithinEpsOnTheEightBitGrid() {
    List<AttackResult> r = SquareAttack.builder().build().run(model, tasks, new Execution(400, 16), x -> {});
    for (AttackResult a : r) {
      assertTrue(a.success(), a.imageId() + " after " + a.queries() + " queries");
      Scores again = model.classify(ImageBatch.wrap(1, 3, 32, 32, a.adversarialValues()));
      assertNotEquals(a.cleanClass(), again.top(0), a.imageId());
      float[] orig = new float[3 * 32 * 32];
      a.original().writeUnit(orig, 0);
      float[] adv = a.adversarialValues();
      int changed = 0;
      for (int i = 0; i < adv.length; i++) {
        int d = Math.round(adv[i] * 255) - Math.round(orig[i] * 255);
        assertTrue(Math.abs(d) <= 8, a.imageId() + " value " + i + " moved by " + d + "/255");
        assertEquals(adv[i] * 255, Math.round(adv[i] * 255), 1e-4, "on the 8-bit grid");
        changed += d != 0 ? 1 : 0;
      }
      assertTrue(changed > 1000, "a change everywhere, not a sparse one: " + changed);
      assertTrue(a.exactIn8Bits());
      assertTrue(a.queries() >= 1 && a.queries() <= 5_000);
    }
  }

  /** An image's outcome depends on its seed alone: the same with other batch sizes, concurrency and company. */
  @Test
  void outcomesDoNotDependOnBatchingOrTheOtherImages() {
    SquareAttack a = SquareAttack.builder().budget(300).build();
    List<AttackTask> reseeded = tasks.stream().map(t -> AttackTask.of(t.id(), t.image(), t.goal(), t.clean(), 5))
        .toList();
    List<AttackResult> together = a.run(model, reseeded, new Execution(400, 16), x -> {});
    List<AttackResult> alone = a.run(model, reseeded.subList(3, 4), new Execution(1, 1), x -> {});
    assertEquals(together.get(3).queries(), alone.get(0).queries());
    assertArrayEquals(together.get(3).adversarialValues(), alone.get(0).adversarialValues());
    AttackTask t = tasks.get(3);
    List<AttackResult> other = SquareAttack.builder().budget(300).build().run(model,
        List.of(AttackTask.of(t.id(), t.image(), t.goal(), t.clean(), 6)), new Execution(400, 16), x -> {});
    assertTrue(!java.util.Arrays.equals(other.get(0).adversarialValues(), alone.get(0).adversarialValues()),
        "another root seed draws other squares");
  }

  /** The L2 form: every change within norm eps (0.5), successes rechecked by the model on the image returned. */
  @Test
  void theL2FormKeepsItsNormAndFlipsImages() {
    SquareAttack a = SquareAttack.builder().norm(dev.pixelguard.attack.gradient.Norm.L2).budget(1_500).build();
    assertEquals(0.5, a.eps());
    List<AttackResult> r = a.run(model, tasks, new Execution(400, 16), x -> {});
    int flipped = 0;
    for (AttackResult x : r) {
      assertTrue(x.perturbation().l2() <= 0.5 + 1e-4, x.imageId() + " L2 " + x.perturbation().l2());
      if (x.success()) {
        flipped++;
        Scores again = model.classify(ImageBatch.wrap(1, 3, 32, 32, x.adversarialValues()));
        assertNotEquals(x.cleanClass(), again.top(0), x.imageId());
      }
    }
    assertTrue(flipped >= tasks.size() / 2, flipped + " of " + tasks.size());
  }

  @Test
  void theWindowShrinksOnThePapersSchedule() {
    SquareAttack a = SquareAttack.builder().pInit(0.8).budget(10_000).build();
    assertEquals(0.8, a.share(10));
    assertEquals(0.4, a.share(11));
    assertEquals(0.8 / 512, a.share(9_000));
    SquareAttack half = SquareAttack.builder().pInit(0.8).budget(5_000).build();
    assertEquals(0.4, half.share(6), "the schedule is rescaled to the budget");
  }
}
