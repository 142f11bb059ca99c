package dev.pixelguard.attack.patch;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Seeds;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a universal sticker fares on held-out images under transformations drawn independently of training: for
 * each image and draw, the sticker is put on the image and the camera applied ({@link Composite}), the result is
 * rounded to 8 bits (what a camera delivers) and classified; the same draw without the sticker is the baseline.
 * Works with any {@link Classifier}: a plain model, a model behind a server, or a gate as a classifier
 * ({@link dev.pixelguard.defence.Gate#asClassifier()}), whose abstentions are counted apart.
 *
 * <pre>{@code
 * StickerEvaluation.Result r = StickerEvaluation.evaluate(model, split.report().images(), sticker,
 *     Conditions.realistic(), 3, 1, 1);
 * System.out.println(r.summary().reachedShare());
 * }</pre>
 *
 * <p>Each view's draw comes from {@code Seeds.forImage(seed, id + " | sticker evaluation " + d)}: it depends only
 * on the seed, the image's identity and the draw's number, never on the other images or the batch, and never
 * coincides with a training stream.
 */
public final class StickerEvaluation {
  private StickerEvaluation() {}

  /** Views classified per call to the model. */
  static final int CHUNK = 128;

  /** One draw per image; see {@link #evaluate(Classifier, List, Sticker, Conditions, int, long, int)}. */
  public static Result evaluate(Classifier model, List<LabeledImage> images, Sticker sticker, Conditions conditions,
      int target, long seed) {
    return evaluate(model, images, sticker, conditions, target, seed, 1);
  }

  /**
   * @param model any classifier of the images' shape
   * @param images labelled held-out images (unlabelled ones are refused)
   * @param sticker the sticker, as used (load it from its PNG for the printed values)
   * @param conditions the distribution the views are drawn from
   * @param target the class the sticker aims at, or -1 (untargeted: any wrong class; through a gate, harm)
   * @param seed the evaluation's root seed
   * @param draws views per image, at least 1
   */
  public static Result evaluate(Classifier model, List<LabeledImage> images, Sticker sticker, Conditions conditions,
      int target, long seed, int draws) {
    if (draws < 1) {
      throw new InputException("draws per image must be at least 1, was " + draws);
    }
    int channels = model.info().channels();
    int height = model.info().height();
    int width = model.info().width();
    int abstain = model.info().abstainClass();
    int classes = abstain >= 0 ? model.info().numClasses() - 1 : model.info().numClasses();
    if (target >= classes) {
      throw new InputException("target class " + target + " is not one of the model's " + classes + " classes");
    }
    if (sticker.channels() != channels) {
      throw new InputException("the sticker has " + sticker.channels() + " channel(s), the model takes " + channels);
    }
    int per = channels * height * width;
    List<Outcome> outcomes = new ArrayList<>();
    List<LabeledImage> pendingImages = new ArrayList<>();
    List<Integer> pendingDraw = new ArrayList<>();
    List<Draw> pendingDraws = new ArrayList<>();
    List<Image> stickered = new ArrayList<>();
    List<Image> clean = new ArrayList<>();
    float[] unit = new float[per];
    for (int i = 0; i < images.size(); i++) {
      LabeledImage li = images.get(i);
      if (!li.hasLabel()) {
        throw new InputException("image " + li.id() + " has no label; a sticker is evaluated on labelled images");
      }
      if (li.image().channels() != channels || li.image().height() != height || li.image().width() != width) {
        throw new InputException("image " + li.id() + " is " + li.image().shape() + " but the model takes "
            + Image.describe(channels, height, width));
      }
      li.image().writeUnit(unit, 0);
      for (int d = 0; d < draws; d++) {
        SplittableRandom r = new SplittableRandom(Seeds.forImage(seed, li.id() + " | sticker evaluation " + d));
        Draw draw = conditions.sample(r, sticker.size(), height, width);
        stickered.add(Image.fromUnit(channels, height, width,
            Composite.render(unit, 0, channels, height, width, sticker, draw).output(), 0));
        clean.add(Image.fromUnit(channels, height, width,
            Composite.render(unit, 0, channels, height, width, null, draw).output(), 0));
        pendingImages.add(li);
        pendingDraw.add(d);
        pendingDraws.add(draw);
        if (stickered.size() == CHUNK) {
          flush(model, target, abstain, pendingImages, pendingDraw, pendingDraws, stickered, clean, outcomes);
        }
      }
    }
    if (!stickered.isEmpty()) {
      flush(model, target, abstain, pendingImages, pendingDraw, pendingDraws, stickered, clean, outcomes);
    }
    return new Result(outcomes, Summary.of(outcomes, target, abstain, draws), conditions, seed, target);
  }

  private static void flush(Classifier model, int target, int abstain, List<LabeledImage> imgs, List<Integer> drawNo,
      List<Draw> draws, List<Image> stickered, List<Image> clean, List<Outcome> out) {
    int[] withSticker = top(model, stickered);
    int[] without = top(model, clean);
    for (int i = 0; i < stickered.size(); i++) {
      LabeledImage li = imgs.get(i);
      boolean eligible = li.label() != target;
      Goal goal = StickerTrainer.goal(target, li.label(), abstain);
      out.add(new Outcome(li.id(), li.label(), drawNo.get(i), draws.get(i), without[i], withSticker[i], eligible,
          eligible && goal.reachedBy(withSticker[i]), eligible && goal.reachedBy(without[i]), stickered.get(i),
          clean.get(i)));
    }
    imgs.clear();
    drawNo.clear();
    draws.clear();
    stickered.clear();
    clean.clear();
  }

  private static int[] top(Classifier model, List<Image> images) {
    var s = model.classify(ImageBatch.of(images));
    int[] t = new int[images.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = s.top(i);
    }
    return t;
  }

  /**
   * One view of one image.
   *
   * @param id the image's identity
   * @param label its true class
   * @param drawIndex which of its draws (from 0)
   * @param draw the sampled placement and camera
   * @param cleanPredicted the top class of the clean image through the same camera (the gate's abstain class when it
   *     abstains)
   * @param stickerPredicted the top class with the sticker
   * @param eligible whether the view counts towards the goal (not already of the target class)
   * @param reached whether the stickered view reached the goal (the target; untargeted: a wrong class, through a gate
   *     an accepted wrong class)
   * @param cleanReached whether the clean view reached it without a sticker (the baseline)
   * @param stickered the stickered view the model saw, 8-bit
   * @param clean the clean view the model saw, 8-bit
   */
  public record Outcome(String id, int label, int drawIndex, Draw draw, int cleanPredicted, int stickerPredicted,
      boolean eligible, boolean reached, boolean cleanReached, Image stickered, Image clean) {}

  /**
   * Counts over all views.
   *
   * @param views images times draws
   * @param drawsPerImage draws per image
   * @param target the target, or -1
   * @param eligible views that count towards the goal (label not the target)
   * @param reached eligible views the sticker brought to the goal
   * @param cleanReached eligible views at the goal without a sticker (the baseline)
   * @param correct views classified (accepted, through a gate) as their true class with the sticker
   * @param cleanCorrect the same without it
   * @param abstained views a gate abstained on with the sticker (0 for a plain model)
   * @param cleanAbstained the same without it
   * @param harmed views accepted as a wrong class with the sticker
   * @param cleanHarmed the same without it
   */
  public record Summary(int views, int drawsPerImage, int target, int eligible, int reached, int cleanReached,
      int correct, int cleanCorrect, int abstained, int cleanAbstained, int harmed, int cleanHarmed) {

    static Summary of(List<Outcome> outs, int target, int abstain, int draws) {
      int eligible = 0, reached = 0, cleanReached = 0, correct = 0, cleanCorrect = 0, abst = 0, cleanAbst = 0;
      int harmed = 0, cleanHarmed = 0;
      for (Outcome o : outs) {
        eligible += o.eligible() ? 1 : 0;
        reached += o.reached() ? 1 : 0;
        cleanReached += o.cleanReached() ? 1 : 0;
        correct += o.stickerPredicted() == o.label() ? 1 : 0;
        cleanCorrect += o.cleanPredicted() == o.label() ? 1 : 0;
        boolean a = abstain >= 0 && o.stickerPredicted() == abstain;
        boolean ca = abstain >= 0 && o.cleanPredicted() == abstain;
        abst += a ? 1 : 0;
        cleanAbst += ca ? 1 : 0;
        harmed += !a && o.stickerPredicted() != o.label() ? 1 : 0;
        cleanHarmed += !ca && o.cleanPredicted() != o.label() ? 1 : 0;
      }
      return new Summary(outs.size(), draws, target, eligible, reached, cleanReached, correct, cleanCorrect, abst,
          cleanAbst, harmed, cleanHarmed);
    }

    /** The share of eligible views the sticker brought to the goal (the targeted success rate). */
    public double reachedShare() {
      return eligible == 0 ? 0 : (double) reached / eligible;
    }

    /** The same share without a sticker, through the same cameras: the baseline. */
    public double cleanReachedShare() {
      return eligible == 0 ? 0 : (double) cleanReached / eligible;
    }

    /** Accuracy with the sticker. */
    public double accuracy() {
      return views == 0 ? 0 : (double) correct / views;
    }

    /** Accuracy without it, through the same cameras. */
    public double cleanAccuracy() {
      return views == 0 ? 0 : (double) cleanCorrect / views;
    }
  }

  /**
   * @param outcomes one per view, images in the order given, draws in order
   * @param summary the counts
   * @param conditions the distribution the views were drawn from
   * @param seed the evaluation's root seed
   * @param target the target, or -1
   */
  public record Result(List<Outcome> outcomes, Summary summary, Conditions conditions, long seed, int target) {
    public Result {
      outcomes = List.copyOf(outcomes);
    }
  }
}
