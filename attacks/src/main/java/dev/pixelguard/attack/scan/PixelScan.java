package dev.pixelguard.attack.scan;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.Proposal;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.attack.query.QueryAttack;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exhaustive one-pixel oracle: every pixel position with every colour of a grid over the colour cube.
 * With 2 levels per channel these are the cube's corners (8 colours for RGB, black and white for
 * grayscale), the colours that move a network most; 3 levels give 27 RGB colours, and so on. For its grid,
 * the scan is the ground truth against which one-pixel searches are judged: an image it does not flip
 * cannot be flipped by any single pixel set to one of those colours.
 *
 * <p>Against a defended system that says what it lets through ({@link dev.pixelguard.model.AdmitsColours}: a gate
 * whose views filter pixels that stand out), every position is also scanned over the same grid laid inside its
 * admitted box (2 levels: the box's corners), where the changes that reach the models lie; so "the scan finds
 * nothing" holds for the cube's grid and each box's.
 *
 * <p>As an {@link dev.pixelguard.attack.Attack} it proposes the first flip found (or, when none, the most
 * damaging change tried), and its results carry {@link ScanFindings}: with early exit the flips of the first
 * request holding one; in a full scan every flip and the per-position vulnerability map. Deterministic: the
 * seed is not used. Immutable; candidates of several images share batches.
 */
public final class PixelScan implements QueryAttack, java.io.Serializable {
  private final int levels;
  private final boolean earlyExit;
  private final int chunk;

  /**
   * @param levels values per channel, at least 2, spread evenly over [0, 255] (2 = the corners)
   * @param earlyExit stop an image at its first flip
   * @param chunk candidates per request, at least 1 (the granularity of early exit)
   */
  public PixelScan(int levels, boolean earlyExit, int chunk) {
    if (levels < 2 || levels > 256) {
      throw new IllegalArgumentException("levels must be in [2, 256], was " + levels);
    }
    if (chunk < 1) {
      throw new IllegalArgumentException("chunk must be at least 1, was " + chunk);
    }
    this.levels = levels;
    this.earlyExit = earlyExit;
    this.chunk = chunk;
  }

  /** Corner colours, full scan, requests of 400. */
  public static PixelScan corners() {
    return new PixelScan(2, false, 400);
  }

  public int levels() {
    return levels;
  }

  public boolean earlyExit() {
    return earlyExit;
  }

  @Override
  public String name() {
    return "scan";
  }

  /** The scan tries every candidate: it makes no random choice. */
  @Override
  public boolean seeded() {
    return false;
  }

  @Override
  public String describe() {
    return "scan, " + levels + " levels per channel" + (earlyExit ? ", early exit" : ", every position and colour");
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attack", "scan (every position with every colour of a grid)");
    m.put("levels", levels);
    m.put("earlyExit", earlyExit);
    m.put("requestSize", chunk);
    return m;
  }

  /** The colour grid for {@code channels} channels: levels^channels colours. */
  public List<int[]> colours(int channels) {
    int[] values = new int[levels];
    for (int i = 0; i < levels; i++) {
      values[i] = (int) Math.round(255.0 * i / (levels - 1));
    }
    List<int[]> out = new ArrayList<>();
    int total = (int) Math.pow(levels, channels);
    for (int n = 0; n < total; n++) {
      int[] c = new int[channels];
      int r = n;
      for (int ch = channels - 1; ch >= 0; ch--) {
        c[ch] = values[r % levels];
        r /= levels;
      }
      out.add(c);
    }
    return out;
  }

  @Override
  public Search search(AttackTask task) {
    return new ScanSearch(task, null);
  }

  @Override
  public Search search(AttackTask task, ColourRanges admitted) {
    return new ScanSearch(task, admitted);
  }

  private final class ScanSearch implements Search {
    final AttackTask task;
    final float[] base;
    final List<int[]> colours;
    final ColourRanges admitted;
    /** Where each position's candidates start: the cube's grid, then (in a restricted box) the box's. */
    final int[] start;
    final int total;
    final float[] map;
    final List<ScanFindings.Flip> flips = new ArrayList<>();
    final int plane;
    int next;
    int askedFrom;
    int askedCount;
    long firstSuccess = -1;
    long startNanos;
    int bestCandidate = -1;
    double bestFitness = Double.POSITIVE_INFINITY;
    Proposal proposal;

    ScanSearch(AttackTask task, ColourRanges admitted) {
      this.task = task;
      Image im = task.image();
      this.base = new float[im.channels() * im.height() * im.width()];
      im.writeUnit(base, 0);
      this.colours = colours(im.channels());
      this.admitted = admitted;
      this.plane = im.height() * im.width();
      this.start = new int[plane + 1];
      for (int p = 0; p < plane; p++) {
        boolean box = admitted != null && !admitted.isFull(p);
        start[p + 1] = start[p] + colours.size() * (box ? 2 : 1);
      }
      this.total = start[plane];
      this.map = new float[plane];
      Arrays.fill(map, Float.NaN);
    }

    /** The position of candidate {@code n} (every position has candidates, so the starts strictly increase). */
    int position(int n) {
      int at = Arrays.binarySearch(start, n);
      return at >= 0 ? at : -at - 2;
    }

    /** The colour of candidate {@code n}: a grid colour of the cube, or of the position's admitted box. */
    int[] colour(int n) {
      int pos = position(n);
      int k = n - start[pos];
      int[] grid = colours.get(k % colours.size());
      if (k < colours.size()) {
        return grid;
      }
      int[] c = new int[grid.length];
      for (int ch = 0; ch < c.length; ch++) {
        int lo = admitted.lo(pos, ch);
        c[ch] = lo + (int) Math.round((admitted.hi(pos, ch) - lo) * (grid[ch] / 255.0));
      }
      return c;
    }

    /** Writes candidate {@code n}: its position set to its colour. */
    void write(int n, float[] dst, int offset) {
      int pos = position(n);
      int[] c = colour(n);
      System.arraycopy(base, 0, dst, offset, base.length);
      for (int ch = 0; ch < c.length; ch++) {
        dst[offset + ch * plane + pos] = c[ch] / 255f;
      }
    }

    @Override
    public Candidates ask() {
      if (startNanos == 0) {
        startNanos = System.nanoTime();
      }
      askedFrom = next;
      askedCount = Math.min(chunk, total - next);
      int from = askedFrom;
      return Candidates.of(askedCount, (j, dst, offset) -> write(from + j, dst, offset));
    }

    @Override
    public void tell(Scores scores) {
      Goal goal = task.goal();
      int width = task.image().width();
      for (int j = 0; j < askedCount; j++) {
        int n = askedFrom + j;
        int pos = position(n);
        double f = goal.fitness(Objective.PROBABILITY, scores, j);
        if (Float.isNaN(map[pos]) || f < map[pos]) {
          map[pos] = (float) f;
        }
        boolean ok = goal.isMet(scores, j);
        if (ok) {
          int top = scores.top(j);
          flips.add(new ScanFindings.Flip(pos % width, pos / width, colour(n), top,
              scores.probability(j, top)));
        }
        // Propose the first flip; until there is one, the most damaging change tried.
        if ((ok && flips.size() == 1) || (flips.isEmpty() && (bestCandidate < 0 || f < bestFitness))) {
          bestCandidate = n;
          bestFitness = f;
        }
      }
      next += askedCount;
      if (firstSuccess < 0 && !flips.isEmpty()) {
        firstSuccess = next;
      }
      if (next >= total || (earlyExit && !flips.isEmpty())) {
        float[] v = new float[base.length];
        write(bestCandidate, v, 0);
        proposal = new Proposal(v, new Cost(next, 0, firstSuccess, System.nanoTime() - startNanos), bestFitness,
            new ScanFindings(task.image().width(), colours, flips, map, next >= total));
      }
    }

    @Override
    public boolean isDone() {
      return proposal != null;
    }

    @Override
    public Proposal proposal() {
      return proposal;
    }
  }
}
