package dev.pixelguard.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.pixel.PixelAttackResult;
import dev.pixelguard.attack.pixel.SparseAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.ImageFiles;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.CountingClassifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Targeted attacks from every correctly classified image toward every other class, as in Su et al.'s
 * original-to-target success matrix: which classes one pixel can turn into which.
 */
public final class TargetedEvaluation {
  private TargetedEvaluation() {}

  /**
   * @param model the model's info
   * @param dataset the dataset's name
   * @param attack the attack's settings
   * @param results one result per (image, target) pair, images in dataset order, targets ascending
   * @param imageIndex the dataset index of each result's image
   * @param totalQueries images sent to the model, the clean pass included
   * @param wallNanos wall time, in nanoseconds
   */
  public record Result(ModelInfo model, String dataset, Map<String, Object> attack, List<PixelAttackResult> results,
      List<Integer> imageIndex, long totalQueries, long wallNanos) {
    public Result {
      attack = new LinkedHashMap<>(attack);
      results = List.copyOf(results);
      imageIndex = List.copyOf(imageIndex);
    }

    /** [K][K] successes from original class (row) to target (column). */
    public int[][] successes() {
      return count(true);
    }

    /** [K][K] attacks tried from original class (row) to target (column). */
    public int[][] tried() {
      return count(false);
    }

    private int[][] count(boolean onlySuccess) {
      int k = model.numClasses();
      int[][] m = new int[k][k];
      for (PixelAttackResult r : results) {
        if (!onlySuccess || r.success()) {
          m[r.cleanClass()][((Goal.Targeted) r.goal()).target()]++;
        }
      }
      return m;
    }

    /** Successful pairs over pairs tried, in [0, 1]. */
    public double successRate() {
      return results.isEmpty() ? Double.NaN
          : (double) results.stream().filter(PixelAttackResult::success).count() / results.size();
    }

    /** Images with at least one successful target. */
    public long imagesWithAnyTarget() {
      return results.stream().filter(PixelAttackResult::success).map(PixelAttackResult::imageId).distinct().count();
    }
  }

  /** Attacks every correctly classified image toward each of the other K - 1 classes. */
  public static Result run(Classifier classifier, Dataset data, SparseAttack attack, int batchSize, int concurrency,
      Evaluation.Listener listener) {
    long t0 = System.nanoTime();
    CountingClassifier counted = new CountingClassifier(classifier);
    List<Scores> clean = CleanPass.score(counted, data, batchSize);
    int k = classifier.info().numClasses();
    List<SparseAttack.Task> tasks = new ArrayList<>();
    List<Integer> index = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      LabeledImage li = data.get(i);
      if (li.hasLabel() && clean.get(i).top(0) == li.label()) {
        for (int t = 0; t < k; t++) {
          if (t != li.label()) {
            tasks.add(new SparseAttack.Task(li.id(), li.image(), new Goal.Targeted(t), clean.get(i)));
            index.add(i);
          }
        }
      }
    }
    int[] done = {0, 0};
    List<PixelAttackResult> rs = tasks.isEmpty() ? List.of() : attack.run(counted, tasks, batchSize, concurrency, r -> {
      done[0]++;
      done[1] += r.success() ? 1 : 0;
      if (listener != null) {
        listener.attacked(r, done[0], tasks.size(), done[1]);
      }
    });
    Map<String, Object> settings = attack.settings();
    settings.put("goal", "targeted, every other class");
    settings.put("batchSize", batchSize);
    settings.put("concurrency", concurrency);
    return new Result(classifier.info(), data.name(), settings, rs, index, counted.queries(), System.nanoTime() - t0);
  }

  /** The result as JSON (docs/results-schema.md, "targeted"), written atomically. */
  public static void write(Result r, Path file) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = ResultsJson.newTree("targeted");
    ObjectNode m = root.putObject("model");
    m.put("name", r.model().name());
    ArrayNode classes = m.putArray("classes");
    r.model().classNames().forEach(classes::add);
    root.putObject("dataset").put("name", r.dataset());
    ObjectNode attack = root.putObject("attack");
    r.attack().forEach(attack::putPOJO);
    ObjectNode s = root.putObject("summary");
    s.put("pairs", r.results().size());
    s.put("successes", r.results().stream().filter(PixelAttackResult::success).count());
    s.put("successRate", r.successRate());
    s.put("imagesWithAnyTarget", r.imagesWithAnyTarget());
    s.put("totalQueries", r.totalQueries());
    s.put("seconds", r.wallNanos() / 1e9);
    putMatrix(root.putArray("successes"), r.successes());
    putMatrix(root.putArray("tried"), r.tried());
    ArrayNode pairs = root.putArray("pairs");
    for (int i = 0; i < r.results().size(); i++) {
      PixelAttackResult a = r.results().get(i);
      ObjectNode p = pairs.addObject();
      p.put("index", r.imageIndex().get(i));
      p.put("id", a.imageId());
      p.put("label", a.cleanClass());
      p.put("target", ((Goal.Targeted) a.goal()).target());
      p.put("success", a.success());
      p.put("adversarialClass", a.adversarialClass());
      p.put("adversarialConfidence", a.adversarialConfidence());
      p.put("queries", a.queries());
      p.put("firstSuccessQuery", a.firstSuccessQuery());
      ArrayNode px = p.putArray("pixels");
      for (PixelChange c : a.changes()) {
        ObjectNode o = px.addObject().put("x", c.x()).put("y", c.y());
        ArrayNode after = o.putArray("after");
        for (int v : c.after()) {
          after.add(v);
        }
      }
    }
    ImageFiles.writeAtomically(file, out -> json.writerWithDefaultPrettyPrinter().writeValue(out, root));
  }

  private static void putMatrix(ArrayNode a, int[][] m) {
    for (int[] row : m) {
      ArrayNode r = a.addArray();
      for (int v : row) {
        r.add(v);
      }
    }
  }
}
