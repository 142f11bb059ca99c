package dev.pixelguard.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.model.Loss;
import dev.pixelguard.model.Scores;
import org.junit.jupiter.api.Test;

/** Goals and criteria carry their meaning: when they are met, the fitness they give, the loss they follow. */
class GoalTest {
  /** Row 0: class 1 at 0.6 (of three); row 1: class 1 at 0.95; row 2: class 0 at 0.92. */
  static final Scores S = Scores.fromProbabilities(new float[][] {{0.3f, 0.6f, 0.1f}, {0.03f, 0.95f, 0.02f},
      {0.92f, 0.04f, 0.04f}});

  @Test
  void criteriaCombine() {
    Goal away = new Goal.Untargeted(0);
    Criterion confident = Criterion.topConfidenceAtLeast(0.9);
    Goal confidentMistake = away.and(confident);
    assertTrue(away.isMet(S, 0));
    assertFalse(confidentMistake.isMet(S, 0), "a mistake at 0.6 is not confident");
    assertTrue(confidentMistake.isMet(S, 1));
    assertFalse(confidentMistake.isMet(S, 2), "confident, but no mistake");
    Criterion either = away.or(confident);
    assertTrue(either.isMet(S, 0) && either.isMet(S, 1) && either.isMet(S, 2));
    Criterion both = new Goal.Targeted(1).and(confident);
    assertTrue(both.isMet(S, 1));
    assertFalse(both.isMet(S, 0));
    assertEquals("untargeted and top confidence >= 0.9", confidentMistake.describe());
    assertThrows(IllegalArgumentException.class, () -> Criterion.topConfidenceAtLeast(1.5));
  }

  @Test
  void aNarrowedGoalKeepsItsDirection() {
    Goal base = new Goal.Targeted(2);
    Goal narrowed = base.and(Criterion.topConfidenceAtLeast(0.5));
    for (Objective o : Objective.values()) {
      assertEquals(base.fitness(o, S, 0), narrowed.fitness(o, S, 0));
    }
    assertEquals(2, narrowed.lossClass());
    assertEquals(2, narrowed.target());
    assertEquals(-1, new Goal.Untargeted(0).target());
    assertEquals(-1, narrowed.lossDirection(Loss.CROSS_ENTROPY), "targeted: descend the target's cross-entropy");
    assertEquals(1, narrowed.lossDirection(Loss.MARGIN), "and ascend its margin");
    assertEquals(1, new Goal.Untargeted(0).lossDirection(Loss.CROSS_ENTROPY));
    assertEquals(-1, new Goal.Untargeted(0).lossDirection(Loss.MARGIN));
    assertEquals(0.9, Objective.PROBABILITY.fitness(S, 0, base), 1e-6, "one minus the target's probability");
    assertEquals(0.3, Objective.PROBABILITY.fitness(S, 0, new Goal.Untargeted(0)), 1e-6);
  }

  @Test
  void goalsReadBackFromTheirDescriptions() {
    for (Goal g : new Goal[] {new Goal.Untargeted(4), new Goal.Targeted(7),
        new Goal.Untargeted(4).and(Criterion.topConfidenceAtLeast(0.75))}) {
      assertEquals(g, Goal.parse(g.describe(), 4));
    }
    assertThrows(InputException.class, () -> Goal.parse("sideways", 0));
    assertThrows(InputException.class, () -> Goal.parse("untargeted and top confidence >= 2", 0));
  }
}
