package dev.pixelguard.attack;

import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An attack run on another model (the surrogate) and judged on the one under evaluation: a transfer attack.
 * Two uses: an attack that <em>ignores</em> a defence (run on the undefended model, each goal replaced by
 * {@link Goal#undefended()}, then checked through the defended system), and transfer between independently
 * trained models (a one-pixel adversarial of ResNet-20 shown to ResNet-32). Success is decided, as always, by
 * the final check of the returned image on the model under evaluation.
 *
 * <pre>{@code
 * Attack<Classifier> oblivious = new TransferAttack<>(GuidedPixelAttack.builder().build(), undefended);
 * EvaluationResult r = Evaluation.of(gate.asClassifier(), data, oblivious).targets(new Targets.Harm(k, null)).run();
 * }</pre>
 *
 * @param <S> the surrogate's type, which the inner attack needs
 */
public final class TransferAttack<S extends Classifier> implements Attack<Classifier> {
  private final Attack<? super S> inner;
  private final S surrogate;

  /**
   * @param inner the attack, run on {@code surrogate}
   * @param surrogate the model the attack sees; not closed by this attack
   */
  public TransferAttack(Attack<? super S> inner, S surrogate) {
    this.inner = Objects.requireNonNull(inner);
    this.surrogate = Objects.requireNonNull(surrogate);
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public Class<Classifier> modelType() {
    return Classifier.class;
  }

  @Override
  public String describe() {
    return inner.describe() + ", run on " + surrogate.info().name() + " and judged on the model evaluated";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> s = new LinkedHashMap<>(inner.settings());
    s.put("transferFrom", surrogate.info().name());
    return s;
  }

  @Override
  public boolean seeded() {
    return inner.seeded();
  }

  @Override
  public List<AttackResult> run(Classifier model, List<AttackTask> tasks, Execution execution,
      Consumer<AttackResult> onResult) {
    List<Scores> clean = score(surrogate, originals(tasks), execution.batchSize());
    List<AttackTask> onSurrogate = new ArrayList<>(tasks.size());
    for (int t = 0; t < tasks.size(); t++) {
      AttackTask task = tasks.get(t);
      onSurrogate.add(new AttackTask(task.id(), task.image(), task.goal().undefended(), clean.get(t), task.seed()));
    }
    List<AttackResult> found = runOn(inner, surrogate, onSurrogate, execution);
    List<float[]> proposed = new ArrayList<>(found.size());
    for (AttackResult r : found) {
      proposed.add(r.adversarialValues());
    }
    List<Scores> checks = score(model, proposed, tasks.isEmpty() ? 1 : execution.batchSize());
    List<AttackResult> out = new ArrayList<>(tasks.size());
    for (int t = 0; t < tasks.size(); t++) {
      AttackResult r = found.get(t);
      AttackResult judged = AttackResult.judge(tasks.get(t),
          new Proposal(proposed.get(t), r.cost(), r.fitness(), r.findings()), checks.get(t));
      out.add(judged);
      onResult.accept(judged);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Classifier> List<AttackResult> runOn(Attack<T> attack, Classifier model,
      List<AttackTask> tasks, Execution execution) {
    return attack.run((T) model, tasks, execution, r -> {});
  }

  private static List<float[]> originals(List<AttackTask> tasks) {
    List<float[]> out = new ArrayList<>(tasks.size());
    for (AttackTask t : tasks) {
      float[] v = new float[t.image().channels() * t.image().height() * t.image().width()];
      t.image().writeUnit(v, 0);
      out.add(v);
    }
    return out;
  }

  /** One row of scores per image, sent in batches of at most {@code batchSize}. */
  private static List<Scores> score(Classifier model, List<float[]> images, int batchSize) {
    List<Scores> out = new ArrayList<>(images.size());
    int c = model.info().channels();
    int h = model.info().height();
    int w = model.info().width();
    int per = c * h * w;
    for (int from = 0; from < images.size(); from += batchSize) {
      int n = Math.min(batchSize, images.size() - from);
      float[] data = new float[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(images.get(from + i), 0, data, i * per, per);
      }
      Scores s = model.classify(ImageBatch.wrap(n, c, h, w, data));
      for (int i = 0; i < n; i++) {
        out.add(s.slice(i, i + 1));
      }
    }
    return out;
  }
}
