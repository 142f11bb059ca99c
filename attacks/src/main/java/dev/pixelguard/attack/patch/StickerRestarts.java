package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Restarts: several stickers learned with the same settings from consecutive seeds, and the one that reaches the
 * goal on the most training views kept. Which start and which stream of minibatches and draws a sticker gets
 * decides more of its success than most settings do, so the best of a few restarts is a stronger attack, and
 * choosing it on the training images leaves the held-out images untouched.
 *
 * <p>Restart {@code k} (from 0) is learned with seed {@code settings.seed() + k}, so restart 0 is the sticker a
 * single run gives and the chosen one is reproduced by a single run with its seed. Every candidate, rounded to
 * 8 bits as its PNG holds it, is judged on the same views: one draw per training image from the stream of
 * {@link #selectionSeed}, which neither training nor an evaluation of held-out images uses. Ties go to the
 * earlier restart.
 *
 * <pre>{@code
 * StickerRestarts.Result r = StickerRestarts.best(model, fit, settings, 6,
 *     s -> StickerTrainer.train(model, fit, s, null), null);
 * Sticker best = r.best().sticker();   // r.chosen().seed() reproduces it
 * }</pre>
 */
public final class StickerRestarts {
  private StickerRestarts() {}

  /** The most restarts one call takes. */
  public static final int MAX = 1000;

  /** Training images judged per call to the evaluation, so that only counts are kept, not every view. */
  static final int JUDGE_CHUNK = 256;

  /**
   * One restart and how its sticker fared on the training views.
   *
   * @param restart its number, from 0
   * @param seed the root seed it was learned with
   * @param reached eligible training views its sticker brought to the goal
   * @param eligible training views that count (not already of the target class)
   */
  public record Candidate(int restart, long seed, int reached, int eligible) {
    /** The share of eligible views reached, 0 when none is eligible. */
    public double share() {
      return eligible == 0 ? 0 : (double) reached / eligible;
    }
  }

  /**
   * @param best the chosen sticker; its settings carry its own seed
   * @param candidates every restart, in order
   * @param chosen the chosen restart's number
   * @param modelImages images through the model over all restarts' training
   * @param selectionImages images through the model to judge the candidates: two per labelled training image (the
   *     view with the sticker and without it) and restart
   */
  public record Result(TrainedSticker best, List<Candidate> candidates, int chosen, long modelImages,
      long selectionImages) {
    public Result {
      candidates = List.copyOf(candidates);
    }

    /** The chosen restart. */
    public Candidate chosenCandidate() {
      return candidates.get(chosen);
    }
  }

  /** The root seed of the views every candidate is judged on: derived from the first restart's seed. */
  public static long selectionSeed(long seed) {
    return Seeds.forImage(seed, "sticker selection");
  }

  /**
   * @param scorer the model (or gate) that judges each candidate on the training views
   * @param fit the training images, as given to {@code learn}
   * @param settings the settings of restart 0; restart k uses seed {@code settings.seed() + k}
   * @param restarts how many, from 1 to {@value #MAX}
   * @param learn learns one sticker from its settings ({@link StickerTrainer#train} or {@link StickerSearch#train})
   * @param told told of each candidate once it is judged; may be null
   */
  public static Result best(Classifier scorer, List<LabeledImage> fit, StickerSettings settings, int restarts,
      Function<StickerSettings, TrainedSticker> learn, Consumer<Candidate> told) {
    if (restarts < 1 || restarts > MAX) {
      throw new InputException("restarts must be from 1 to " + MAX + ", was " + restarts);
    }
    List<LabeledImage> views = fit.stream().filter(LabeledImage::hasLabel).toList(); // as training takes them
    long judge = selectionSeed(settings.seed());
    List<Candidate> candidates = new ArrayList<>();
    TrainedSticker best = null;
    int chosen = 0;
    long images = 0;
    long judged = 0;
    for (int k = 0; k < restarts; k++) {
      long seed = settings.seed() + k;
      TrainedSticker t = learn.apply(settings.withSeed(seed));
      images += t.modelImages();
      // in chunks, keeping only the counts: each view's draw depends on the image's id, not on the chunk
      int reached = 0;
      int eligible = 0;
      for (int from = 0; from < views.size(); from += JUDGE_CHUNK) {
        StickerEvaluation.Summary s = StickerEvaluation.evaluate(scorer,
            views.subList(from, Math.min(views.size(), from + JUDGE_CHUNK)), t.sticker().rounded(),
            settings.conditions(), settings.target(), judge, 1).summary();
        reached += s.reached();
        eligible += s.eligible();
      }
      judged += 2L * views.size();
      Candidate c = new Candidate(k, seed, reached, eligible);
      candidates.add(c);
      if (best == null || c.reached() > candidates.get(chosen).reached()) {
        best = t;
        chosen = k;
      }
      if (told != null) {
        told.accept(c);
      }
    }
    return new Result(best, candidates, chosen, images, judged);
  }
}
