package dev.pixelguard.attack.patch;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Learns a universal sticker from the model's scores alone, for models without gradients (ONNX, a model behind a
 * server, a gate): a random search over square windows of the sticker in the manner of the Square attack
 * (Andriushchenko et al. 2020) and Sparse-RS's universal patches (Croce et al. 2022).
 *
 * <p>A fixed scoring set is drawn once: {@code batch} training images (without replacement) with
 * {@code eotSamples} {@link Conditions} draws each. The score of a sticker is the mean of the goal's
 * {@link Objective} over that set (by default the target's cross-entropy, {@link Objective#LOG_PROBABILITY}) plus
 * the TV and NPS terms. Each iteration repaints one square window of the sticker in one colour, drawn from the
 * printable palette, so the sticker stays printable by construction; the window covers
 * {@code squareShare} of the sticker at first and shrinks on Square's schedule (halved at 10, 50, 200, 500,
 * 1000, 2000, 4000, 6000 and 8000 of 10,000 iterations, rescaled to the budget). A candidate replaces the
 * incumbent when its score is lower.
 *
 * <p><b>Query cost</b>: {@code (steps + 1) * batch * eotSamples} images, every one a model query; 300
 * iterations on 32 images with 2 draws each cost 19,264.
 */
public final class StickerSearch {
  private StickerSearch() {}

  /**
   * @param model any classifier; through a gate (a model with an abstain class) an untargeted sticker seeks harm
   * @param fit the training images
   * @param objective what the search minimises per stickered image ({@link Objective#LOG_PROBABILITY}: the target's
   *     cross-entropy; {@link Objective#MARGIN}: the logit margin)
   * @param progress told after each iteration; may be null
   */
  public static TrainedSticker train(Classifier model, List<LabeledImage> fit, StickerSettings settings,
      Objective objective, Consumer<TrainedSticker.Step> progress) {
    int channels = model.info().channels();
    int height = model.info().height();
    int width = model.info().width();
    int abstain = model.info().abstainClass();
    List<LabeledImage> pool = new ArrayList<>(
        StickerTrainer.trainingPool(fit, settings.target(), channels, height, width));
    Printability palette = settings.paletteFor(channels);
    SplittableRandom r = new SplittableRandom(Seeds.forImage(settings.seed(), "sticker search"));
    int m = Math.min(settings.batch(), pool.size());
    for (int i = 0; i < m; i++) { // a partial Fisher-Yates shuffle: the first m are the scoring images
      int j = i + r.nextInt(pool.size() - i);
      LabeledImage t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
    }
    int per = channels * height * width;
    int count = m * settings.eotSamples();
    float[][] base = new float[count][per];
    Draw[] draws = new Draw[count];
    Goal[] goals = new Goal[count];
    for (int i = 0, j = 0; i < m; i++) {
      for (int e = 0; e < settings.eotSamples(); e++, j++) {
        pool.get(i).image().writeUnit(base[j], 0);
        draws[j] = settings.conditions().sample(r, settings.size(), height, width);
        goals[j] = StickerTrainer.goal(settings.target(), pool.get(i).label(), abstain);
      }
    }
    int size = settings.size();
    int area = size * size;
    float[] s = new float[channels * area];
    for (int p = 0; p < area; p++) { // start: every pixel a random palette colour
      float[] col = palette.palette().get(r.nextInt(palette.palette().size()));
      for (int c = 0; c < channels; c++) {
        s[c * area + p] = col[c];
      }
    }
    Sticker best = new Sticker(channels, size, s);
    double[] bestScore = score(model, best, base, draws, goals, objective, settings, palette);
    long queries = count;
    List<TrainedSticker.Step> history = new ArrayList<>();
    for (int it = 1; it <= settings.steps(); it++) {
      double share = settings.squareShare() * schedule(it, settings.steps());
      int side = Math.max(1, Math.min(size, (int) Math.round(Math.sqrt(share * area))));
      int x0 = r.nextInt(size - side + 1);
      int y0 = r.nextInt(size - side + 1);
      float[] col = palette.palette().get(r.nextInt(palette.palette().size()));
      float[] cand = best.values();
      for (int c = 0; c < channels; c++) {
        for (int y = y0; y < y0 + side; y++) {
          for (int x = x0; x < x0 + side; x++) {
            cand[c * area + y * size + x] = col[c];
          }
        }
      }
      Sticker candidate = new Sticker(channels, size, cand);
      double[] sc = score(model, candidate, base, draws, goals, objective, settings, palette);
      queries += count;
      if (sc[0] < bestScore[0]) {
        best = candidate;
        bestScore = sc;
      }
      TrainedSticker.Step rec = new TrainedSticker.Step(it, bestScore[1], bestScore[2],
          Printability.totalVariation(best, null, 0), palette.nonPrintability(best, null, 0));
      history.add(rec);
      if (progress != null) {
        progress.accept(rec);
      }
    }
    return new TrainedSticker(best, settings, "search", history, queries);
  }

  /** Square's window schedule: the share of the initial window at iteration {@code it} of {@code steps}. */
  static double schedule(int it, int steps) {
    int i = (int) ((long) it * 10_000 / Math.max(1, steps));
    int[] marks = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
    double p = 1;
    for (int mark : marks) {
      if (i > mark) {
        p /= 2;
      }
    }
    return p;
  }

  /** {total score, mean objective, share reached} of a sticker over the scoring set. */
  private static double[] score(Classifier model, Sticker sticker, float[][] base, Draw[] draws, Goal[] goals,
      Objective objective, StickerSettings settings, Printability palette) {
    int channels = model.info().channels();
    int height = model.info().height();
    int width = model.info().width();
    int per = channels * height * width;
    double sum = 0;
    int reached = 0;
    int chunk = 256;
    for (int from = 0; from < base.length; from += chunk) {
      int n = Math.min(chunk, base.length - from);
      float[] data = new float[n * per];
      for (int i = 0; i < n; i++) {
        Composite.render(base[from + i], 0, channels, height, width, sticker, draws[from + i]).copyOutput(data, i * per);
      }
      Scores sc = model.classify(ImageBatch.wrap(n, channels, height, width, data));
      for (int i = 0; i < n; i++) {
        sum += goals[from + i].fitness(objective, sc, i);
        reached += goals[from + i].reachedBy(sc.top(i)) ? 1 : 0;
      }
    }
    double mean = sum / base.length;
    double total = mean + settings.tvWeight() * Printability.totalVariation(sticker, null, 0)
        + settings.npsWeight() * palette.nonPrintability(sticker, null, 0);
    return new double[] {total, mean, (double) reached / base.length};
  }
}
