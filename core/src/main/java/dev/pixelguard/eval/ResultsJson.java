package dev.pixelguard.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.ModelInfo;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes an {@link EvaluationResult} as JSON (schema: docs/results-schema.md). Written through a temporary
 * file and moved into place, so a failed run never leaves half a file.
 */
public final class ResultsJson {
  /** Schema version written in every file; bumped on incompatible changes. */
  public static final int SCHEMA = 1;
  /** The budgets at which success rates are reported. */
  public static final long[] BUDGETS = {100, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 40_000};

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  /** The result as a JSON tree. */
  public static ObjectNode toJson(EvaluationResult r) {
    ObjectNode root = head(null, r.model(), r.modelGivesLogits(), r.dataset(), r.evaluated(), r.attack());
    ObjectNode s = root.putObject("summary");
    s.put("evaluated", r.evaluated());
    s.put("cleanCorrect", r.cleanCorrect());
    number(s, "cleanAccuracy", r.cleanAccuracy());
    s.put("attacked", r.attacked().size());
    s.put("successes", r.successes());
    number(s, "successRate", r.successRate());
    number(s, "robustAccuracy", r.robustAccuracy());
    number(s, "accuracyUnderAttack", r.accuracyUnderAttack());
    number(s, "meanAdversarialConfidence", r.meanAdversarialConfidence());
    number(s, "meanQueriesOnSuccess", r.meanQueriesOnSuccess());
    number(s, "medianQueriesOnSuccess", r.medianQueriesOnSuccess());
    s.put("attackQueries", r.attackQueries());
    s.put("totalQueries", r.totalQueries());
    number(s, "seconds", r.wallNanos() / 1e9);
    number(s, "modelSeconds", r.modelNanos() / 1e9);
    ObjectNode curve = s.putObject("successRateByBudget");
    for (long b : BUDGETS) {
      number(curve, Long.toString(b), r.successRateAt(b));
    }
    transitions(root, r.transitions());
    ArrayNode images = root.putArray("images");
    for (EvaluationResult.ImageOutcome o : r.images()) {
      ObjectNode im = images.addObject();
      im.put("index", o.index());
      im.put("id", o.id());
      im.put("label", o.label());
      im.put("cleanClass", o.cleanClass());
      number(im, "cleanConfidence", o.cleanConfidence());
      im.put("attacked", o.attacked());
      if (o.skipped() != null) {
        im.put("skipped", o.skipped());
      }
      PixelAttackResult a = o.result();
      if (a != null) {
        im.put("goal", a.goal() instanceof Goal.Targeted t ? "target " + t.target() : "untargeted");
        im.put("success", a.success());
        im.put("adversarialClass", a.adversarialClass());
        number(im, "adversarialConfidence", a.adversarialConfidence());
        number(im, "trueClassProbabilityAfter", a.adversarialProbabilities()[o.label()]);
        im.put("queries", a.queries());
        im.put("firstSuccessQuery", a.firstSuccessQuery());
        number(im, "fitness", a.fitness());
        number(im, "seconds", a.seconds());
        im.put("seed", a.seed());
        im.put("image", ImageFiles.pngBase64(a.original()));
        ArrayNode px = im.putArray("pixels");
        for (PixelChange c : a.changes()) {
          ObjectNode p = px.addObject();
          p.put("x", c.x());
          p.put("y", c.y());
          ArrayNode before = p.putArray("before");
          for (int v : c.before()) {
            before.add(v);
          }
          ArrayNode after = p.putArray("after");
          for (int v : c.after()) {
            after.add(v);
          }
        }
      }
    }
    return root;
  }

