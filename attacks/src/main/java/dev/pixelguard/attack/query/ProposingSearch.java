package dev.pixelguard.attack.query;

import dev.pixelguard.attack.Proposal;

/** A search that ends with one proposal: it is done once it has proposed. */
public abstract class ProposingSearch implements QueryAttack.Search {
  private Proposal result;
  private long startNanos;

  /**
   * Called first by every {@link #ask}: refuses a search that is done and starts its clock on the first ask.
   *
   * @throws IllegalStateException when {@link #isDone()}
   */
  protected final void begin() {
    if (result != null) {
      throw new IllegalStateException("search is done");
    }
    if (startNanos == 0) {
      startNanos = System.nanoTime();
    }
  }

  /** Nanoseconds since the first {@link #ask}, the search's own time. */
  protected final long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /** Ends the search with {@code p}. */
  protected final void propose(Proposal p) {
    result = java.util.Objects.requireNonNull(p);
  }

  @Override
  public final boolean isDone() {
    return result != null;
  }

  @Override
  public final Proposal proposal() {
    if (result == null) {
      throw new IllegalStateException("search is not done");
    }
    return result;
  }
}
