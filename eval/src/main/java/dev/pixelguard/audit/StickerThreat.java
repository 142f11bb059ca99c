package dev.pixelguard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.patch.Conditions;
import dev.pixelguard.attack.patch.Sticker;
import dev.pixelguard.attack.patch.StickerEvaluation;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    m.put("values", fingerprint(sticker));
    m.put("conditions", conditions.describe());
    m.put("views per image", 1);
    m.put("seed", seed);
    return m;
  }

  /**
   * The first 16 hex digits of the SHA-256 of the sticker's values: two stickers of one name and origin (trained
   * again, say) differ in it, so a resumed audit cannot mix them.
   */
  static String fingerprint(Sticker s) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * s.values().length);
    for (float v : s.values()) {
      b.putFloat(v);
    }
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(b.array());
      return java.util.HexFormat.of().formatHex(h, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Refuses, in one line, a sticker that cannot be used against a model with {@code info} (the reference model of
   * the audit, before any threat model runs): a target that is not one of its classes, or a sticker whose
   * channels are not those of the model's images.
   *
   * @throws InputException if it cannot
   */
  public void check(ModelInfo info) {
    int classes = info.abstainClass() >= 0 ? info.numClasses() - 1 : info.numClasses();
    if (target < -1 || target >= classes) {
      throw new InputException("the sticker's target is class " + target + ", which is not one of the model's "
          + classes + " classes (0 to " + (classes - 1) + ")");
    }
    if (sticker.channels() != info.channels()) {
      throw new InputException("the sticker has " + sticker.channels() + " channel(s), the model's images "
          + info.channels() + "; train it on this model's images ('sticker train')");
    }
  }

  /** Images stuck and scored per step: each step's outcomes go to the journal before the next starts. */
  private static final int STEP = 128;

  /** The goal under which the journal keeps an image's outcome. */
  private static final String GOAL = "universal sticker";

  @Override
  public ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress,
      Journal journal) {
    long t0 = System.nanoTime();
    int n = images.size();
    String[] ids = new String[n];
    int[] labels = new int[n];
    int[] clean = new int[n];
    int[] after = new int[n];
    boolean[] won = new boolean[n];
    // one pass, reading each image once (a lazy dataset decodes it then): an image the journal has is taken from
    // it, the others are scored in steps of STEP, each step's outcomes journaled before the next is read
    List<Integer> step = new ArrayList<>();
    List<LabeledImage> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LabeledImage li = images.get(i);
      ids[i] = li.id();
      JsonNode earlier = journal == null ? null : journal.finishedOutcome(li.id(), GOAL);
      if (earlier == null) {
        step.add(i);
        batch.add(li);
      } else {
        labels[i] = earlier.path("label").asInt();
        clean[i] = earlier.path("clean").asInt();
        after[i] = earlier.path("after").asInt();
        won[i] = earlier.path("won").asBoolean();
      }
      if (batch.size() < STEP && (i < n - 1 || batch.isEmpty())) {
        continue;
      }
      // every view is seeded by the image's id: a step's outcomes are those of one evaluation over every image
      StickerEvaluation.Result r = StickerEvaluation.evaluate(system, batch, sticker, conditions, target, seed, 1);
      for (int k = 0; k < step.size(); k++) {
        int j = step.get(k);
        StickerEvaluation.Outcome o = r.outcomes().get(k);
        labels[j] = o.label();
        clean[j] = o.cleanPredicted();
        after[j] = o.stickerPredicted();
        won[j] = o.reached();
        if (journal != null) {
          ObjectNode line = JsonNodeFactory.instance.objectNode();
          line.put("label", labels[j]);
          line.put("clean", clean[j]);
          line.put("after", after[j]);
          line.put("won", won[j]);
          journal.recordOutcome(ids[j], GOAL, line);
        }
      }
      step = new ArrayList<>();
      batch = new ArrayList<>();
    }
    ThreatOutcome t = ThreatOutcome.ofClasses(ids, labels, clean, after, system.info().abstainClass(), won, 2L * n,
        (System.nanoTime() - t0) / 1e9);
    if (progress != null) {
      progress.step(t.attacked(), t.attacked(), t.fooled());
    }
    return t;
  }
}
