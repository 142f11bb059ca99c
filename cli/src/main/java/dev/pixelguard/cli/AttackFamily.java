package dev.pixelguard.cli;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.Attack;
import dev.pixelguard.model.ModelInfo;
import java.util.Set;

/**
 * One attack family on the command line: the {@code --method} that names it, the options of its own (a picocli
 * argument group, shown under the family's heading in {@code --help}) and which of the shared options
 * ({@link AttackOptions}) it takes. A new family is its own class plus one field in {@link AttackOptions}, the
 * registration: {@code --method}, the help and the refusal of options that belong to other families follow.
 */
interface AttackFamily {

  /** The name {@code --method} gives it: {@code guided}, {@code sparse-rs}. */
  String method();

  /** The shared options it takes, by name ({@code --eps}, {@code --budget}); others are refused with it. */
  Set<String> takes();

  /**
   * The attack these options describe.
   *
   * @throws IllegalArgumentException from a builder, which {@link AttackOptions} turns into one line in the
   *     command line's words
   */
  Attack<?> build(AttackOptions.Shared shared);

  /** Refuses, in one line, an attack too large for the model's images (more pixels than there are). */
  default void checkFits(AttackOptions.Shared shared, ModelInfo info) {}

  /** Refuses, in one line, more pixels to change than the model's images have. */
  static void checkPixels(int pixels, ModelInfo info) {
    int positions = info.height() * info.width();
    if (pixels > positions) {
      throw new InputException("--pixels " + pixels + " is more than the " + positions + " pixels of the model's "
          + info.inputShape() + " images");
    }
  }

  /** Refuses, in one line, a combination of its own options that cannot be, before any work. */
  default void check(AttackOptions.Shared shared) {}

  /** One line for a builder's refusal, in the command line's words ("epsilon" is --eps, and so on). */
  default InputException refusal(IllegalArgumentException e) {
    return new InputException(e.getMessage().replace("epsilon", "--eps"));
  }
}
