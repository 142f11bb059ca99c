package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.query.ProposingSearch;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.Scores;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/** One image's search for {@link GuidedPixelAttack}; see there for the method. */
final class GuidedSearch extends ProposingSearch {
  private enum Phase { PROBE, SWEEP, REFINE, SPARSE }

  private final GuidedPixelAttack attack;
  private final AttackTask task;
  private final long seed;
  private final SplittableRandom random;
  private final int channels;
  private final int height;
  private final int width;
  private final int positions;
  private final float[] base;
  private final List<int[]> corners;
  /** What the defended system lets through, or null for the whole colour cube at every position. */
  private final ColourRanges admitted;
  private final Objective objective;
  private final long budget;

  private Phase phase = Phase.PROBE;
  private final Deque<int[]> queue = new ArrayDeque<>();
  /** Lowest objective value seen per position, over every colour tried there. */
  private final double[] positionScore;
  /** The colour that gave {@link #positionScore}. */
  private final int[][] positionColour;
  private int[] order;

  // Refinement state: one local colour search per sensitive position.
  private int[] refinePositions;
  private int[][] refineColour;
  private double[] refineScore;
  private int refineStep;
  /** Refinement candidates interleaved with the corner sweep (see {@link GuidedPixelAttack#interleave()}). */
  private final Deque<int[]> early = new ArrayDeque<>();
  private long interleaveLeft;
  private boolean refineTurn;

  // k-pixel random search state.
  private int[] current;
  private double currentScore = Double.POSITIVE_INFINITY;

  private List<int[]> asked;
  private long queries;
  private final Incumbent best = new Incumbent();

  GuidedSearch(GuidedPixelAttack attack, AttackTask task) {
    this(attack, task, null);
  }

  /**
   * A search that keeps every change inside what a defended system lets through: at each position the corners of
   * its admitted box stand for the cube's, and refinement stays inside the box.
   *
   * @param admitted per position and channel, the levels a change may take; null for the whole cube
   */
  GuidedSearch(GuidedPixelAttack attack, AttackTask task, ColourRanges admitted) {
    this.attack = attack;
    this.admitted = admitted;
    this.task = task;
    this.seed = task.seed();
    this.random = new SplittableRandom(seed);
    Image im = task.image();
    this.channels = im.channels();
    this.height = im.height();
    this.width = im.width();
    this.positions = height * width;
    this.base = new float[channels * positions];
    im.writeUnit(base, 0);
    this.corners = corners(channels);
    this.objective = attack.objective();
    this.budget = attack.budget();
    this.positionScore = new double[positions];
    Arrays.fill(positionScore, Double.POSITIVE_INFINITY);
    this.positionColour = new int[positions][];
    probe();
  }

  static List<int[]> corners(int channels) {
    List<int[]> out = new ArrayList<>();
    for (int n = 0; n < (1 << channels); n++) {
      int[] c = new int[channels];
      for (int ch = 0; ch < channels; ch++) {
        c[ch] = ((n >> (channels - 1 - ch)) & 1) * 255;
      }
      out.add(c);
    }
    return out;
  }

  /** The corner farthest from the pixel's colour: each channel to the far end (of its admitted range). */
  private int[] opposite(int pos) {
    int[] c = task.image().colour(pos % width, pos / width);
    for (int ch = 0; ch < c.length; ch++) {
      int lo = lo(pos, ch);
      int hi = hi(pos, ch);
      c[ch] = c[ch] - lo >= hi - c[ch] ? lo : hi;
    }
    return c;
  }

  private int lo(int pos, int ch) {
    return admitted == null ? 0 : admitted.lo(pos, ch);
  }

  private int hi(int pos, int ch) {
    return admitted == null ? 255 : admitted.hi(pos, ch);
  }

