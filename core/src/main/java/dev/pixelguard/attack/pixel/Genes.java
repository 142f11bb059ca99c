package dev.pixelguard.attack.pixel;

import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Whole-number candidates shared by the sparse searches: per pixel (x, y, colour...) with x in [0, W),
 * y in [0, H) and each colour value in [0, 255].
 */
final class Genes {
  private Genes() {}

  /** Writes {@code base} (planar, [0,1]) with the candidate's pixels set into {@code dst} from {@code offset}. */
  static void write(float[] base, int[] genes, int channels, int height, int width, float[] dst, int offset) {
    System.arraycopy(base, 0, dst, offset, base.length);
    int per = 2 + channels;
    int plane = height * width;
    for (int p = 0; p < genes.length; p += per) {
      int pos = genes[p + 1] * width + genes[p];
      for (int c = 0; c < channels; c++) {
        dst[offset + c * plane + pos] = genes[p + 2 + c] / 255f;
      }
    }
  }

  /** The candidate as changes to {@code image}: only positions whose colour really changes, once each. */
  static List<PixelChange> changes(Image image, int[] genes) {
    int channels = image.channels();
    int per = 2 + channels;
    List<PixelChange> raw = new ArrayList<>();
    for (int p = 0; p < genes.length; p += per) {
      int[] after = Arrays.copyOfRange(genes, p + 2, p + 2 + channels);
      raw.add(new PixelChange(genes[p], genes[p + 1], image.colour(genes[p], genes[p + 1]), after));
    }
    List<PixelChange> out = new ArrayList<>();
    for (int i = raw.size() - 1; i >= 0; i--) {
      PixelChange c = raw.get(i);
      boolean later = out.stream().anyMatch(o -> o.x() == c.x() && o.y() == c.y());
      if (!later && !Arrays.equals(c.before(), c.after())) {
        out.add(0, c);
      }
    }
    return out;
  }

  /**
   * An evaluated candidate's fitness as a finite number. Label-only models give one-hot scores, whose margin
   * or log-probability is +infinity for every candidate that fails; searches reserve +infinity for
   * "not evaluated", so an evaluated candidate gets the largest finite value instead.
   */
  static double finite(double f) {
    if (Double.isNaN(f) || f == Double.POSITIVE_INFINITY) {
      return Double.MAX_VALUE;
    }
    return f;
  }

  /** The result for a finished search whose reported candidate is {@code genes}. */
  static PixelAttackResult result(SparseAttack.Task task, boolean success, int[] genes, int adversarialClass,
      float[] adversarialProbabilities, long queries, long firstSuccess, double fitness, long nanos, long seed) {
    List<PixelChange> changes = changes(task.image(), genes);
    return new PixelAttackResult(task.id(), task.goal(), success, task.image(), task.image().withPixels(changes),
        changes, task.clean().top(0), task.clean().probabilities(0), adversarialClass, adversarialProbabilities,
        queries, firstSuccess, fitness, nanos, seed);
  }
}
