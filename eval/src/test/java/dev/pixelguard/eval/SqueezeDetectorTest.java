package dev.pixelguard.eval;

import dev.pixelguard.defence.Decision;
import dev.pixelguard.defence.SqueezeDetector;
import dev.pixelguard.transform.Transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Goal;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.transform.Transforms;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.Scores;
import dev.pixelguard.testing.Outcomes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The squeeze detector on a hand-made model whose squeezed answers are worked out by hand (the real-model test
 * is in pixelguard-onnx).
 *
 * <p>The model takes 1x2x2 images; with v the mean of the four values it answers (0.9 (1 - v), 0.9 v, 0.1).
 * Squeezed to 1 bit (each value rounded to 0 or 1) the mean becomes v', so the L1 distance is 1.8 |v - v'|.
 */
class SqueezeDetectorTest {
  private static final ModelInfo INFO = Outcomes.MODEL;

  private static final Classifier MEAN = new Classifier() {
    @Override
    public ModelInfo info() {
      return INFO;
    }

    @Override
    public Scores classify(ImageBatch batch) {
      float[][] p = new float[batch.size()][];
      for (int i = 0; i < p.length; i++) {
        double v = 0;
        for (int j = 0; j < 4; j++) {
          v += batch.get(i, 0, j / 2, j % 2) / 4.0;
        }
        p[i] = new float[] {(float) (0.9 * (1 - v)), (float) (0.9 * v), 0.1f};
      }
      return Scores.fromProbabilities(p);
    }
  };

  private static SqueezeDetector detector(String... squeezers) {
    List<Transform> ts = new ArrayList<>();
    for (String s : squeezers) {
      ts.add(Transforms.parse(s));
    }
    return SqueezeDetector.of(MEAN, ts, 1L);
  }

  private static ImageBatch batch(float[]... images) {
    float[] v = new float[images.length * 4];
    for (int i = 0; i < images.length; i++) {
      System.arraycopy(images[i], 0, v, 4 * i, 4);
    }
    return ImageBatch.wrap(images.length, 1, 2, 2, v);
  }

  private static float[] values(Image im) {
    float[] v = new float[4];
    im.writeUnit(v, 0);
    return v;
  }

  @Test
  void scoreIsTheL1DistanceToTheSqueezedAnswerAndTheJointOneTheLargest() {
    ImageBatch b = batch(new float[] {0, 0, 0, 0}, new float[] {0.4f, 0, 0, 0}, new float[] {0.4f, 0.4f, 0.4f, 0.4f},
        new float[] {0.7f, 0.7f, 0.7f, 0.7f});
    // 1 bit: v = 0, 0.1, 0.4, 0.7 -> v' = 0, 0, 0, 1 -> 1.8 |v - v'| = 0, 0.18, 0.72, 0.54
    assertArrayEquals(new double[] {0, 0.18, 0.72, 0.54}, detector("bitdepth:1").score(b), 1e-6);
    // 2 bits (levels 0, 1/3, 2/3, 1): 0.4 -> 1/3 and 0.7 -> 2/3, so v' = 0, 1/12, 1/3, 2/3
    double[] two = {0, 1.8 * (0.1 - 1 / 12.0), 1.8 * (0.4 - 1 / 3.0), 1.8 * (0.7 - 2 / 3.0)};
    assertArrayEquals(two, detector("bitdepth:2").score(b), 1e-6);
    assertArrayEquals(new double[] {0, 0.18, 0.72, 0.54}, detector("bitdepth:2", "bitdepth:1").score(b), 1e-6);
    assertArrayEquals(two, detector("bitdepth:2", "bitdepth:1").only(0).score(b), 1e-6);
  }

