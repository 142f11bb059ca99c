package dev.pixelguard.attack;

import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one attack contract. An attack takes a model and images with their goals and returns one
 * {@link AttackResult} per image, whose success is decided by a final check of the returned image. Every
 * attack (Su et al.'s differential evolution, pixelguard's guided search, the exhaustive scan, FGSM, PGD,
 * and later ones) is an {@code Attack}; evaluations, reports and the command line handle them alike.
 *
 * <pre>{@code
 * Attack<Classifier> attack = GuidedPixelAttack.builder().build();
 * AttackResult r = attack.run(classifier, "cat.png", image, new Goal.Untargeted(label), 7);
 * if (r.success()) ImageFiles.writePng(r.adversarial(), Path.of("adv.png"));
 * }</pre>
 *
 * @param <M> the kind of model it needs: {@link Classifier} for black-box attacks, or
 *     {@link dev.pixelguard.model.GradientClassifier} for white-box ones, so misuse fails to compile
 */
public interface Attack<M extends Classifier> {

  /** Short name, as on the command line: "guided", "su", "scan", "fgsm", "pgd". */
  String name();

  /** The kind of model this attack needs. */
  Class<M> modelType();

  /** One line for people: the method and its main settings, e.g. "pgd, L-inf eps 0.0314, 10 steps of 0.00784". */
  String describe();

  /** The settings by name, for results files and reports. */
  Map<String, Object> settings();

  /**
   * Whether the attack makes random choices (from each task's seed). Deterministic attacks (FGSM, the exhaustive
   * scan) ignore the seeds, so a run's root seed says nothing about them and is not shown with them.
   */
  default boolean seeded() {
    return true;
  }

  /**
   * Attacks many images. Each image's outcome depends only on the task (image, goal, seed) and the model,
   * never on {@code execution} or the other tasks.
   *
   * @param onResult called on this thread as each image finishes (in finishing order)
   * @return results in task order
   */
  List<AttackResult> run(M model, List<AttackTask> tasks, Execution execution, Consumer<AttackResult> onResult);

  /**
   * Attacks one image with identity {@code id}: one clean prediction, then the attack. The image's seed derives
   * from {@code rootSeed} and {@code id} ({@link Seeds}), as in an evaluation of many images.
   */
  default AttackResult run(M model, String id, Image image, Goal goal, long rootSeed) {
    AttackTask task = AttackTask.of(id, image, goal, model.classify(ImageBatch.of(List.of(image))), rootSeed);
    return run(model, List.of(task), new Execution(400, 1), r -> {}).get(0);
  }

  /** Attacks one image (identity "image") under the default root seed, {@link Seeds#DEFAULT_ROOT}. */
  default AttackResult run(M model, Image image, Goal goal) {
    return run(model, "image", image, goal, Seeds.DEFAULT_ROOT);
  }
}
