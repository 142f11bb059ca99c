package dev.pixelguard.attack.query;

import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Proposal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.model.Scores;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One search, then another where the first did not reach its goal: who runs, and what the pair costs. */
class SequenceSearchTest {

  /** A search that asks {@code requests} single-candidate requests, then proposes {@code value}. */
  private static final class Scripted implements QueryAttack.Search {
    final int requests;
    final float value;
    final long successAt;
    int told;

    Scripted(int requests, float value, long successAt) {
      this.requests = requests;
      this.value = value;
      this.successAt = successAt;
    }

    @Override
    public Candidates ask() {
      if (isDone()) {
        throw new IllegalStateException("done");
      }
      return Candidates.one((dst, offset) -> dst[offset] = value);
    }

    @Override
    public void tell(Scores scores) {
      told++;
    }

    @Override
    public boolean isDone() {
      return told == requests;
    }

    @Override
    public Proposal proposal() {
      return new Proposal(new float[] {value}, new Cost(told, 0, successAt, 1000L * told), -value, null);
    }
  }

  private static final Scores ONE = Scores.fromProbabilities(new float[][] {{1f, 0f}});

  private static void drive(QueryAttack.Search s) {
    while (!s.isDone()) {
      s.ask();
      s.tell(ONE);
    }
  }

  @Test
  void aFirstSearchThatReachesItsGoalEndsThePair() {
    AtomicInteger made = new AtomicInteger();
    SequenceSearch s = new SequenceSearch(new Scripted(3, 0.25f, 2), () -> {
      made.incrementAndGet();
      return new Scripted(5, 0.75f, -1);
    });
    drive(s);
    assertEquals(0, made.get(), "the second search is never made");
    Proposal p = s.proposal();
    assertArrayEquals(new float[] {0.25f}, p.values());
    assertEquals(3, p.cost().queries());
    assertEquals(2, p.cost().firstSuccessQuery());
  }

  @Test
  void aFirstSearchThatFailsHandsOverAndTheCostsAddUp() {
    SequenceSearch s = new SequenceSearch(new Scripted(3, 0.25f, -1), () -> new Scripted(5, 0.75f, 4));
    int asked = 0;
    while (!s.isDone()) {
      s.ask();
      s.tell(ONE);
      asked++;
    }
    assertEquals(8, asked);
    Proposal p = s.proposal();
    assertArrayEquals(new float[] {0.75f}, p.values(), "the second search's image");
    assertEquals(8, p.cost().queries());
    assertEquals(3 + 4, p.cost().firstSuccessQuery(), "counted from the first search's queries");
    assertEquals(8000, p.cost().nanos());
  }

  @Test
  void bothFailingKeepsTheSecondsProposalWithoutASuccess() {
    SequenceSearch s = new SequenceSearch(new Scripted(2, 0.25f, -1), () -> new Scripted(2, 0.5f, -1));
    drive(s);
    assertFalse(s.proposal().cost().firstSuccessQuery() >= 0);
    assertEquals(4, s.proposal().cost().queries());
    assertTrue(s.isDone());
  }
}
