package dev.pixelguard.cli;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.ModelInfo;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Plain-text renderings shared by the commands. */
final class Text {
  private Text() {}

  static String pixel(PixelChange c) {
    return String.format(Locale.ROOT, "(%d,%d) %s->%s", c.x(), c.y(), colour(c.before()), colour(c.after()));
  }

  static String colour(int[] v) {
    return v.length == 1 ? Integer.toString(v[0]) : Arrays.stream(v).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** "'cat' (0.920) -> 'dog' (0.710)". */
  static String classes(AttackResult r, ModelInfo info) {
    return String.format(Locale.ROOT, "'%s' (%.3f) -> '%s' (%.3f)", info.className(r.cleanClass()), r.cleanConfidence(),
        info.className(r.adversarialClass()), r.adversarialConfidence());
  }

  /**
   * "'cat' (0.920) -> 'dog' (0.710) by (12,7) [..]->[..]" for a change of a few pixels, or
   * "'cat' (0.920) -> 'dog' (0.710) by a perturbation of L-inf 0.0314, L2 1.2345" for a change everywhere.
   */
  static String change(AttackResult r, ModelInfo info) {
    if (r.perturbation().pixels() <= 64) {
      return classes(r, info) + " by " + r.changes().stream().map(Text::pixel).collect(Collectors.joining(", "));
    }
    return classes(r, info) + String.format(Locale.ROOT, " by a perturbation of L-inf %.4f, L2 %.4f",
        r.perturbation().linf(), r.perturbation().l2());
  }

  /** {@link #change} and the cost: "(150 queries)" or "(7 gradient steps)". */
  static String outcome(AttackResult r, ModelInfo info) {
    return change(r, info) + " (" + cost(r) + ")";
  }

  static String cost(AttackResult r) {
    long g = r.cost().gradients();
    return g > 0 ? count(g) + " gradient step" + (g == 1 ? "" : "s") : count(r.queries()) + " queries";
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
