package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.AttackResult;
import dev.pixelguard.attack.Execution;
import dev.pixelguard.attack.pixel.GuidedPixelAttack;
import dev.pixelguard.attack.scan.PixelScan;
import dev.pixelguard.attack.sparse.SparseRs;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.eval.Evaluation;
import dev.pixelguard.eval.EvaluationResult;
import dev.pixelguard.eval.ImageOutcome;
import dev.pixelguard.eval.Targets;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.onnx.OnnxClassifier;
import dev.pixelguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacks against what the certifier proves, bounded for CI (the full version on images 0-99 is
 * bench/certify-cifar10.sh): on certified ResNet-20 images that the same attacks flip on the bare model, the
 * guided search, Sparse-RS and the exhaustive corner scan run against the defended classifier and never change its
 * answer; so does Sparse-RS with a 2x2 patch against blocks certified for the patch threat.
 */
class AttackTest {
  private static final Execution RUN = new Execution(400, 4);
  private static OnnxClassifier model;
  private static Dataset cifar;

  @BeforeAll
  static void load() {
    model = OnnxClassifier.load(Fixtures.resnetOnnx(), ModelSpec.DEFAULT);
    cifar = Fixtures.cifar().limit(12);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  /** Certified images (at most {@code max}) that {@code attack} flips on the bare model. */
  private static Dataset certifiedAndBareVulnerable(Certifier c, Attack<Classifier> attack, int max) {
    CertificationResult r = c.certify(cifar);
    List<LabeledImage> certified = new ArrayList<>();
    for (Certificate cert : r.certificates()) {
      if (cert.certified()) {
        certified.add(cifar.get(cert.index()));
      }
    }
    Dataset d = new Dataset("certified", certified, cifar.classNames());
    EvaluationResult bare = Evaluation.of(model, d, attack).targets(Targets.untargeted()).execution(RUN).run();
    List<LabeledImage> out = new ArrayList<>();
    for (ImageOutcome o : bare.images()) {
      if (o.fooled() && out.size() < max) {
        out.add(d.get(o.index()));
      }
    }
    return new Dataset("certified, bare model flipped", out, cifar.classNames());
  }

  /** Runs {@code attack} against the defended classifier and checks that no image changes its answer. */
  private static long attackDefended(DoubleMasking defended, Dataset d, Attack<Classifier> attack) {
    EvaluationResult r = Evaluation.of(defended, d, attack).targets(Targets.untargeted()).execution(RUN).run();
    for (ImageOutcome o : r.images()) {
      assertTrue(o.attacked(), "image " + o.id() + " was not attacked: " + o.skipped());
      for (AttackResult a : o.attempts()) {
        assertFalse(a.success(), attack.name() + " flipped certified image " + o.id());
        // and the best image the attack found, classified afresh, keeps its class
        assertEquals(o.label(), defended.classify(ImageBatch.of(List.of(a.adversarial()))).top(0), o.id());
      }
    }
    return r.totals().queries();
  }

  @Test
  void onePixelAttacksNeverFlipACertifiedImage() {
    Certifier c = Certifier.of(model).masks("lattice:3");
    DoubleMasking defended = c.defended();
    GuidedPixelAttack guided = GuidedPixelAttack.builder().pixels(1).budget(300).build();
    Dataset d = certifiedAndBareVulnerable(c, GuidedPixelAttack.builder().pixels(1).budget(2000).build(), 2);
    assertEquals(2, d.size(), "certified images the guided search flips on the bare model");
    attackDefended(defended, d, guided);
    attackDefended(defended, d, SparseRs.builder().pixels(1).budget(300).build());
    // the exhaustive corner scan: every position with every corner colour, 8,192 images, each double-masked
    long queries = attackDefended(defended, d.limit(1), PixelScan.corners());
    assertTrue(queries >= 32 * 32 * 8, "scan queries " + queries);
  }

  @Test
  void patchAttacksNeverFlipAnImageCertifiedForThePatch() {
    Certifier c = Certifier.of(model).threat(Threat.patch(2)).masks("blocks:5/4");
    SparseRs patch = SparseRs.builder().patch(2).budget(40).build();
    Dataset d = certifiedAndBareVulnerable(c, SparseRs.builder().patch(2).budget(2000).build(), 1);
    assertEquals(1, d.size(), "certified images Sparse-RS flips with a 2x2 patch on the bare model");
    attackDefended(c.defended(), d, patch);
  }
}
