package dev.pixelguard.attack.pixel;

import dev.pixelguard.Checks;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.query.SequenceSearch;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.model.ColourRanges;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pixelguard's own sparse search, stronger and far cheaper than Su et al.'s differential evolution.
 *
 * <p>For one pixel it runs three phases, each sent in small requests that a scheduler packs, with other
 * images' requests, into full model batches (so query counts are fine-grained while the model stays busy):
 * <ol>
 *   <li><b>Probe</b>: at every position, the colour-cube corner opposite the pixel's own colour (each channel
 *       to its far end), positions from the centre outwards with seeded jitter. One query per position ranks
 *       positions by how much they move the model.
 *   <li><b>Corner sweep</b>: the remaining corners at every position, most damaging positions first. After
 *       both phases every (position, corner) pair has been tried, so every image the corner scan
 *       ({@link dev.pixelguard.attack.scan.PixelScan}) finds vulnerable is found.
 *   <li><b>Colour refinement</b>: at the most damaging positions, a seeded local search over all 8-bit colours
 *       (Gaussian steps that shrink, with occasional random jumps) for the flips only non-corner colours
 *       reach. A small share of it ({@link #interleave()} queries) runs between sweep requests at the
 *       probe's best positions, so such a flip need not wait for the whole sweep.
 * </ol>
 * For k &gt; 1 pixels, Sparse-RS ({@link SparseRs}, Croce et al. 2022) runs first for {@link #SPARSE_RS_LEAD}
 * queries: it flips most vulnerable images within a few dozen queries. Where it has not, the guided search
 * runs with the rest of the budget: after the probe it starts from the k most damaging single pixels and runs
 * its own random search, where each candidate replaces one pixel (by a highly ranked position or a new corner
 * colour) and the best candidate of a request is kept when it improves. The two find different images, so
 * together they flip as many as the guided search alone with fewer queries (docs/benchmarks.md, Sparse-RS).
 *
 * <p>The default objective is the logit margin computed in double precision ({@link Objective#MARGIN}): where
 * the model gives logits it keeps a signal where float probabilities saturate at 1.0 (which blinds Su et al.'s
 * probability fitness on many confident images). For a label-only model (top class only) the search has no
 * signal but its prior: it still tries every corner at every position in the same order, so it finds every
 * corner-vulnerable image, at a higher query cost. Immutable and thread-safe; seeded.
 */
public final class GuidedPixelAttack implements SparseAttack, java.io.Serializable {
  /**
   * With k &gt; 1 pixels, the queries Sparse-RS gets first; the guided search then has the rest of the budget
   * for the images Sparse-RS has not flipped by then.
   */
  public static final long SPARSE_RS_LEAD = 500;

  private final int pixels;
  private final long budget;
  private final int requestSize;
  private final int refinePositions;
  private final long interleave;
  private final Objective objective;

  private GuidedPixelAttack(Builder b) {
    this.pixels = b.pixels;
    this.budget = b.budget;
    this.requestSize = b.requestSize;
    this.refinePositions = b.refinePositions;
    this.interleave = b.interleave;
    this.objective = b.objective;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Search search(AttackTask task) {
    return search(task, null);
  }

  /**
   * Against a defended system that says what it lets through, the search stays inside it: the corners of each
   * position's admitted box stand for the cube's, and colours are refined inside the box (Sparse-RS's lead for
   * k pixels is unchanged).
   */
  @Override
  public Search search(AttackTask task, ColourRanges admitted) {
    if (pixels > task.image().positions()) {
      throw new IllegalArgumentException(pixels + " pixels is more than the image's " + task.image().positions());
    }
    if (pixels == 1) {
      return new GuidedSearch(this, task, admitted);
    }
    long lead = Math.min(SPARSE_RS_LEAD, budget);
    SparseRs rs = SparseRs.builder().pixels(pixels).budget(lead).build();
    if (lead == budget) {
      return rs.search(task);
    }
    GuidedPixelAttack rest = builder().pixels(pixels).budget(budget - lead).requestSize(requestSize)
        .refinePositions(refinePositions).interleave(interleave).objective(objective).build();
    return new SequenceSearch(rs.search(task), () -> new GuidedSearch(rest, task, admitted));
  }

  @Override
  public String name() {
    return "guided";
  }

  @Override
  public int pixels() {
    return pixels;
  }

  @Override
  public long budget() {
    return budget;
  }

  @Override
  public int requestSize() {
    return requestSize;
  }

  /** Positions refined with non-corner colours in phase 3. */
  public int refinePositions() {
    return refinePositions;
  }

  /**
   * Refinement queries interleaved with the corner sweep, one refinement request after each sweep request,
   * at the probe's most damaging positions; the sweep still ends within 8,192 plus this many queries.
   */
  public long interleave() {
    return interleave;
  }

  public Objective objective() {
    return objective;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "guided, %d pixel%s, at most %,d queries per image, objective %s",
        pixels, pixels == 1 ? "" : "s", budget, objective);
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attack", pixels > 1 ? "guided (Sparse-RS for the first " + SPARSE_RS_LEAD + " queries, then pixelguard: "
        + "corner probe, ranked corner sweep, colour refinement, sparse random search)"
        : "guided (pixelguard: corner probe, ranked corner sweep, colour refinement)");
    m.put("pixels", pixels);
    m.put("budget", budget);
    m.put("requestSize", requestSize);
    m.put("refinePositions", refinePositions);
    m.put("interleave", interleave);
    m.put("objective", objective.name() + (objective == Objective.PROBABILITY ? ""
        : " (from logits in double precision where the model gives logits)"));
    return m;
  }

  @Override
  public String toString() {
    return "GuidedPixelAttack" + settings();
  }

  /** Settings; each setter validates at once. */
  public static final class Builder {
    private int pixels = 1;
    private long budget = 9_600;
    private int requestSize = 50;
    private int refinePositions = 16;
    private long interleave = 384;
    private Objective objective = Objective.MARGIN;

    private Builder() {}

    /** Pixels changed at most, at least 1 (default 1). */
    public Builder pixels(int k) {
      this.pixels = Checks.atLeast(1, k, "pixels");
      return this;
    }

    /**
     * Queries per image at most (default 9,600: for a 32x32 RGB image, every corner at every position, 8,192,
     * then 1,408 for colour refinement).
     */
    public Builder budget(long q) {
      this.budget = Checks.atLeast(1, q, "budget");
      return this;
    }

    /** Candidates per request of one image (default 50); smaller gives finer query counts. */
    public Builder requestSize(int n) {
      this.requestSize = Checks.atLeast(1, n, "request size");
      return this;
    }

    /** Positions refined with non-corner colours (default 16). */
    public Builder refinePositions(int n) {
      this.refinePositions = Checks.atLeast(1, n, "refine positions");
      return this;
    }

    /** Refinement queries interleaved with the corner sweep (default 384; 0 refines only after it). */
    public Builder interleave(long q) {
      this.interleave = Checks.atLeast(0, q, "interleave");
      return this;
    }

    /** Fitness (default {@link Objective#MARGIN}). */
    public Builder objective(Objective o) {
      this.objective = java.util.Objects.requireNonNull(o);
      return this;
    }

    public GuidedPixelAttack build() {
      return new GuidedPixelAttack(this);
    }
  }
}
