package dev.pixelguard.cli;

import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.gradient.Pgd;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.ModelInfo;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Plain-text renderings shared by the commands. */
final class Text {
  private Text() {}

  static String pixels(PixelAttackResult r) {
    return r.changes().stream().map(Text::pixel).collect(Collectors.joining(", "));
  }

  static String pixel(PixelChange c) {
    return String.format(Locale.ROOT, "(%d,%d) %s->%s", c.x(), c.y(), colour(c.before()), colour(c.after()));
  }

  static String colour(int[] v) {
    return v.length == 1 ? Integer.toString(v[0]) : Arrays.stream(v).mapToObj(Integer::toString)
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** "'cat' (0.92) -> 'dog' (0.71) by (12,7) [..]->[..]". */
  static String flip(PixelAttackResult r, ModelInfo info) {
    return String.format(Locale.ROOT, "'%s' (%.3f) -> '%s' (%.3f) by %s", info.className(r.cleanClass()),
        r.cleanConfidence(), info.className(r.adversarialClass()), r.adversarialConfidence(), pixels(r));
  }

  /** "pgd, L-inf eps 0.0314, 10 steps of 0.00784, random start, untargeted, seed 1". */
  static String describe(Pgd a, String goal) {
    String norm = a.norm() == Norm.LINF ? "L-inf" : "L2";
    if (a.isFgsm()) {
      return String.format(Locale.ROOT, "fgsm, %s eps %.4g, %s, seed %d", norm, a.epsilon(), goal, a.seed());
    }
    return String.format(Locale.ROOT, "pgd, %s eps %.4g, %d steps of %.4g, %s, %d restart%s, %s, seed %d", norm,
        a.epsilon(), a.iterations(), a.step(), a.randomStart() ? "random start" : "no random start", a.restarts(),
        a.restarts() == 1 ? "" : "s", goal, a.seed());
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
