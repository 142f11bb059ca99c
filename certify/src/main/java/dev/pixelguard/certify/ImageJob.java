package dev.pixelguard.certify;

import java.util.ArrayList;
import java.util.List;

/**
 * The work double masking does for one image, as a state machine the {@link MaskingEngine} drives: it asks for
 * masked predictions ({@link #next}), takes them as they come ({@link #accept}), and is {@link #done()} when it
 * knows the defended prediction and, when certifying, the verdict. Nothing here depends on which other images
 * share the engine's batches, so an image's outcome depends on the image and the settings only.
 *
 * <p>Order of work: the first round (every one-mask prediction); when certifying, the two-mask predictions (all
 * of them, or with early exit only until the verdict is known, likeliest failures first); then whatever the
 * double-masking inference still lacks (the rows of first-round disagreers).
 */
final class ImageJob {
  enum Verdict { UNDECIDED, CERTIFIED, NOT_CERTIFIED, UNLABELLED }

  final int index;
  final float[] image;
  final int offset;
  final int label;
  private final Grid grid;
  private final MaskSet.Cover cover;
  private final boolean certify;
  private final boolean earlyExit;
  private final float guard;
  private final float[][] firstScores;
  private int[] pairs;
  private int cursor;
  private Verdict verdict;
  private int uncovered = -1;
  private int defended = -1;
  private long passes;

  /**
   * @param image planar values in [0, 1] from {@code offset}; not copied, not changed
   * @param label the true class, or -1 (then no certificate is sought)
   * @param cover the threat's regions with their covering masks; null when only the prediction is wanted
   * @param keepScores whether to keep each first-round score row (the defended classifier reports them)
   */
  ImageJob(int index, float[] image, int offset, int label, int k, MaskSet.Cover cover, boolean earlyExit,
      float guard, boolean keepScores) {
    this.index = index;
    this.image = image;
    this.offset = offset;
    this.label = label;
    this.grid = new Grid(k);
    this.cover = cover;
    this.certify = cover != null && label >= 0;
    this.earlyExit = earlyExit;
    this.guard = guard;
    this.firstScores = keepScores ? new float[k][] : null;
    this.verdict = cover == null ? Verdict.UNDECIDED : label < 0 ? Verdict.UNLABELLED : Verdict.UNDECIDED;
  }

  /** Receives the masked predictions a job asks for. */
  interface Requests {
    void add(ImageJob job, int a, int b);
  }

  /**
   * Asks for up to {@code max} masked predictions not asked for yet; none while the job waits for answers or
   * is done.
   *
   * @return how many it asked for
   */
  int next(int max, Requests out) {
    int k = grid.size();
    int added = 0;
    for (int a = 0; a < k; a++) {
      if (!grid.isKnown(a, a)) {
        if (!grid.isRequested(a, a) && added < max) {
          grid.request(a, a);
          out.add(this, a, a);
          added++;
        }
      }
    }
    if (!firstRoundKnown()) {
      return added;
    }
    if (certifying()) {
      if (pairs == null) {
        pairs = pairOrder();
      }
      long[] bad = earlyExit ? badRows() : null;
      while (cursor < pairs.length && added < max) {
        int a = pairs[cursor] / k;
        int b = pairs[cursor] % k;
        cursor++;
        if (!grid.isKnown(a, b) && !grid.isRequested(a, b) && (bad == null || !(isSet(bad, a) && isSet(bad, b)))) {
          grid.request(a, b);
          out.add(this, a, b);
          added++;
        }
      }
      return added;
    }
    if (defended < 0) {
      int[] row = new int[1];
      defended = infer(row);
      if (row[0] >= 0) {
        int d = row[0];
        for (int m = 0; m < k && added < max; m++) {
          if (!grid.isKnown(d, m) && !grid.isRequested(d, m)) {
            grid.request(d, m);
            out.add(this, d, m);
            added++;
          }
        }
      }
    }
    return added;
  }

  /**
   * The answer for masks (a, b).
   *
   * @param scores the model's score row (logits, or log-probabilities); kept only for the first round
   */
  void accept(int a, int b, int top, float lead, float[] scores) {
    grid.set(a, b, top, lead);
    passes++;
    if (a == b && firstScores != null) {
      firstScores[a] = scores;
    }
  }

  /**
   * Settles the verdict as far as the answers so far allow; called after each batch of answers (with early exit;
   * else only once every prediction is known, when it is all that remains).
   */
  void settle() {
    if (certify && verdict == Verdict.UNDECIDED && (earlyExit || grid.complete())) {
      decide();
    }
  }

  /** Whether the job knows all it was asked for; settles the defended prediction when the grid allows. */
  boolean done() {
    if (certifying() || !firstRoundKnown()) {
      return false;
    }
    if (defended < 0) {
      defended = infer(new int[1]);
    }
    return defended >= 0;
  }

  private boolean firstRoundKnown() {
    for (int a = 0; a < grid.size(); a++) {
      if (!grid.isKnown(a, a)) {
        return false;
      }
    }
    return true;
  }

