package dev.pixelguard.attack.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelAttackTest {
  /**
   * A toy 8x8 grayscale model that says class 1 only when pixel (x=3, y=5) is bright:
   * logits (0, 10 * (v - 0.9)) with v that pixel's value in [0, 1]. Class 1 wins exactly when v > 0.9,
   * that is for 8-bit values of 230 and above. The slope is gentle enough that float probabilities do not
   * saturate, so the paper's probability fitness sees the signal.
   */
  static final class BrightPixelModel implements Classifier {
    final List<Integer> batchSizes = new ArrayList<>();

    @Override
    public ModelInfo info() {
      return new ModelInfo(1, 8, 8, 2, List.of("dark", "bright"), "toy");
    }

    @Override
    public Scores classify(ImageBatch b) {
      batchSizes.add(b.size());
      float[][] z = new float[b.size()][];
      for (int i = 0; i < b.size(); i++) {
        z[i] = new float[] {0f, 10f * (b.get(i, 0, 5, 3) - 0.9f)};
      }
      return Scores.fromLogits(z);
    }
  }

  /** A shared instance for other tests. */
  static final BrightPixelModel BRIGHT_PIXEL = new BrightPixelModel();

  static Image gray(int value) {
    byte[] px = new byte[64];
    java.util.Arrays.fill(px, (byte) value);
    return new Image(1, 8, 8, px);
  }

  @Test
  void findsTheOnePixelThatFlipsTheToyModel() {
    for (long seed = 1; seed <= 8; seed++) {
      findsTheOnePixel(seed);
    }
  }

  void findsTheOnePixel(long seed) {
    BrightPixelModel model = new BrightPixelModel();
    PixelAttack attack = PixelAttack.builder().population(40).iterations(50).build();
    AttackResult r = attack.run(model, "image", gray(10), new Goal.Untargeted(0), seed);
    assertTrue(r.success(), "seed " + seed);
    assertEquals(1, r.changes().size());
    PixelChange c = r.changes().get(0);
    assertEquals(3, c.x());
    assertEquals(5, c.y());
    assertEquals(10, c.before()[0]);
    assertTrue(c.after()[0] >= 230, "needs a value of at least 230, got " + c.after()[0]);
    assertEquals(1, r.adversarialClass());
    assertEquals(1, r.adversarial().differingPixels(gray(10)));
    assertEquals(r.adversarial(), gray(10).withPixels(r.changes()));
    // The adversarial image really is classified as 'bright'.
    assertEquals(1, model.classify(ImageBatch.of(List.of(r.adversarial()))).top(0));
    assertEquals(0, r.queries() % 40, "whole generations are sent");
    assertEquals(r.queries(), r.cost().firstSuccessQuery());
  }

  @Test
  void targetedAttackReachesTheTarget() {
    AttackResult r = PixelAttack.builder().population(20).iterations(50).build()
        .run(new BrightPixelModel(), "image", gray(0), new Goal.Targeted(1), 3);
    assertTrue(r.success());
    assertEquals(1, r.adversarialClass());
  }

  @Test
  void theSameSeedGivesTheSameResult() {
    PixelAttack a = PixelAttack.builder().population(12).iterations(40).build();
    AttackResult r1 = a.run(new BrightPixelModel(), "image", gray(50), new Goal.Untargeted(0), 99);
    AttackResult r2 = a.run(new BrightPixelModel(), "image", gray(50), new Goal.Untargeted(0), 99);
    assertEquals(r1.changes(), r2.changes());
    assertEquals(r1.queries(), r2.queries());
    assertEquals(r1.adversarial(), r2.adversarial());
  }

  @Test
  void stopsExactlyAtTheQueryBudget() {
    // Untargeted away from class 1 on an all-bright image: only changing (3,5) can work, to a value below 230.
    // With a budget of 30 and a population of 20 the second generation is cut to 10 candidates.
    Classifier never = new Classifier() {
      @Override
      public ModelInfo info() {
        return new ModelInfo(1, 8, 8, 2, List.of(), "constant");
      }

      @Override
      public Scores classify(ImageBatch b) {
        float[][] z = new float[b.size()][];
        for (int i = 0; i < b.size(); i++) {
          z[i] = new float[] {5f, 0f};
        }
        return Scores.fromLogits(z);
      }
    };
    CountingClassifier counted = CountingClassifier.of(never);
    AttackResult r = PixelAttack.builder().population(20).budget(30).build()
        .run(counted, "image", gray(0), new Goal.Untargeted(0), 1);
    assertFalse(r.success());
    assertEquals(30, r.queries());
    assertEquals(-1, r.cost().firstSuccessQuery());
    assertEquals(32, counted.queries(), "30 candidates, the clean prediction and the final check");
  }

  @Test
  void manyImagesShareFullBatchesAndKeepTheirOwnResults() {
    BrightPixelModel model = new BrightPixelModel();
    PixelAttack attack = PixelAttack.builder().population(30).iterations(3).earlyStop(false).build();
    List<AttackTask> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Image im = gray(20 * i);
      tasks.add(AttackTask.of("img" + i, im, new Goal.Untargeted(0), model.classify(ImageBatch.of(List.of(im))),
          5));
    }
    model.batchSizes.clear();
    List<AttackResult> rs = attack.run(model, tasks, new Execution(40, 3), r -> {});
    assertEquals(5, rs.size());
    int total = model.batchSizes.stream().mapToInt(Integer::intValue).sum();
    assertEquals(5 * 3 * 30 + 5, total, "three generations and one final check per image");
    // Full batches while images wait to start; only the tail, with fewer than 3 searches left, sends partial ones.
    for (int k = 0; k < 9; k++) {
      assertEquals(40, model.batchSizes.get(k), "full batches: " + model.batchSizes);
    }
    assertTrue(model.batchSizes.stream().filter(b -> b < 40).count() <= 3, "a short tail: " + model.batchSizes);
    for (int i = 0; i < 5; i++) {
      assertEquals("img" + i, rs.get(i).imageId());
      assertEquals(90, rs.get(i).queries());
      assertEquals(tasks.get(i).image(), rs.get(i).original());
      assertEquals(Seeds.forImage(5, "img" + i), rs.get(i).seed());
    }
    // Results do not depend on batching: the same tasks with batch 7 and concurrency 1 give the same outcomes.
    List<AttackResult> again = attack.run(model, tasks, new Execution(7, 1), r -> {});
    for (int i = 0; i < 5; i++) {
      assertEquals(rs.get(i).changes(), again.get(i).changes());
      assertEquals(rs.get(i).fitness(), again.get(i).fitness());
    }
  }

  @Test
  void logProbabilityObjectiveKeepsASignalWhereProbabilitiesSaturate() {
    Scores s = Scores.fromLogits(new float[][] {{60f, 0f}, {40f, 0f}});
    assertEquals(1.0f, s.probability(0, 0));
    assertEquals(1.0f, s.probability(1, 0));
    Goal g = new Goal.Untargeted(0);
    assertEquals(Objective.PROBABILITY.fitness(s, 0, g), Objective.PROBABILITY.fitness(s, 1, g));
    assertTrue(Objective.LOG_PROBABILITY.fitness(s, 1, g) < Objective.LOG_PROBABILITY.fitness(s, 0, g));
    assertEquals(60.0, Objective.MARGIN.fitness(s, 0, g), 1e-9);
    assertEquals(-40.0, Objective.MARGIN.fitness(s, 1, new Goal.Targeted(0)), 1e-9);
  }
}
