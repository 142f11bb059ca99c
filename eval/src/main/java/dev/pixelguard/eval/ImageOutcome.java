package dev.pixelguard.eval;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Prediction;
import java.util.List;

/**
 * One image of an evaluation.
 *
 * @param index position in the dataset
 * @param id the image's identity
 * @param label true class, or -1 when unlabelled
 * @param clean the model's answer on the unmodified image
 * @param skipped why it was not attacked ("unlabelled", "misclassified", "already the target class"), or
 *     null when it was
 * @param attempts the attack's results, one per goal (one, or K - 1 for every other class); empty when skipped
 */
public record ImageOutcome(int index, String id, int label, Prediction clean, String skipped,
    List<AttackResult> attempts) {

  public ImageOutcome {
    attempts = List.copyOf(attempts);
  }

  public boolean labelled() {
    return label >= 0;
  }

  public boolean correct() {
    return label >= 0 && clean.top() == label;
  }

  public boolean attacked() {
    return !attempts.isEmpty();
  }

  /** Whether some attempt reached its goal. */
  public boolean fooled() {
    return attempts.stream().anyMatch(AttackResult::success);
  }
}
