package dev.pixelguard.cli;

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

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
