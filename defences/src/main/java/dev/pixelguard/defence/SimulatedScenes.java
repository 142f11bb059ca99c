package dev.pixelguard.defence;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Evaluating a gate that also looks at another frame of the scene ({@link Gate.View#otherFrame()}) on data that
 * hold one image per scene: each scene's second frame is simulated from its clean image by a {@link Camera}, and
 * the attacker, who controls the image, never controls that frame.
 *
 * <ul>
 *   <li>{@link #classifier()} is the defended system to evaluate: each image it is given is decided on together
 *       with the second frame the camera derives from it. That is right for clean images (the clean pass of an
 *       evaluation), and only for them: a changed image would bring a changed frame.
 *   <li>{@link #attack(Attack)} wraps an attack so that it attacks each task with that task's frame fixed: the
 *       frame of its clean image, the one the clean pass saw. It runs the inner attack one task at a time on the
 *       evaluated classifier, during which that classifier decides every query (and the final check) with the
 *       task's frame; so the attack knows the defence (its goal is harm through the whole gate) and can change
 *       only the image. Each task runs alone, so its outcome depends only on the task, never on the others or on
 *       the batch size; the query counts are the evaluated classifier's, as for any attack.
 * </ul>
 *
 * <pre>{@code
 * SimulatedScenes scenes = new SimulatedScenes(gate, Camera.DEFAULT.withSeed(1));
 * EvaluationResult r = Evaluation.of(scenes.classifier(), data, scenes.attack(GuidedPixelAttack.builder().build()))
 *     .targets(new Targets.Harm(gate.abstainClass(), null)).run();
 * }</pre>
 */
public final class SimulatedScenes {
  private final Gate gate;
  private final Camera camera;
  private final ThreadLocal<float[]> bound = new ThreadLocal<>();
  private final Classifier classifier;

  /**
   * @param gate a gate that looks at another frame (not closed here)
   * @param camera how the second frame is derived from the clean image
   */
  public SimulatedScenes(Gate gate, Camera camera) {
    this.gate = Objects.requireNonNull(gate);
    this.camera = Objects.requireNonNull(camera);
    if (!gate.looksAtOtherFrame()) {
      throw new IllegalArgumentException("the gate looks at no other frame; evaluate gate.asClassifier()");
    }
    this.classifier = GatedClassifier.of(gate, this::framesFor);
  }

  public Gate gate() {
    return gate;
  }

  public Camera camera() {
    return camera;
  }

  /**
   * The defended system: each image with the second frame the camera derives from it, or, while an attack made
   * by {@link #attack} works on a task on this thread, with that task's frame. A gradient classifier when every
   * view of the image has gradients.
   */
  public Classifier classifier() {
    return classifier;
  }

  /** The scenes' second frames of a batch of clean images. */
  public ImageBatch secondFrames(ImageBatch clean) {
    return camera.secondFrames(clean);
  }

  private ImageBatch framesFor(ImageBatch images) {
    float[] frame = bound.get();
    return frame == null ? camera.secondFrames(images) : Gate.repeat(frame, images);
  }

  /**
   * {@code inner}, run one task at a time against {@link #classifier()} with the task's second frame fixed: the
   * frame of the task's clean image. Give the result to an evaluation of {@link #classifier()}.
   */
  public <M extends Classifier> Attack<M> attack(Attack<M> inner) {
    return new FrameBound<>(inner);
  }

  private final class FrameBound<M extends Classifier> implements Attack<M> {
    private final Attack<M> inner;

    FrameBound(Attack<M> inner) {
      this.inner = Objects.requireNonNull(inner);
    }

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public Class<M> modelType() {
      return inner.modelType();
    }

    @Override
    public String describe() {
      return inner.describe() + "; the scene's second frame fixed, not the attacker's";
    }

    @Override
    public Map<String, Object> settings() {
      Map<String, Object> s = new LinkedHashMap<>(inner.settings());
      s.put("secondFrame", camera.describe());
      return s;
    }

    @Override
    public boolean seeded() {
      return inner.seeded();
    }

    @Override
    public List<AttackResult> run(M model, List<AttackTask> tasks, Execution execution,
        Consumer<AttackResult> onResult) {
      List<AttackResult> out = new ArrayList<>(tasks.size());
      for (AttackTask task : tasks) {
        ImageBatch clean = ImageBatch.of(List.of(task.image()));
        float[] frame = new float[clean.imageLength()];
        camera.secondFrames(clean).copyTo(frame, 0);
        AttackResult r;
        float[] before = bound.get();
        bound.set(frame);
        try {
          r = inner.run(model, List.of(task), execution, x -> {}).get(0);
        } finally {
          if (before == null) {
            bound.remove();
          } else {
            bound.set(before);
          }
        }
        out.add(r);
        onResult.accept(r);
      }
      return out;
    }
  }
}
