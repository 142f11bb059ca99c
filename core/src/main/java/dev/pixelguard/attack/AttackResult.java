package dev.pixelguard.attack;

import dev.pixelguard.attack.ScanFindings;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of any attack on one image: one type for every attack, so all are judged and reported alike.
 * Success is decided by one final check: the classifier's answer on the returned image
 * ({@link #adversarialValues}), never the search's own bookkeeping. Immutable; arrays are copied in and out.
 *
 * @param imageId the image's identity
 * @param goal what the attack tried to reach
 * @param seed the seed of this image's attack
 * @param original the attacked image
 * @param clean the model's answer for the original
 * @param adversarialValues the returned image, planar (C*H*W) in [0, 1], as the model judged it; null when it is
 *     exactly {@code adversarial} (as for every pixel attack), which is then not kept twice
 * @param adversarial the same rounded to 8 bits, the image a user saves (identical for the pixel attacks)
 * @param after the model's answer for {@link #adversarialValues}
 * @param success whether {@link #after} reaches the goal
 * @param perturbation the size of the change, in [0, 1] pixel units
 * @param cost what the attack spent
 * @param fitness the search's objective value for the returned image (NaN where it has none)
 * @param findings for a scan, every flip and the vulnerability map; null for other attacks
 */
public record AttackResult(
    String imageId,
    Goal goal,
    long seed,
    Image original,
    Prediction clean,
    float[] adversarialValues,
    Image adversarial,
    Prediction after,
    boolean success,
    Perturbation perturbation,
    Cost cost,
    double fitness,
    ScanFindings findings) {

  public AttackResult {
    // Values that are exactly the 8-bit image are not kept: at 224x224 they are 600 KB per attempt.
    adversarialValues = adversarialValues == null || exact(adversarial, adversarialValues) ? null
        : adversarialValues.clone();
  }

  private static boolean exact(Image adversarial, float[] values) {
    if (values.length != adversarial.channels() * adversarial.positions()) {
      return false;
    }
    float[] q = new float[values.length];
    adversarial.writeUnit(q, 0);
    return java.util.Arrays.equals(q, values);
  }

  /** This result with its images replaced by {@code original} and {@code adversarial} (equal images loaded elsewhere). */
  public AttackResult withImages(Image original, Image adversarial) {
    return new AttackResult(imageId, goal, seed, original, clean, adversarialValues, adversarial, after, success,
        perturbation, cost, fitness, findings);
  }

  /**
   * The result for a task whose search proposed {@code proposal}, judged by the classifier's scores for the
   * proposed image ({@code check}, one row).
   */
  public static AttackResult judge(AttackTask task, Proposal proposal, Scores check) {
    if (check.size() != 1) {
      throw new IllegalArgumentException("the final check has one row, got " + check.size());
    }
    Image im = task.image();
    float[] v = proposal.values();
    return new AttackResult(task.id(), task.goal(), task.seed(), im, Prediction.of(task.clean(), 0), v,
        Image.fromUnit(im.channels(), im.height(), im.width(), v, 0), Prediction.of(check, 0),
        task.goal().isMet(check, 0), Perturbation.between(im, v), proposal.cost(), proposal.fitness(),
        proposal.findings());
  }

  @Override
  public float[] adversarialValues() {
    if (adversarialValues == null) {
      float[] v = new float[adversarial.channels() * adversarial.positions()];
      adversarial.writeUnit(v, 0);
      return v;
    }
    return adversarialValues.clone();
  }

  /** The model's top class for the original. */
  public int cleanClass() {
    return clean.top();
  }

  /** The model's top class for the returned image. */
  public int adversarialClass() {
    return after.top();
  }

  /** Probability of {@link #adversarialClass} for the returned image. */
  public float adversarialConfidence() {
    return after.confidence();
  }

  /** Probability of {@link #cleanClass} for the original. */
  public float cleanConfidence() {
    return clean.confidence();
  }

  /** Queries the attack sent. */
  public long queries() {
    return cost.queries();
  }

  /** Wall time in seconds. */
  public double seconds() {
    return cost.seconds();
  }

  /** Whether the 8-bit image equals the judged one (always for pixel attacks; rarely for gradient attacks). */
  public boolean exactIn8Bits() {
    return adversarialValues == null;
  }

  /** The changed pixels of {@link #adversarial}, with colours before and after, in row-major order. */
  public List<PixelChange> changes() {
    List<PixelChange> out = new ArrayList<>();
    byte[] b = original.toBytes();
    byte[] a = adversarial.toBytes();
    int hw = original.positions();
    int channels = original.channels();
    for (int p = 0; p < hw; p++) {
      boolean differs = false;
      for (int c = 0; c < channels && !differs; c++) {
        differs = a[c * hw + p] != b[c * hw + p];
      }
      if (differs) {
        int x = p % original.width();
        int y = p / original.width();
        out.add(new PixelChange(x, y, original.colour(x, y), adversarial.colour(x, y)));
      }
    }
    return out;
  }

}
