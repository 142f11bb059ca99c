package dev.pixelguard.testing;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Cost;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Perturbation;
import dev.pixelguard.attack.Prediction;
import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.model.ModelInfo;
import java.util.List;
import java.util.Map;

/** Hand-made outcomes on 3-class, 1x2x2 images, for exact tests of figures, files and reports. */
public final class Outcomes {
  private Outcomes() {}

  public static final ModelInfo MODEL = new ModelInfo(1, 2, 2, 3, List.of("zero", "one", "two"), "hand-made");

  /** A 2x2 grayscale image of four values. */
  public static Image image(int a, int b, int c, int d) {
    return new Image(1, 2, 2, new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
  }

  /** A distribution with probability {@code p} on class {@code top} and the rest shared evenly. */
  public static Prediction prediction(int top, float p) {
    float[] probs = new float[3];
    for (int k = 0; k < 3; k++) {
      probs[k] = k == top ? p : (1 - p) / 2;
    }
    return new Prediction(top, probs);
  }

  /**
   * One attempt on {@code original} (clean class {@code label}) that returns {@code adversarial} values.
   *
   * @param after the model's answer on the returned image
   */
  public static AttackResult attempt(String id, Image original, int label, Goal goal, float[] adversarial,
      Prediction after, long queries, long gradients, long firstSuccess, ScanFindings findings) {
    return new AttackResult(id, goal, id.hashCode(), original, prediction(label, 0.9f), adversarial,
        Image.fromUnit(1, 2, 2, adversarial, 0), after, goal.isMet(dev.pixelguard.model.Scores.fromProbabilities(
            new float[][] {after.probabilities()}), 0), Perturbation.between(original, adversarial),
        new Cost(queries, gradients, firstSuccess, 1_000_000L * (queries + gradients)), 0.25, findings);
  }

  /** The image's values with pixel {@code p} set to {@code v} (0-255). */
  public static float[] withPixel(Image im, int p, int v) {
    float[] x = new float[4];
    im.writeUnit(x, 0);
    x[p] = v / 255f;
    return x;
  }

  public static EvaluationResult result(String attack, Targets targets, List<ImageOutcome> images) {
    return new EvaluationResult(MODEL, true, "hand-made", attack, Map.of("seed", 7), targets, 7,
        new Execution(8, 2), images, new EvaluationResult.Totals(1000, 4, 20, 5_000_000, 9_000_000));
  }

  /** A black and a white 2x2 RGB image. */
  public static final Image A = image(0, 0, 0, 0);
  public static final Image B = image(255, 255, 255, 255);

  /**
   * Five images: unlabelled, misclassified, and three attacked (class 0, 1 and 2). Image 2 is flipped to class
   * 1 with one pixel in 100 queries (first success at 100), image 3 to class 0 with one pixel in 300 (first at
   * 250), image 4 resists 500 queries.
   */
  public static List<ImageOutcome> untargeted() {
    AttackResult flipA = attempt("a", A, 0, new Goal.Untargeted(0), withPixel(A, 1, 255), prediction(1, 0.8f), 100, 0,
        100, null);
    AttackResult flipB = attempt("b", B, 1, new Goal.Untargeted(1), withPixel(B, 2, 0), prediction(0, 0.6f), 300, 0,
        250, null);
    AttackResult resist = attempt("c", A, 2, new Goal.Untargeted(2), withPixel(A, 3, 128), prediction(2, 0.7f), 500, 0,
        -1, null);
    return List.of(
        new ImageOutcome(0, "u", -1, prediction(0, 0.9f), "unlabelled", List.of()),
        new ImageOutcome(1, "m", 2, prediction(1, 0.9f), "misclassified", List.of()),
        new ImageOutcome(2, "a", 0, prediction(0, 0.9f), null, List.of(flipA)),
        new ImageOutcome(3, "b", 1, prediction(1, 0.9f), null, List.of(flipB)),
        new ImageOutcome(4, "c", 2, prediction(2, 0.9f), null, List.of(resist)));
  }
}
