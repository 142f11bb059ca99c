package dev.pixelguard.defence;

import dev.pixelguard.transform.Transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Goal;
import dev.pixelguard.attack.Objective;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate's decision logic on views whose answers are stated (the real-model tests are in pixelguard-onnx). */
class GateTest {

  /**
   * A view answering the stated probabilities for image i (the image whose first value is i / 10), by content as
   * a model does: the gate may score equal images once and may split or regroup batches.
   */
  private static Classifier stated(String name, float[]... rows) {
    ModelInfo info = new ModelInfo(1, 2, 2, 3, List.of("a", "b", "c"), name);
    return new Classifier() {
      @Override
      public ModelInfo info() {
        return info;
      }

      @Override
      public Scores classify(ImageBatch batch) {
        float[][] p = new float[batch.size()][];
        for (int i = 0; i < p.length; i++) {
          p[i] = rows[Math.round(batch.get(i, 0, 0, 0) * 10)].clone();
        }
        return Scores.fromProbabilities(p);
      }
    };
  }

  private static final ImageBatch THREE = ImageBatch.wrap(3, 1, 2, 2, new float[] {0, 0, 0, 0, 0.1f, 0, 0, 0, 0.2f,
      0, 0, 0});

  private static Gate gate(Gate.Fusion fusion, boolean alarm, double minConf, double maxSqueeze, Classifier... v) {
    List<Gate.View> views = new java.util.ArrayList<>();
    for (Classifier c : v) {
      views.add(new Gate.View(c.info().name(), c));
    }
    return new Gate(views, new Gate.Settings(fusion, alarm, minConf, maxSqueeze, Fallback.ABSTAIN), List.of());
  }

  // image 0: both views say a; image 1: they disagree (a vs b); image 2: both say c, but weakly
  private static final Classifier V1 = stated("v1", new float[] {0.9f, 0.05f, 0.05f}, new float[] {0.6f, 0.3f, 0.1f},
      new float[] {0.3f, 0.3f, 0.4f});
  private static final Classifier V2 = stated("v2", new float[] {0.8f, 0.1f, 0.1f}, new float[] {0.3f, 0.6f, 0.1f},
      new float[] {0.3f, 0.25f, 0.45f});

  @Test
  void allAgreeAbstainsOnDisagreementAndLowConfidence() {
    List<Decision> d = gate(Gate.Fusion.ALL_AGREE, false, 0.5, Double.POSITIVE_INFINITY, V1, V2).decide(THREE);
    assertTrue(d.get(0).accepted());
    assertEquals(0, d.get(0).predicted());
    assertEquals(0.85, d.get(0).confidence(), 1e-6);
    assertFalse(d.get(1).accepted());
    assertTrue(d.get(1).reasons().get(0).startsWith("views disagree"), d.get(1).reasons().toString());
    assertFalse(d.get(2).accepted());
    assertEquals(2, d.get(2).predicted());
    assertEquals(1, d.get(2).reasons().size());
    assertTrue(d.get(2).reasons().get(0).startsWith("confidence 0.4250 below 0.5000"));
    assertEquals(-1, d.get(2).action());
  }

  @Test
  void productFusesWithoutRequiringAgreementUnlessAlarmed() {
    Gate product = gate(Gate.Fusion.PRODUCT, false, 0, Double.POSITIVE_INFINITY, V1, V2);
    List<Decision> d = product.decide(THREE);
    // image 1: product a = 0.18, b = 0.18, c = 0.01: a tie, kept by the lower index
    assertTrue(d.get(1).accepted());
    assertEquals(0, d.get(1).predicted());
    assertEquals(0.18 / 0.37, d.get(1).confidence(), 1e-6);
    Gate alarmed = gate(Gate.Fusion.PRODUCT, true, 0, Double.POSITIVE_INFINITY, V1, V2);
    assertFalse(alarmed.decide(THREE).get(1).accepted());
  }