  /** The corners of the position's admitted box, in the cube's corner order: the cube's own without a defence. */
  private List<int[]> boxCorners(int pos) {
    if (admitted == null) {
      return corners;
    }
    List<int[]> out = new ArrayList<>(corners.size());
    for (int[] unit : corners) {
      int[] c = new int[channels];
      for (int ch = 0; ch < channels; ch++) {
        c[ch] = unit[ch] == 0 ? lo(pos, ch) : hi(pos, ch);
      }
      out.add(c);
    }
    return out;
  }

  private int[] genes(int pos, int[] colour) {
    int[] g = new int[2 + channels];
    g[0] = pos % width;
    g[1] = pos / width;
    System.arraycopy(colour, 0, g, 2, channels);
    return g;
  }

  /** Phase 1: the opposite corner at every position, centre first with seeded jitter. */
  private void probe() {
    double cx = (width - 1) / 2.0;
    double cy = (height - 1) / 2.0;
    double jitter = Math.max(width, height) / 4.0;
    double[] key = new double[positions];
    Integer[] idx = new Integer[positions];
    for (int p = 0; p < positions; p++) {
      idx[p] = p;
      key[p] = Math.hypot(p % width - cx, p / width - cy) + jitter * random.nextDouble();
    }
    Arrays.sort(idx, (a, b) -> Double.compare(key[a], key[b]));
    for (int p : idx) {
      queue.add(genes(p, opposite(p)));
    }
  }

  /** Positions by their lowest objective value so far, most damaging first (ties keep probe order). */
  private int[] ranking() {
    Integer[] idx = new Integer[positions];
    for (int p = 0; p < positions; p++) {
      idx[p] = p;
    }
    Arrays.sort(idx, (a, b) -> Double.compare(positionScore[a], positionScore[b]));
    return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
  }

  /** Phase 2: every other corner, at positions in ranked order. */
  private void sweep() {
    order = ranking();
    for (int p : order) {
      int[] opp = opposite(p);
      List<int[]> tried = new ArrayList<>(List.of(opp));
      for (int[] c : boxCorners(p)) {
        if (tried.stream().noneMatch(t -> Arrays.equals(t, c))) { // a box flat in a channel repeats corners
          tried.add(c);
          queue.add(genes(p, c));
        }
      }
    }
  }

  /** Phase 3: local colour search at the most sensitive positions, from their best colour so far. */
  private void startRefine() {
    int m = Math.min(attack.refinePositions(), positions);
    order = ranking();
    refinePositions = Arrays.copyOf(order, m);
    refineColour = new int[m][];
    refineScore = new double[m];
    for (int i = 0; i < m; i++) {
      int p = refinePositions[i];
      refineColour[i] = positionColour[p] == null ? opposite(p) : positionColour[p].clone();
      refineScore[i] = positionScore[p];
    }
  }

  private void refineRequest() {
    refineRequest(queue);
  }

  private void refineRequest(Deque<int[]> into) {
    double sigma = Math.max(12, 96 * Math.pow(0.85, refineStep));
    refineStep++;
    for (int i = 0; i < refinePositions.length; i++) {
      int p = refinePositions[i];
      int[] c = refineColour[i].clone();
      boolean jump = random.nextDouble() < 0.1;
      for (int ch = 0; ch < channels; ch++) {
        int lo = lo(p, ch);
        int hi = hi(p, ch);
        double v = jump ? lo + random.nextInt(hi - lo + 1) : c[ch] + sigma * random.nextGaussian();
        c[ch] = (int) Math.max(lo, Math.min(hi, Math.rint(v)));
      }
      into.add(genes(p, c));
    }
  }