  /** Whether the certificate still needs two-mask predictions. */
  private boolean certifying() {
    if (!certify) {
      return false;
    }
    return earlyExit ? verdict == Verdict.UNDECIDED : !grid.complete() || verdict == Verdict.UNDECIDED;
  }

  /** Whether entry (a, b) counts for the proof: the true class, with a lead above the guard. */
  private boolean good(int a, int b) {
    return grid.label(a, b) == label && grid.lead(a, b) > guard;
  }

  /** Rows with a known entry that is not good, as a bit set over masks. */
  private long[] badRows() {
    int k = grid.size();
    long[] bad = new long[(k + 63) / 64];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        if (grid.isKnown(a, b) && !good(a, b)) {
          bad[a >>> 6] |= 1L << (a & 63);
          break;
        }
      }
    }
    return bad;
  }

  /** Rows all known and good, as a bit set over masks. */
  private long[] provenRows() {
    int k = grid.size();
    long[] proven = new long[(k + 63) / 64];
    for (int a = 0; a < k; a++) {
      boolean all = true;
      for (int b = 0; b < k && all; b++) {
        all = grid.isKnown(a, b) && good(a, b);
      }
      if (all) {
        proven[a >>> 6] |= 1L << (a & 63);
      }
    }
    return proven;
  }

  /**
   * The verdict as far as the known entries settle it. An attacker confined to a region inside mask A cannot
   * change any prediction made with A applied; if row A (A alone and A with every other mask) is all the true
   * class, double masking returns the true class (the PatchCleanser argument, applied to that row). So the image
   * is certified when every region has a covering mask whose row is all good, and not certified once some region
   * has none left that could be.
   */
  private void decide() {
    if (verdict != Verdict.UNDECIDED) {
      return;
    }
    long[] alive = badRows();
    for (int w = 0; w < alive.length; w++) {
      alive[w] = ~alive[w];
    }
    int r = cover.firstUncovered(alive);
    if (r >= 0) {
      verdict = Verdict.NOT_CERTIFIED;
      uncovered = r;
    } else if (cover.firstUncovered(provenRows()) < 0) {
      verdict = Verdict.CERTIFIED;
    }
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << (i & 63))) != 0;
  }

  /**
   * The pairs a &lt; b, as codes {@code a * k + b}. With early exit the likeliest failures come first: pairs whose
   * one-mask predictions have the smallest leads (summed; a wrong one-mask prediction counts as no lead); else
   * in order.
   */
  private int[] pairOrder() {
    int k = grid.size();
    List<int[]> list = new ArrayList<>();
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        list.add(new int[] {a, b});
      }
    }
    if (earlyExit) {
      float[] lead = new float[k];
      for (int a = 0; a < k; a++) {
        lead[a] = grid.label(a, a) == label ? grid.lead(a, a) : 0f;
      }
      list.sort((p, q) -> Float.compare(lead[p[0]] + lead[p[1]], lead[q[0]] + lead[q[1]]));
    }
    return list.stream().mapToInt(p -> p[0] * k + p[1]).toArray();
  }

  /**
   * PatchCleanser's double-masking inference on the known entries: the first-round majority (ties to the lowest
   * class) when every one-mask prediction agrees; else the first disagreer (in mask order) whose second-round
   * predictions all equal its own; else the majority.
   *
   * @param row set to the disagreer whose row is still incomplete when the answer needs it, else -1
   * @return the defended class, or -1 while row {@code row[0]} is needed
   */
  private int infer(int[] row) {
    row[0] = -1;
    int k = grid.size();
    int[] first = new int[k];
    for (int a = 0; a < k; a++) {
      first[a] = grid.label(a, a);
    }
    int majority = DoubleMasking.majority(first);
    for (int d = 0; d < k; d++) {
      if (first[d] == majority) {
        continue;
      }
      boolean missing = false;
      boolean agrees = true;
      for (int m = 0; m < k && agrees; m++) {
        if (!grid.isKnown(d, m)) {
          missing = true;
        } else if (grid.label(d, m) != first[d]) {
          agrees = false;
        }
      }
      if (!agrees) {
        continue;
      }
      if (missing) {
        row[0] = d;
        return -1;
      }
      return first[d];
    }
    return majority;
  }

  Verdict verdict() {
    return verdict;
  }

  int defended() {
    return defended;
  }

  long passes() {
    return passes;
  }

  /** The first region left without a possible proving mask, or -1. */
  int uncoveredRegion() {
    return uncovered;
  }

  Grid grid() {
    return grid;
  }

  float[][] firstScores() {
    return firstScores;
  }

  /** The proving masks of a certified image: those whose rows are all good. */
  int[] provingMasks() {
    long[] p = provenRows();
    return java.util.BitSet.valueOf(p).stream().toArray();
  }

  @Override
  public String toString() {
    return "image " + index + ": " + verdict + ", defended " + defended + ", " + grid.known() + " predictions known";
  }
}
