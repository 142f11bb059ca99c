package dev.pixelguard.audit;

import dev.pixelguard.attack.Objective;
import dev.pixelguard.attack.gradient.Norm;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.attack.square.SquareAttack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.BiFunction;

/**
 * The threat models of the standard card, each with its one stated budget. Every budget can be capped with one
 * number (queries per image) so a quick card and a thorough one differ in one stated setting.
 *
 * <table>
 *   <caption>The standard card</caption>
 *   <tr><th>key</th><th>attacker may</th><th>search and budget</th></tr>
 *   <tr><td>one-pixel</td><td>change one pixel to any 8-bit colour</td><td>guided search, 9,600 queries</td></tr>
 *   <tr><td>pixels</td><td>change 5 pixels anywhere</td><td>Sparse-RS, then the guided search, 10,000
 *       queries</td></tr>
 *   <tr><td>patch</td><td>paint a 4x4 square anywhere (1.6% of a 32x32 image)</td><td>Sparse-RS, 10,000
 *       queries</td></tr>
 *   <tr><td>linf</td><td>change every value by up to 8/255</td><td>Square attack, 5,000 queries</td></tr>
 *   <tr><td>l2</td><td>change the image by L2 0.5</td><td>Square attack (L2), 5,000 queries</td></tr>
 *   <tr><td>label-only</td><td>change one pixel, seeing only the top class</td><td>guided search, 9,600
 *       queries</td></tr>
 * </table>
 *
 * <p>Modules add threat models to the card through {@link ThreatModelProvider}s on the class path:
 * pixelguard-certify adds {@code one-pixel-proof} and {@code patch-proof}, rows that are proofs rather than
 * attacks.
 */
public final class ThreatModels {
  private ThreatModels() {}

  /** A threat model of the card, built from the root seed and the query cap (or 0 for none). */
  private static final Map<String, BiFunction<Long, Long, ThreatModel>> STANDARD = new LinkedHashMap<>();

  static {
    STANDARD.put("one-pixel", (seed, cap) -> new AttackThreat("one pixel", GuidedPixelAttack.builder().pixels(1)
        .objective(Objective.MARGIN).budget(capped(9_600, cap)).build(), false, seed));
    STANDARD.put("pixels", (seed, cap) -> new AttackThreat("5 pixels", GuidedPixelAttack.builder().pixels(5)
        .objective(Objective.MARGIN).budget(capped(10_000, cap)).build(), false, seed));
    STANDARD.put("patch", (seed, cap) -> new AttackThreat("4x4 patch", SparseRs.builder().patch(4)
        .budget(capped(10_000, cap)).build(), false, seed));
    STANDARD.put("linf", (seed, cap) -> new AttackThreat("L-inf 8/255", SquareAttack.builder().norm(Norm.LINF)
        .eps(8 / 255.0).budget(capped(5_000, cap)).build(), false, seed));
    STANDARD.put("l2", (seed, cap) -> new AttackThreat("L2 0.5", SquareAttack.builder().norm(Norm.L2).eps(0.5)
        .budget(capped(5_000, cap)).build(), false, seed));
    STANDARD.put("label-only", (seed, cap) -> new AttackThreat("one pixel, label-only", GuidedPixelAttack.builder()
        .pixels(1).objective(Objective.MARGIN).budget(capped(9_600, cap)).build(), true, seed));
  }

  /** The keys of the standard card's threat models, in card order: the attacks, then the providers' rows. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>(STANDARD.keySet());
    providers().forEach(p -> out.addAll(p.keys()));
    return List.copyOf(out);
  }

  private static List<ThreatModelProvider> providers() {
    List<ThreatModelProvider> out = new ArrayList<>();
    ServiceLoader.load(ThreatModelProvider.class).forEach(out::add);
    if (out.isEmpty()) {
      ServiceLoader.load(ThreatModelProvider.class, ThreatModels.class.getClassLoader()).forEach(out::add);
    }
    return out;
  }

  /**
   * The standard card's threat models named by {@code keys}, in the order given.
   *
   * @param seed the root seed of every attack
   * @param maxQueries the most queries per image of any threat model, or 0 for each one's own budget
   * @throws IllegalArgumentException for an unknown key, naming the known ones
   */
  public static List<ThreatModel> standard(List<String> keys, long seed, long maxQueries) {
    if (maxQueries < 0) {
      throw new IllegalArgumentException("the query cap must be positive (or 0 for none), was " + maxQueries);
    }
    List<ThreatModel> out = new ArrayList<>();
    for (String k : keys) {
      BiFunction<Long, Long, ThreatModel> f = STANDARD.get(k);
      ThreatModelProvider p = providers().stream().filter(x -> x.keys().contains(k)).findFirst().orElse(null);
      if (f == null && p == null) {
        throw new IllegalArgumentException("threat model '" + k + "' is unknown; known: " + String.join(", ", keys()));
      }
      out.add(f != null ? f.apply(seed, maxQueries) : p.create(k, seed, maxQueries));
    }
    return out;
  }

  /** Every threat model of the standard card. */
  public static List<ThreatModel> standard(long seed, long maxQueries) {
    return standard(keys(), seed, maxQueries);
  }

  private static long capped(long budget, long cap) {
    return cap > 0 ? Math.min(budget, cap) : budget;
  }
}