  @Test
  void thresholdHonoursTheFalsePositiveRateOnTheCleanImages() {
    // ten clean images with scores 0, 0.018, ..., 0.162 (one value 0.01 k on the first pixel, k = 0..9)
    float[][] clean = new float[10][];
    for (int k = 0; k < 10; k++) {
      clean[k] = new float[] {0.04f * k, 0, 0, 0};
    }
    SqueezeDetector unfitted = detector("bitdepth:1");
    assertThrows(IllegalStateException.class, () -> unfitted.isAdversarial(batch(clean)));
    for (double fpr : new double[] {0, 0.05, 0.1, 0.2, 0.5}) {
      SqueezeDetector d = unfitted.fit(batch(clean), fpr);
      int flagged = 0;
      for (boolean f : d.isAdversarial(batch(clean))) {
        flagged += f ? 1 : 0;
      }
      assertEquals((int) Math.floor(fpr * 10 + 1e-9), flagged, "fpr " + fpr);
      assertEquals(fpr, d.falsePositiveRate());
    }
    // 20%: two scores may lie above, so the threshold is the third largest, 1.8 * 0.07; an equal score is not
    // flagged, and the gate abstains exactly above it
    SqueezeDetector d = unfitted.fit(batch(clean), 0.2);
    assertEquals(1.8 * 0.07, d.threshold(), 1e-6);
    boolean[] f = d.isAdversarial(batch(clean[7], clean[8]));
    assertFalse(f[0]);
    assertTrue(f[1]);
    List<Decision> gate = d.gate().decide(batch(clean[7], clean[8]));
    assertTrue(gate.get(0).accepted());
    assertFalse(gate.get(1).accepted());
    assertTrue(gate.get(1).reasons().get(0).startsWith("squeeze distance"), gate.get(1).reasons().toString());
  }

  @Test
  void evaluationOfAHandMadeCase() {
    // report: A, B, C, D of class 0, classified correctly; E of class 1, misclassified (not attacked)
    Image a = Outcomes.image(0, 0, 0, 0); // score 0
    Image b = Outcomes.image(51, 0, 0, 0); // v = 0.05: 0.09
    Image c = Outcomes.image(102, 0, 0, 0); // v = 0.1: 0.18
    Image d = Outcomes.image(255, 0, 0, 0); // v = v' = 0.25: 0
    Image e = Outcomes.image(102, 102, 0, 0); // v = 0.2: 0.36
    Goal away = new Goal.Untargeted(0);
    // adversarials: none for A; B -> (0.4, 0.4, 0, 0): 0.36; C -> all 0.4: 0.72; D -> (1, 0.1, 0, 0): 0.045
    float[][] adv = {null, {0.4f, 0.4f, 0, 0}, {0.4f, 0.4f, 0.4f, 0.4f}, {1, 0.1f, 0, 0}};
    Image[] ims = {a, b, c, d};
    List<ImageOutcome> outcomes = new ArrayList<>();
    List<LabeledImage> report = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      float[] x = adv[i] == null ? values(ims[i]) : adv[i];
      AttackResult r = Outcomes.attempt("#" + i, ims[i], 0, away, x,
          adv[i] == null ? Outcomes.prediction(0, 0.8f) : Outcomes.prediction(1, 0.6f), 100, 0, 50, null);
      assertEquals(adv[i] != null, r.success());
      outcomes.add(new ImageOutcome(i, "#" + i, 0, Outcomes.prediction(0, 0.9f), null, List.of(r)));
      report.add(new LabeledImage("#" + i, ims[i], 0));
    }
    outcomes.add(new ImageOutcome(4, "#4", 1, Outcomes.prediction(0, 0.9f), "misclassified", List.of()));
    report.add(new LabeledImage("#4", e, 1));
    EvaluationResult r = Outcomes.result("guided", Targets.untargeted(), outcomes);
    // fit: five correctly classified images scoring 0, 0.09, 0.18, 0.0176... and 0.36, and f3, misclassified
    // (the model says 0 for every v < 0.5), which is left out: were it counted, its 0.36 would lift the 20%
    // threshold from 0.18 to 0.36
    Dataset fit = new Dataset("fit", List.of(new LabeledImage("f0", Outcomes.image(0, 0, 0, 0), 0),
        new LabeledImage("f1", Outcomes.image(51, 0, 0, 0), 0), new LabeledImage("f2", c, 0),
        new LabeledImage("f3", e, 1), new LabeledImage("f4", Outcomes.image(10, 0, 0, 0), 0),
        new LabeledImage("f5", e, 0)), INFO.classNames());

