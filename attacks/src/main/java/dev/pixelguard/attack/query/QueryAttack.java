package dev.pixelguard.attack.query;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.model.AdmitsColours;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.Scores;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A black-box attack that needs only the model's scores, run as one {@link QuerySearch} per image so that a
 * {@link BatchScheduler} fills every model batch with candidates of several images. Implementations supply
 * the per-image search; running, the final check (the proposed image is scored once more, in the same
 * shared batches) and result ordering are shared, so every query attack is judged alike.
 */
public interface QueryAttack extends Attack<Classifier> {

  /** A search for one image that proposes an image when done. */
  interface Search extends QuerySearch {
    /** The proposal, once {@link #isDone()}. */
    Proposal proposal();
  }

  /** A new search for one task; its random choices derive from {@code task.seed()}. */
  Search search(AttackTask task);

  /**
   * A new search for one task on a defended system that says what it lets through ({@link AdmitsColours}): a
   * search that knows the defence keeps its changes inside {@code admitted}. The default ignores it.
   */
  default Search search(AttackTask task, ColourRanges admitted) {
    return search(task);
  }

  @Override
  default Class<Classifier> modelType() {
    return Classifier.class;
  }

  @Override
  default List<AttackResult> run(Classifier model, List<AttackTask> tasks, Execution execution,
      Consumer<AttackResult> onResult) {
    AttackResult[] results = new AttackResult[tasks.size()];
    Optional<AdmitsColours> defence = model.unwrap(AdmitsColours.class);
    Iterator<Checked> searches = new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < tasks.size();
      }

      @Override
      public Checked next() {
        AttackTask t = tasks.get(next);
        if (!t.image().sameShape(tasks.get(0).image())) {
          throw new IllegalArgumentException("task " + next + " has a different image shape");
        }
        ColourRanges admitted = defence.map(d -> d.admitted(t.image())).orElse(null);
        return new Checked(next++, t, admitted == null || admitted.isFull() ? search(t) : search(t, admitted));
      }
    };
    BatchScheduler scheduler = new BatchScheduler(model, execution.batchSize(), execution.concurrency(),
        execution.inFlight());
    scheduler.run(searches, s -> {
      results[s.index] = s.result;
      onResult.accept(s.result);
    });
    return List.of(results);
  }

  /** A search followed by one more query: the final check of its proposal. */
  final class Checked implements QuerySearch {
    private final int index;
    private final AttackTask task;
    private final Search search;
    private Proposal proposal;
    private AttackResult result;

    Checked(int index, AttackTask task, Search search) {
      this.index = index;
      this.task = task;
      this.search = search;
    }

    @Override
    public Candidates ask() {
      if (!search.isDone()) {
        return search.ask();
      }
      proposal = search.proposal();
      float[] v = proposal.values();
      return Candidates.one((dst, offset) -> System.arraycopy(v, 0, dst, offset, v.length));
    }

    @Override
    public void tell(Scores scores) {
      if (proposal == null) {
        search.tell(scores);
      } else {
        result = AttackResult.judge(task, proposal, scores);
      }
    }

    @Override
    public boolean isDone() {
      return result != null;
    }

    @Override
    public boolean finishing() {
      return proposal != null;
    }
  }
}
