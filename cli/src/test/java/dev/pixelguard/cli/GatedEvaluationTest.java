package dev.pixelguard.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.defence.Camera;
import dev.pixelguard.defence.Fallback;
import dev.pixelguard.defence.Gate;
import dev.pixelguard.defence.GateSpec;
import dev.pixelguard.defence.SimulatedScenes;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.image.PixelChange;
import dev.pixelguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's evaluation on the real fixtures and models: shared work, the same decisions. */
class GatedEvaluationTest {

  /** ResNet-20 and ResNet-32 (ONNX), calibrated, each also through {@code views}; product fusion. */
  static GateSpec pair(List<String> views, double minConfidence) {
    return new GateSpec(List.of(new GateSpec.Member(Fixtures.resnetOnnx().toString(), 2.362),
        new GateSpec.Member(Fixtures.resnet32Onnx().toString(), 2.389)), views,
        new Gate.Settings(Gate.Fusion.PRODUCT, false, minConfidence, 1.5, Fallback.ABSTAIN), "abstain", 1, Map.of());
  }

  /**
   * Fixture images 0-59, then 64 one-pixel corner candidates of image 12 (8 positions, 8 colours each, as a scan
   * sends them: colours the impulse filter undoes alike), then images 0-9 again.
   */
  static ImageBatch mixed() {
    Dataset cifar = Fixtures.cifar();
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      images.add(cifar.get(i).image());
    }
    Image twelve = cifar.get(12).image();
    for (int p = 0; p < 8; p++) {
      int x = 4 + 3 * p;
      int y = 10 + p;
      for (int corner = 0; corner < 8; corner++) {
        int[] colour = {(corner >> 2 & 1) * 255, (corner >> 1 & 1) * 255, (corner & 1) * 255};
        images.add(twelve.withPixels(List.of(new PixelChange(x, y, twelve.colour(x, y), colour))));
      }
    }
    for (int i = 0; i < 10; i++) {
      images.add(cifar.get(i).image());
    }
    return ImageBatch.of(images);
  }

  @Test
  void theSharedEvaluationGivesEveryViewTheScoresOfRunningTheViewsOneByOne() {
    // impulse and median are deterministic; crop:0 is the identity; the rescale draws its factor per image
    GateSpec spec = pair(List.of("impulse:0.3", "median:2", "crop:0", "rescale:0.8..0.95"), 0.9);
    ImageBatch batch = mixed();
    try (Gate gate = spec.open(Fixtures.cifar().classNames())) {
      assertEquals(10, gate.views().size());
      List<Gate.Evidence> before = gate.viewByView().assess(batch);
      int accepted = 0;
      for (int threads : new int[] {Runtime.getRuntime().availableProcessors(), 1, 3}) {
        List<Gate.Evidence> after = gate.withParallelism(threads).assess(batch);
        for (int i = 0; i < batch.size(); i++) {
          for (int v = 0; v < 10; v++) {
            assertArrayEquals(before.get(i).views()[v], after.get(i).views()[v],
                "image " + i + ", view " + gate.views().get(v).name() + ", " + threads + " threads");
          }
          assertEquals(before.get(i).decide(gate.settings()), after.get(i).decide(gate.settings()), "image " + i);
          assertArrayEquals(before.get(i).fused(), after.get(i).fused(), "image " + i);
        }
      }
      for (Gate.Evidence e : before) {
        accepted += e.decide(gate.settings()).accepted() ? 1 : 0;
      }
      assertTrue(accepted > 20 && accepted < batch.size(), "the gate accepts some images and not others: "
          + accepted);
      // the gated classifier an attack queries answers alike, in any batch
      ImageBatch firstFive = ImageBatch.wrap(5, 3, 32, 32, slice(batch, 60, 65));
      var whole = gate.asClassifier().classify(batch);
      var part = gate.withParallelism(1).asClassifier().classify(firstFive);
      for (int i = 0; i < 5; i++) {
        assertArrayEquals(whole.probabilities(60 + i), part.probabilities(i));
        assertEquals(whole.logit(60 + i, 10), part.logit(i, 10));
      }
    }
  }

  @Test
  void anAdaptiveSearchThroughTheGateFindsTheSameWhateverTheEvaluationBatchesAndThreads() {
    GateSpec spec = pair(List.of("impulse:0.3"), 0.9);
    Dataset cifar = Fixtures.cifar();
    Dataset four = new Dataset("four", List.of(cifar.get(3), cifar.get(12), cifar.get(25), cifar.get(29)),
        cifar.classNames());
    var guided = GuidedPixelAttack.builder().budget(300).build();
    try (Gate gate = spec.open(cifar.classNames())) {
      Targets harm = new Targets.Harm(gate.abstainClass(), null);
      EvaluationResult before = Evaluation.of(gate.viewByView().asClassifier(), four, guided).targets(harm)
          .execution(new Execution(400, 8)).run();
      EvaluationResult after = Evaluation.of(gate.asClassifier(), four, guided).targets(harm)
          .execution(new Execution(57, 1)).run();
      assertTrue(before.summary().attacked() >= 2, "the gate accepts some of the four correctly");
      assertEquals(before.attempts().size(), after.attempts().size());
      for (int i = 0; i < before.attempts().size(); i++) {
        AttackResult a = before.attempts().get(i);
        AttackResult b = after.attempts().get(i);
        assertEquals(a.success(), b.success(), a.imageId());
        assertArrayEquals(a.adversarialValues(), b.adversarialValues(), a.imageId());
        assertArrayEquals(a.after().probabilities(), b.after().probabilities(), a.imageId());
        assertEquals(a.cost().queries(), b.cost().queries(), a.imageId());
      }
    }
  }

  /** ResNet-20 and ResNet-32 as {@link #pair}, each also looking at the scene's second frame. */
  static GateSpec pairWithFrames(double minConfidence) {
    GateSpec p = pair(List.of(), minConfidence);
    return new GateSpec(p.models(), p.views(), List.of(new GateSpec.FrameView(0, null),
        new GateSpec.FrameView(1, null)), p.settings(), "abstain", 1, Map.of());
  }

  @Test
  void theSecondFrameStopsAHarmThePairAloneAccepts() {
    Dataset cifar = Fixtures.cifar();
    var image = cifar.get(68); // its one-pixel adversarial of ResNet-20 fools ResNet-32 too (docs/benchmarks.md)
    try (Gate pair = pair(List.of(), 0.9385).open(cifar.classNames());
        Gate framed = pairWithFrames(0.9385).open(cifar.classNames())) {
      AttackResult flip = GuidedPixelAttack.builder().build().run(pair.views().get(0).classifier(), image.id(),
          image.image(), new dev.pixelguard.attack.Goal.Untargeted(image.label()), 1);
      assertTrue(flip.success());
      ImageBatch clean = ImageBatch.of(List.of(image.image()));
      ImageBatch adversarial = ImageBatch.of(List.of(flip.adversarial()));
      ImageBatch frame = Camera.DEFAULT.secondFrames(clean);
      assertTrue(pair.decide(clean).get(0).accepted());
      var harmed = pair.decide(adversarial).get(0);
      assertTrue(harmed.accepted() && harmed.predicted() != image.label(), "the pair accepts a wrong class: " + harmed);
      var withFrame = framed.decide(clean, frame).get(0);
      assertTrue(withFrame.accepted() && withFrame.predicted() == image.label(), withFrame.toString());
      var stopped = framed.decide(adversarial, frame).get(0);
      assertTrue(!stopped.accepted() || stopped.predicted() == image.label(),
          "the views of the unattacked frame hold the decision: " + stopped);
    }
  }

  @Test
  void anAttackOnTheFramedGateNeverChangesTheFrameAndEachImagesOutcomeIsItsOwn() {
    Dataset cifar = Fixtures.cifar();
    Dataset three = new Dataset("three", List.of(cifar.get(3), cifar.get(12), cifar.get(68)), cifar.classNames());
    Dataset one = new Dataset("one", List.of(cifar.get(68)), cifar.classNames());
    var guided = GuidedPixelAttack.builder().budget(400).build();
    try (Gate gate = pairWithFrames(0.9).open(cifar.classNames())) {
      SimulatedScenes scenes = new SimulatedScenes(gate, Camera.DEFAULT);
      Targets harm = new Targets.Harm(gate.abstainClass(), null);
      EvaluationResult all = Evaluation.of(scenes.classifier(), three, scenes.attack(guided)).targets(harm)
          .execution(new Execution(400, 8)).run();
      EvaluationResult alone = Evaluation.of(scenes.classifier(), one, scenes.attack(guided)).targets(harm)
          .execution(new Execution(33, 1)).run();
      assertTrue(all.summary().attacked() >= 2, "the gate accepts some of the three");
      assertTrue(all.settings().get("secondFrame").toString().startsWith("second frame: the clean image shifted"));
      assertTrue(all.totals().queries() > 400, "the attack's queries are counted on the evaluated system");
      for (AttackResult a : all.attempts()) {
        // the final check saw the adversarial with the second frame of the clean image
        ImageBatch frame = Camera.DEFAULT.secondFrames(ImageBatch.of(List.of(a.original())));
        var check = gate.asClassifier(frame).classify(ImageBatch.of(List.of(a.adversarial())));
        assertArrayEquals(check.probabilities(0), a.after().probabilities(), a.imageId());
      }
      AttackResult together = all.attempts().stream().filter(a -> a.imageId().endsWith("#68")).findFirst()
          .orElseThrow();
      AttackResult single = alone.attempts().get(0);
      assertArrayEquals(together.adversarialValues(), single.adversarialValues());
      assertEquals(together.cost().queries(), single.cost().queries());
      assertEquals(together.success(), single.success());
    }
  }

  private static float[] slice(ImageBatch batch, int from, int to) {
    float[] all = new float[batch.size() * batch.imageLength()];
    batch.copyTo(all, 0);
    return java.util.Arrays.copyOfRange(all, from * batch.imageLength(), to * batch.imageLength());
  }
}
