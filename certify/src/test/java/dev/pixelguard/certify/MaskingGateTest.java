package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.InputException;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The certified gate as a classifier ({@link MaskingGate}) and the masking defences: the gate decides exactly as
 * {@link CertifiedGate} judges the same predictions, an adaptive attack with the harm goal never harms an image the
 * bound rules out, and the defence specs open through {@link Models#open} and refuse bad settings in one line.
 */
class MaskingGateTest {
  private static final Dataset IMAGES = Datasets.samples().limit(30);

  @Test
  void theGateAcceptsExactlyWhereEveryMaskedPredictionAgrees() {
    try (Classifier cnn = Models.open("builtin:fashion-cnn")) {
      Certifier c = Certifier.of(cnn).masks("lattice:4");
      CertificationResult r = c.certify(IMAGES);
      MaskingGate gate = c.gate();
      ModelInfo info = gate.info();
      assertEquals(cnn.info().numClasses() + 1, info.numClasses());
      assertEquals(info.numClasses() - 1, info.abstainClass());
      Scores s = gate.classify(ImageBatch.of(IMAGES.images().stream().map(LabeledImage::image).toList()));
      int accepted = 0;
      for (Certificate cert : r.certificates()) {
        int want = cert.gate().accepted() < 0 ? info.abstainClass() : cert.gate().accepted();
        assertEquals(want, s.top(cert.index()), cert.id());
        accepted += cert.gate().accepted() >= 0 ? 1 : 0;
      }
      assertTrue(accepted > 0 && accepted < IMAGES.size(), accepted + " accepted: both decisions must be seen");
      // one image at a time gives the same scores as the batch: the answer depends on the image alone
      for (int i = 0; i < 4; i++) {
        Scores one = gate.classify(ImageBatch.of(List.of(IMAGES.get(i).image())));
        org.junit.jupiter.api.Assertions.assertArrayEquals(s.probabilities(i), one.probabilities(0));
      }
    }
  }

  @Test
  void anAdaptiveAttackNeverHarmsAnImageTheBoundRulesOut() {
    try (Classifier cnn = Models.open("builtin:fashion-cnn")) {
      Certifier c = Certifier.of(cnn).masks("lattice:4");
      CertificationResult r = c.certify(IMAGES);
      List<LabeledImage> safe = new ArrayList<>();
      for (Certificate cert : r.certificates()) {
        if (cert.gate().accepted() == cert.label() && !cert.gate().harmable() && safe.size() < 4) {
          safe.add(IMAGES.get(cert.index()));
        }
      }
      assertEquals(4, safe.size(), "too few accepted images the bound protects");
      MaskingGate gate = c.gate();
      EvaluationResult e = Evaluation.of(gate, new Dataset("protected", safe, IMAGES.classNames()),
              GuidedPixelAttack.builder().budget(60).build())
          .targets(new Targets.Harm(gate.info().abstainClass(), null)).execution(new Execution(400, 4)).run();
      assertEquals(4, e.attempts().size());
      for (AttackResult a : e.attempts()) {
        assertFalse(a.success(), "the gate accepted a wrong class on " + a.imageId() + ", which the bound rules out");
        assertTrue(a.queries() >= 60, a.imageId() + " stopped after " + a.queries() + " queries");
      }
    }
  }

  @Test
  void theDefencesOpenThroughModelsAndRefuseBadSettings() {
    assertEquals(List.of("masking", "masking-gate"), Models.defences().stream().sorted().toList());
    try (Classifier d = Models.open(ModelRequest.builder("builtin:fashion-cnn").defence("masking:lattice:3").build());
        Classifier g = Models.open(ModelRequest.builder("builtin:fashion-cnn").defence("masking-gate").build())) {
      assertTrue(d.unwrap(DoubleMasking.class).isPresent());
      assertEquals("lattice:3", d.unwrap(DoubleMasking.class).get().masks().spec());
      assertEquals("lattice:6", g.unwrap(MaskingGate.class).get().masks().spec());
    }
    Masking m = Masking.parse("blocks:5/4,threat=patch:2,fill=grey");
    assertEquals("blocks:5/4,fill=grey,threat=patch:2", m.spec());
    assertEquals("lattice:6,fill=biharmonic,threat=pixel", Masking.parse("").spec());
    assertEquals(Certifier.defaultMasks(Threat.patch(3)), Masking.parse("threat=patch:3").masks());
    for (String bad : new String[] {"lattice:6,lattice:4", "lattice:6,colour=red", "lattice:6,", "ring:3",
        "lattice:6,fill=purple", "threat=patch:x"}) {
      InputException e = assertThrows(InputException.class, () -> Masking.parse(bad), bad);
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertThrows(InputException.class, () -> Models.open(ModelRequest.builder("builtin:fashion-cnn")
        .defence("masking:blocks:3/4,threat=patch:2").build()));
    assertThrows(InputException.class, () -> Models.checkDefence("shield"));
  }
}