  /** k-pixel search: start from the k most damaging single pixels, then replace one pixel at a time. */
  private void sparseRequest() {
    int k = attack.pixels();
    int per = 2 + channels;
    if (current == null) {
      order = ranking();
      current = new int[k * per];
      for (int i = 0; i < k; i++) {
        int p = order[i];
        System.arraycopy(genes(p, positionColour[p] == null ? opposite(p) : positionColour[p]), 0, current, i * per, per);
      }
      queue.add(current.clone());
      return;
    }
    int pool = Math.min(positions, Math.max(4 * k, positions / 8));
    for (int n = 0; n < attack.requestSize(); n++) {
      int[] g = current.clone();
      int slot = random.nextInt(k) * per;
      if (random.nextDouble() < 0.35) {
        int[] c = boxCorners(g[slot + 1] * width + g[slot]).get(random.nextInt(corners.size()));
        System.arraycopy(c, 0, g, slot + 2, channels);
      } else {
        int p = random.nextDouble() < 0.8 ? order[random.nextInt(pool)] : random.nextInt(positions);
        int[] c = random.nextDouble() < 0.7 ? opposite(p) : boxCorners(p).get(random.nextInt(corners.size()));
        System.arraycopy(genes(p, c), 0, g, slot, per);
      }
      queue.add(g);
    }
  }

  private void refill() {
    while (queue.isEmpty()) {
      if (attack.pixels() > 1) {
        phase = Phase.SPARSE;
        sparseRequest();
      } else if (phase == Phase.PROBE) {
        phase = Phase.SWEEP;
        sweep();
        // Start refining the probe's most damaging positions now, a little at a time between sweep
        // requests, so that a flip only a non-corner colour reaches does not wait for the whole sweep.
        startRefine();
        interleaveLeft = attack.interleave();
      } else if (phase == Phase.SWEEP) {
        phase = Phase.REFINE;
        startRefine();
      } else {
        refineRequest();
      }
    }
  }

  @Override
  public Candidates ask() {
    begin();
    if (queue.isEmpty()) {
      refill();
    }
    Deque<int[]> from = queue;
    if (phase == Phase.SWEEP && interleaveLeft > 0 && refineTurn) {
      if (early.isEmpty()) {
        refineRequest(early);
      }
      from = early;
    }
    refineTurn = !refineTurn;
    int n = (int) Math.min(Math.min(attack.requestSize(), from.size()), budget - queries);
    if (from == early) {
      n = (int) Math.min(n, interleaveLeft);
      interleaveLeft -= n;
    }
    asked = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      asked.add(from.poll());
    }
    List<int[]> genes = asked;
    return Candidates.of(genes.size(), (j, dst, offset) -> Genes.write(base, genes.get(j), channels, height, width,
        dst, offset));
  }

  @Override
  public void tell(Scores scores) {
    Goal goal = task.goal();
    int per = 2 + channels;
    int[] bestInRequest = null;
    double bestInRequestScore = Double.POSITIVE_INFINITY;
    for (int j = 0; j < asked.size(); j++) {
      int[] g = asked.get(j);
      double f = Genes.finite(objective.fitness(scores, j, goal));
      best.offer(g, f, scores, j, goal, queries + asked.size());
      if (g.length == per) {
        int pos = g[1] * width + g[0];
        if (f < positionScore[pos]) {
          positionScore[pos] = f;
          positionColour[pos] = Arrays.copyOfRange(g, 2, per);
        }
        if (refinePositions != null) {
          for (int i = 0; i < refinePositions.length; i++) {
            if (refinePositions[i] == pos && f < refineScore[i]) {
              refineScore[i] = f;
              refineColour[i] = Arrays.copyOfRange(g, 2, per);
            }
          }
        }
      }
      if (f < bestInRequestScore) {
        bestInRequestScore = f;
        bestInRequest = g;
      }
    }
    if (phase == Phase.SPARSE && bestInRequest != null && bestInRequestScore < currentScore) {
      current = bestInRequest.clone();
      currentScore = bestInRequestScore;
    }
    queries += asked.size();
    asked = null;
    if (best.succeeds() || queries >= budget) {
      propose(best.proposal(task.image(), base, queries, elapsedNanos()));
    }
  }
}
