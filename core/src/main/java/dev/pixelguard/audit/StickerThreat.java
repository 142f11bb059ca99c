package dev.pixelguard.audit;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.Sticker;
import dev.pixelguard.attack.patch.StickerEvaluation;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.model.Classifier;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The universal sticker as a threat model: one sticker, learned beforehand on other images, stuck on every audited
 * image once, each seen through its own random camera (placement, rotation, scale, lighting, blur, noise, JPEG)
 * drawn from {@code conditions} with the audit's seed. An image counts as won when the system then answers the
 * sticker's target (a gate: accepts it as the target). Its clean state is the same camera's view without the
 * sticker, so the camera's own effect is not charged to the sticker.
 *
 * @param sticker the sticker's values
 * @param target the class it aims at, or -1 for any wrong class
 * @param targetName the target's name for people, or null
 * @param conditions the distribution of each view's camera
 * @param seed the root seed of the views (independent of the sticker's training streams)
 * @param origin where the sticker came from (its file, and what it was trained on)
 */
public record StickerThreat(Sticker sticker, int target, String targetName, Conditions conditions, long seed,
    String origin) implements ThreatModel {

  public StickerThreat {
    Objects.requireNonNull(sticker, "sticker");
    Objects.requireNonNull(conditions, "conditions");
  }

  @Override
  public String name() {
    return "universal " + sticker.size() + "x" + sticker.size() + " sticker";
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "one sticker for every image (%s), %s, seen through a random camera: %s",
        origin, target < 0 ? "any wrong class" : "target '" + (targetName == null ? target : targetName) + "'",
        conditions.describe());
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", "universal sticker");
    m.put("size", sticker.size());
    m.put("target", target);
    m.put("origin", origin);
    m.put("conditions", conditions.describe());
    m.put("views per image", 1);
    m.put("seed", seed);
    return m;
  }

  @Override
  public ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress) {
    long t0 = System.nanoTime();
    StickerEvaluation.Result r = StickerEvaluation.evaluate(system, images.images(), sticker, conditions, target, seed, 1);
    int n = r.outcomes().size();
    int[] labels = new int[n];
    int[] clean = new int[n];
    int[] after = new int[n];
    boolean[] won = new boolean[n];
    for (int i = 0; i < n; i++) {
      StickerEvaluation.Outcome o = r.outcomes().get(i);
      labels[i] = o.label();
      clean[i] = o.cleanPredicted();
      after[i] = o.stickerPredicted();
      won[i] = o.reached();
    }
    ThreatOutcome t = ThreatOutcome.ofClasses(labels, clean, after, system.info().abstainClass(), won, 2L * n,
        (System.nanoTime() - t0) / 1e9);
    if (progress != null) {
      progress.step(t.attacked(), t.attacked(), t.fooled());
    }
    return t;
  }
}
