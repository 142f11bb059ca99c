package dev.pixelguard.attack.scan;

import dev.pixelguard.attack.BatchScheduler;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.QuerySearch;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The exhaustive one-pixel oracle: every pixel position with every colour of a grid over the colour cube.
 * With 2 levels per channel these are the cube's corners (8 colours for RGB, black and white for
 * grayscale), the colours that move a network most; 3 levels give 27 RGB colours, and so on. For its grid,
 * the scan is the ground truth against which one-pixel searches are judged: an image it does not flip
 * cannot be flipped by any single pixel set to one of those colours.
 *
 * <p>Early exit stops an image at the first chunk (of {@code chunk} candidates) holding a flip; a full scan
 * tries everything and records every flip and the per-position vulnerability map. Immutable; candidates
 * go through a {@link BatchScheduler}, so batches are filled across images.
 */
public final class PixelScan {
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

  /** Corner colours, full scan, chunks of 400. */
  public static PixelScan corners() {
    return new PixelScan(2, false, 400);
  }

  public int levels() {
    return levels;
  }

  public boolean earlyExit() {
    return earlyExit;
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

  /** One image to scan, with its goal. */
  public record Task(String id, Image image, Goal goal) {}

  /**
   * Scans every task, packing candidates of up to {@code concurrency} images into batches.
   *
   * @return results in task order
   */
  public List<ScanResult> run(Classifier classifier, List<Task> tasks, int batchSize, int concurrency,
      Consumer<ScanResult> onResult) {
    ScanResult[] out = new ScanResult[tasks.size()];
    List<Search> searches = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      searches.add(new Search(i, tasks.get(i)));
    }
    new BatchScheduler(classifier, batchSize, concurrency).run(searches.iterator(), s -> {
      out[s.index] = s.result;
      onResult.accept(s.result);
    });
    return List.of(out);
  }

  /** Scans one image. */
  public ScanResult run(Classifier classifier, Image image, Goal goal) {
    return run(classifier, List.of(new Task("image", image, goal)), Math.max(chunk, 400), 1, r -> {}).get(0);
  }

  private final class Search implements QuerySearch {
    final int index;
    final Task task;
    final float[] base;
    final List<int[]> colours;
    final int total;
    final float[] map;
    final List<ScanResult.Flip> flips = new ArrayList<>();
    final int plane;
    int next;
    int askedFrom;
    int askedCount;
    long firstSuccess = -1;
    ScanResult result;

    Search(int index, Task task) {
      this.index = index;
      this.task = task;
      Image im = task.image();
      this.base = new float[im.channels() * im.height() * im.width()];
      im.writeUnit(base, 0);
      this.colours = colours(im.channels());
      this.plane = im.height() * im.width();
      this.total = plane * colours.size();
      this.map = new float[plane];
      java.util.Arrays.fill(map, Float.NaN);
    }

    @Override
    public Candidates ask() {
      askedFrom = next;
      askedCount = Math.min(chunk, total - next);
      return new Candidates() {
        @Override
        public int size() {
          return askedCount;
        }

        @Override
        public void write(int j, float[] dst, int offset) {
          int n = askedFrom + j;
          int pos = n / colours.size();
          int[] c = colours.get(n % colours.size());
          System.arraycopy(base, 0, dst, offset, base.length);
          for (int ch = 0; ch < c.length; ch++) {
            dst[offset + ch * plane + pos] = c[ch] / 255f;
          }
        }
      };
    }

    @Override
    public void tell(Scores scores) {
      Goal goal = task.goal();
      int width = task.image().width();
      for (int j = 0; j < askedCount; j++) {
        int n = askedFrom + j;
        int pos = n / colours.size();
        float p = goal instanceof Goal.Untargeted u ? scores.probability(j, u.trueClass())
            : scores.probability(j, ((Goal.Targeted) goal).target());
        boolean untargeted = goal instanceof Goal.Untargeted;
        if (Float.isNaN(map[pos]) || (untargeted ? p < map[pos] : p > map[pos])) {
          map[pos] = p;
        }
        int top = scores.top(j);
        if (goal.reachedBy(top)) {
          flips.add(new ScanResult.Flip(pos % width, pos / width, colours.get(n % colours.size()), top,
              scores.probability(j, top)));
        }
      }
      next += askedCount;
      if (firstSuccess < 0 && !flips.isEmpty()) {
        firstSuccess = next;
      }
      if (next >= total || (earlyExit && !flips.isEmpty())) {
        Image im = task.image();
        result = new ScanResult(task.id(), goal, im.width(), im.height(), colours, flips, map, next, firstSuccess,
            next >= total);
      }
    }

    @Override
    public boolean isDone() {
      return result != null;
    }
  }
}