  @Test
  void squeezeDetectorFlagsDistantViews() {
    // L1 distances to view 0: image 0: 0.2, image 1: 0.6, image 2: 0.1
    List<Decision> d = gate(Gate.Fusion.PRODUCT, false, 0, 0.3, V1, V2).decide(THREE);
    assertTrue(d.get(0).accepted());
    assertFalse(d.get(1).accepted());
    assertTrue(d.get(1).reasons().get(0).startsWith("squeeze distance 0.6000 above 0.3000"));
    assertTrue(d.get(2).accepted());
  }

  @Test
  void theGatedClassifierPutsAbstainOnTopExactlyWhenTheGateAbstains() {
    for (Gate.Fusion f : Gate.Fusion.values()) {
      Gate g = gate(f, false, 0.5, 0.5, V1, V2);
      Classifier gated = g.asClassifier();
      assertEquals(4, gated.info().numClasses());
      assertEquals("abstain", gated.info().className(3));
      Scores s = gated.classify(THREE);
      List<Decision> d = g.decide(THREE);
      for (int i = 0; i < 3; i++) {
        assertEquals(d.get(i).accepted() ? d.get(i).predicted() : 3, s.top(i), f + " image " + i);
      }
    }
  }

  @Test
  void harmMeansAcceptedAndWrong() {
    Gate g = gate(Gate.Fusion.ALL_AGREE, false, 0.5, Double.POSITIVE_INFINITY, V1, V2);
    Scores s = g.asClassifier().classify(THREE);
    Goal harmA = new Goal.Harm(0, 3); // true class a
    Goal harmB = new Goal.Harm(1, 3); // true class b
    assertFalse(harmA.isMet(s, 0), "accepted and right is no harm");
    assertTrue(harmB.isMet(s, 0), "accepted and wrong is harm");
    assertFalse(harmB.isMet(s, 1), "abstaining is no harm");
    assertFalse(harmB.isMet(s, 2));
    // the search's margin: negative exactly on harm
    assertTrue(harmB.fitness(Objective.MARGIN, s, 0) < 0);
    assertTrue(harmB.fitness(Objective.MARGIN, s, 1) > 0);
    assertEquals(new Goal.Untargeted(1), harmB.undefended());
    assertEquals(harmB, Goal.parse(harmB.describe(), 1));
  }

  /** A model whose answer depends on the image's values only: a softmax of two weighted sums. Counts images. */
  private static final class Linear extends dev.pixelguard.testing.ToyClassifier {
    final float scale;

    Linear(float scale) {
      super(new ModelInfo(1, 2, 2, 3, List.of("a", "b", "c"), "linear"));
      this.scale = scale;
    }

    @Override
    protected float[] logits(ImageBatch batch, int i) {
      return new float[] {scale * (batch.get(i, 0, 0, 0) + 2 * batch.get(i, 0, 1, 1)),
          scale * (batch.get(i, 0, 0, 1) - batch.get(i, 0, 1, 0)), 0.3f};
    }
  }

  /** Sets the first value to 0 (the identity on images whose first value is 0); counts the images it sees. */
  private static final class ZeroFirst implements Transform {
    final java.util.concurrent.atomic.AtomicInteger images = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String name() {
      return "zero-first";
    }

    @Override
    public java.util.Map<String, Object> parameters() {
      return java.util.Map.of();
    }

    @Override
    public void apply(float[] src, int so, int c, int h, int w, float[] dst, int d, long seed) {
      images.incrementAndGet();
      System.arraycopy(src, so, dst, d, c * h * w);
      dst[d] = 0;
    }
  }