  /**
   * A gradient attack's result as a JSON tree: the same layout as a pixel attack's, with {@code "kind":
   * "gradient"}, perturbation sizes instead of pixels and queries, and each attacked image's adversarial
   * version (8-bit PNG) beside its original.
   */
  public static ObjectNode toJson(GradientEvaluationResult r) {
    ObjectNode root = head("gradient", r.model(), r.modelGivesLogits(), r.dataset(), r.evaluated(), r.attack());
    ObjectNode s = root.putObject("summary");
    s.put("evaluated", r.evaluated());
    s.put("cleanCorrect", r.cleanCorrect());
    number(s, "cleanAccuracy", r.cleanAccuracy());
    s.put("attacked", r.attackedCount());
    s.put("successes", r.successes());
    number(s, "successRate", r.successRate());
    number(s, "robustAccuracy", r.robustAccuracy());
    number(s, "accuracyUnderAttack", r.accuracyUnderAttack());
    number(s, "meanAdversarialConfidence", r.meanAdversarialConfidence());
    number(s, "meanLinfOnSuccess", r.meanLinfOnSuccess());
    number(s, "meanL2OnSuccess", r.meanL2OnSuccess());
    s.put("gradients", r.gradients());
    number(s, "seconds", r.wallNanos() / 1e9);
    transitions(root, r.transitions());
    ArrayNode images = root.putArray("images");
    for (GradientEvaluationResult.Outcome o : r.images()) {
      ObjectNode im = images.addObject();
      im.put("index", o.index());
      im.put("id", o.id());
      im.put("label", o.label());
      im.put("cleanClass", o.cleanClass());
      number(im, "cleanConfidence", o.cleanConfidence());
      im.put("attacked", o.attacked());
      if (!o.attacked()) {
        im.put("skipped", o.skipped());
        continue;
      }
      im.put("goal", r.attack().containsKey("target") ? "target " + r.attack().get("target") : "untargeted");
      im.put("success", o.success());
      im.put("adversarialClass", o.adversarialClass());
      number(im, "adversarialConfidence", o.adversarialConfidence());
      if (o.label() >= 0) {
        number(im, "trueClassProbabilityAfter", o.adversarialProbabilities()[o.label()]);
      }
      number(im, "linf", o.linf());
      number(im, "l2", o.l2());
      im.put("image", ImageFiles.pngBase64(o.original()));
      im.put("adversarialImage", ImageFiles.pngBase64(o.adversarial()));
    }
    return root;
  }

  /**
   * A new results tree: schema version, tool and, unless null, its kind ("gradient", "comparison", ...; a
   * pixel attack's evaluation has none).
   */
  public static ObjectNode newTree(String kind) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("tool", "pixelguard");
    if (kind != null) {
      root.put("kind", kind);
    }
    return root;
  }

  /** The parts every evaluation's tree starts with: header, model, dataset and attack settings. */
  private static ObjectNode head(String kind, ModelInfo info, boolean logits, String dataset, int images,
      Map<String, Object> settings) {
    ObjectNode root = newTree(kind);
    ObjectNode model = root.putObject("model");
    model.put("name", info.name());
    model.put("input", info.inputShape());
    model.put("logits", logits);
    ArrayNode classes = model.putArray("classes");
    info.classNames().forEach(classes::add);
    root.putObject("dataset").put("name", dataset).put("images", images);
    ObjectNode attack = root.putObject("attack");
    for (Map.Entry<String, Object> e : settings.entrySet()) {
      attack.putPOJO(e.getKey(), e.getValue());
    }
    return root;
  }

  private static void transitions(ObjectNode root, int[][] counts) {
    ArrayNode matrix = root.putArray("transitions");
    for (int[] row : counts) {
      ArrayNode a = matrix.addArray();
      for (int v : row) {
        a.add(v);
      }
    }
  }

  /** Puts {@code v}, or null when it is not finite (a mean over nothing). */
  public static void number(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  /** Writes the result to {@code file} atomically. */
  public static void write(EvaluationResult r, Path file) {
    write(toJson(r), file);
  }

  /** Writes a tree made by {@link #toJson} to {@code file} atomically. */
  public static void write(ObjectNode tree, Path file) {
    ImageFiles.writeAtomically(file, out -> JSON.writeValue(out, tree));
  }
}
