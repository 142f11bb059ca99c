package dev.pixelguard.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.square.SquareAttack;
import dev.pixelguard.attack.query.QueryAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several model batches in flight at once (on ONNX Runtime, one engine thread each) change no outcome: every
 * image's result equals the one-batch-at-a-time run's, for the guided search and the Square attack.
 */
class BatchesInFlightTest {
  static OnnxClassifier model;
  static List<AttackTask> tasks = new ArrayList<>();

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT, 1);
    Dataset cifar = Fixtures.cifar();
    for (int i = 0; i < 12; i++) {
      LabeledImage li = cifar.get(i);
      Scores s = model.classify(ImageBatch.of(List.of(li.image())));
      if (s.top(0) == li.label()) {
        tasks.add(AttackTask.of(li.id(), li.image(), new Goal.Untargeted(li.label()), s, 1000L + i));
      }
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void guidedSearchGivesTheSameOutcomesWithThreeBatchesInFlight() {
    same(GuidedPixelAttack.builder().budget(400).build());
  }

  @Test
  void squareGivesTheSameOutcomesWithThreeBatchesInFlight() {
    same(SquareAttack.builder().budget(300).build());
  }

  private static void same(QueryAttack attack) {
    List<AttackResult> one = attack.run(model, tasks, new Execution(400, 16, 1), r -> {});
    CountingClassifier counted = CountingClassifier.of(model);
    List<AttackResult> three = attack.run(counted, tasks, new Execution(61, 7, 3), r -> {});
    assertTrue(counted.batches() > 3, "several batches were sent: " + counted.batches());
    int successes = 0;
    for (int i = 0; i < tasks.size(); i++) {
      AttackResult a = one.get(i);
      AttackResult b = three.get(i);
      assertEquals(a.success(), b.success(), a.imageId());
      assertEquals(a.queries(), b.queries(), a.imageId());
      assertEquals(a.adversarialClass(), b.adversarialClass(), a.imageId());
      assertArrayEquals(a.adversarialValues(), b.adversarialValues(), a.imageId());
      successes += a.success() ? 1 : 0;
    }
    assertTrue(successes > 0 && successes < tasks.size(), "a mix of flipped and resisting images: " + successes);
  }
}