  @Test
  void viewsShareTransformsAndScoreEachDistinctImageOnceWithTheAnswersOfRunningThemOneByOne() {
    // 6 images: #1 repeats #0, #3 and #4 have first value 0 (the transform leaves them alone), #5 is #2 with
    // another first value (the transform maps both to the same image)
    float[] v = {0.5f, 0.2f, 0.9f, 0.1f, 0.5f, 0.2f, 0.9f, 0.1f, 0.7f, 0.3f, 0.3f, 0.6f, 0f, 0.8f, 0.4f, 0.2f, 0f, 0.1f,
        0.1f, 0.9f, 0.2f, 0.3f, 0.3f, 0.6f};
    ImageBatch batch = ImageBatch.wrap(6, 1, 2, 2, v);
    for (int threads : new int[] {1, 2, 3}) {
      Linear m1 = new Linear(1);
      Linear m2 = new Linear(-2);
      ZeroFirst t = new ZeroFirst();
      List<Gate.View> views = List.of(new Gate.View("m1", m1),
          new Gate.View("m1 + t", TransformedClassifier.of(m1, t, 1)), new Gate.View("m2", m2),
          new Gate.View("m2 + t", TransformedClassifier.of(m2, t, 1)));
      Gate g = new Gate(views, new Gate.Settings(Gate.Fusion.PRODUCT, false, 0.6, 0.5, Fallback.ABSTAIN), List.of())
          .withParallelism(threads);
      List<Gate.Evidence> shared = g.assess(batch);
      assertEquals(6, t.images.get(), "the transform runs once per image, not once per model");
      // m1 scores 5 distinct plain images and 2 transformed ones no plain image equals (#0 and #2 zeroed)
      assertEquals(7, m1.images.get(), "each distinct image once");
      assertEquals(7, m2.images.get());
      List<Gate.Evidence> each = g.viewByView().assess(batch);
      for (int i = 0; i < 6; i++) {
        for (int view = 0; view < 4; view++) {
          assertTrue(java.util.Arrays.equals(each.get(i).views()[view], shared.get(i).views()[view]),
              "image " + i + " view " + view + " with " + threads + " threads");
        }
        assertEquals(each.get(i).decide(g.settings()), shared.get(i).decide(g.settings()));
        assertEquals(each.get(i).squeeze(), shared.get(i).squeeze());
      }
    }
  }

  @Test
  void aViewOfTheOtherFrameSeesTheFrameAndTheAttackerOfTheImageCannotMoveIt() {
    // image: looks like class b to m1; frame: looks like class a
    ImageBatch image = ImageBatch.wrap(1, 1, 2, 2, new float[] {0, 0.9f, 0, 0});
    ImageBatch frame = ImageBatch.wrap(1, 1, 2, 2, new float[] {0.9f, 0, 0, 0.9f});
    Linear m1 = new Linear(3);
    List<Gate.View> views = List.of(new Gate.View("m1", m1), new Gate.View("m1 on the other frame", m1, true));
    Gate g = new Gate(views, new Gate.Settings(Gate.Fusion.ALL_AGREE, false, 0, Double.POSITIVE_INFINITY,
        Fallback.ABSTAIN), List.of());
    assertTrue(g.looksAtOtherFrame());
    Gate.Evidence e = g.assess(image, frame).get(0);
    assertEquals(1, e.top(0));
    assertEquals(0, e.top(1));
    assertFalse(g.decide(image, frame).get(0).accepted(), "the views of image and frame disagree");
    assertEquals(e.decide(g.settings()), g.viewByView().assess(image, frame).get(0).decide(g.settings()));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.pixelguard.InputException.class,
        () -> g.decide(image)).getMessage().contains("also looks at another frame of the scene"));
    org.junit.jupiter.api.Assertions.assertThrows(dev.pixelguard.InputException.class, g::asClassifier);
    // bound to the frame, every image queried is decided with it: the frame's view never changes
    Classifier bound = g.asClassifier(frame);
    ImageBatch two = ImageBatch.wrap(2, 1, 2, 2, new float[] {0, 0.9f, 0, 0, 0.9f, 0, 0, 0.9f});
    Scores s = bound.classify(two);
    assertEquals(3, s.top(0), "image b, frame a: abstain");
    assertEquals(0, s.top(1), "image a, frame a: accepted a");
  }
}
