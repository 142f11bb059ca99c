package dev.pixelguard.attack.query;

import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Proposal;

import dev.pixelguard.model.Scores;
import java.util.function.Supplier;

/**
 * One search, then another where the first did not reach its goal: the second starts from the image itself,
 * with its own budget, and its proposal is the one returned. A search counts as having reached its goal when
 * its cost records a first success ({@link Cost#firstSuccessQuery()}); the final check still judges the
 * returned image. Queries and time add up; a success of the second counts from the first's spent queries.
 * Both searches draw their randomness from the same task's seed, so the pair is as reproducible as each.
 */
public final class SequenceSearch implements QueryAttack.Search {
  private final QueryAttack.Search first;
  private final Supplier<QueryAttack.Search> then;
  private QueryAttack.Search second;
  private Proposal firstProposal;

  /**
   * @param first the search run first
   * @param then the search run where the first ends without reaching the goal (made only then)
   */
  public SequenceSearch(QueryAttack.Search first, Supplier<QueryAttack.Search> then) {
    this.first = first;
    this.then = then;
    advance();
  }

  /** Moves to the second search once the first has ended without reaching its goal. */
  private void advance() {
    if (second == null && firstProposal == null && first.isDone()) {
      firstProposal = first.proposal();
      if (firstProposal.cost().firstSuccessQuery() < 0) {
        second = then.get();
      }
    }
  }

  private QuerySearch current() {
    return second != null ? second : first;
  }

  @Override
  public Candidates ask() {
    return current().ask();
  }

  @Override
  public void tell(Scores scores) {
    current().tell(scores);
    advance();
  }

  @Override
  public boolean isDone() {
    return second == null ? first.isDone() : second.isDone();
  }

  @Override
  public boolean finishing() {
    return current().finishing();
  }

  @Override
  public Proposal proposal() {
    if (second == null) {
      return first.proposal();
    }
    Proposal b = second.proposal();
    Cost a = firstProposal.cost();
    Cost c = b.cost();
    long success = c.firstSuccessQuery() < 0 ? -1 : a.queries() + c.firstSuccessQuery();
    return new Proposal(b.values(), new Cost(a.queries() + c.queries(), a.gradients() + c.gradients(), success,
        a.nanos() + c.nanos()), b.fitness(), b.findings());
  }
}