    DetectorEvaluation.Result res = DetectorEvaluation.measure(detector("bitdepth:1", "bitdepth:8"), fit,
        new Dataset("report", report, INFO.classNames()), r, List.of(0.05, 0.2));
    assertEquals(5, res.reportImages());
    assertEquals(5, res.fitImages(), "the correctly classified fit images");
    assertEquals(4, res.clean());
    assertEquals(4, res.attacked());
    assertEquals(3, res.adversarials());
    assertEquals(3, res.rows().size(), "the joint detector, then each squeezer alone");
    assertEquals("bitdepth(bits=1) + bitdepth(bits=8)", res.joint().squeezers());

    DetectorEvaluation.Row joint = res.joint();
    // clean 0, 0.09, 0.18, 0 against adversarial 0.36, 0.72, 0.045: 4 + 4 + 2 wins of 12
    assertEquals(10 / 12.0, joint.auc(), 1e-9);
    // 5%, fitted on five images: no fit score may lie above, threshold 0.36; the adversarial at exactly 0.36
    // is not flagged, 0.72 is
    DetectorEvaluation.AtRate five = joint.at(0.05);
    assertEquals(0.36, five.threshold(), 1e-6);
    assertEquals(1 / 3.0, five.detection(), 1e-9);
    assertEquals(0, five.falsePositives());
    assertEquals(0, five.falsePositivesAll());
    // the ROC's own point: the report's largest clean score, 0.18; 0.36 and 0.72 above it
    assertEquals(0.18, five.rocThreshold(), 1e-6);
    assertEquals(2 / 3.0, five.rocDetection(), 1e-9);
    assertEquals(0, five.rocFalsePositives());
    // 20%, fitted: one of five fit scores may lie above, threshold 0.18; E (0.36) is a false positive among
    // all report images, none among the correctly classified ones
    DetectorEvaluation.AtRate twenty = joint.at(0.2);
    assertEquals(0.18, twenty.threshold(), 1e-6);
    assertEquals(2 / 3.0, twenty.detection(), 1e-9);
    assertEquals(0, twenty.falsePositives());
    assertEquals(0.2, twenty.falsePositivesAll(), 1e-9);
    // the 8-bit squeezer leaves 8-bit images alone and moves the adversarials by float rounding at most
    assertEquals("bitdepth(bits=1)", res.rows().get(1).squeezers());
    assertEquals(joint.auc(), res.rows().get(1).auc(), 1e-12);
    assertTrue(res.rows().get(2).at(0.05).detection() <= 1 / 3.0);
  }

  @Test
  void refusesAnEvaluationWithoutAdversarials() {
    Image a = Outcomes.image(0, 0, 0, 0);
    AttackResult failed = Outcomes.attempt("#0", a, 0, new Goal.Untargeted(0), values(a),
        Outcomes.prediction(0, 0.9f), 100, 0, -1, null);
    EvaluationResult r = Outcomes.result("guided", Targets.untargeted(),
        List.of(new ImageOutcome(0, "#0", 0, Outcomes.prediction(0, 0.9f), null, List.of(failed))));
    Dataset one = new Dataset("d", List.of(new LabeledImage("#0", a, 0)), INFO.classNames());
    Exception ex = assertThrows(dev.pixelguard.InputException.class,
        () -> DetectorEvaluation.measure(detector("median:2"), one, one, r, DetectorEvaluation.RATES));
    assertTrue(ex.getMessage().contains("no adversarial"), ex.getMessage());
  }
}
