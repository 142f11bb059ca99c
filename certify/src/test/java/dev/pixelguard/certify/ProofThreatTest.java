package dev.pixelguard.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.audit.Audit;
import dev.pixelguard.audit.AuditResult;
import dev.pixelguard.audit.ThreatModel;
import dev.pixelguard.audit.ThreatModels;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.Datasets;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The card's certified rows: proofs counted as the card counts attacks, beside them, and not run on a gate. */
class ProofThreatTest {
  @Test
  void theCardsProvenRowsCountWhatTheCertifierProves() {
    Dataset images = Datasets.samples().limit(16);
    assertTrue(ThreatModels.keys().containsAll(List.of("one-pixel-proof", "patch-proof")), ThreatModels.keys()
        .toString());
    List<ThreatModel> threats = ThreatModels.standard(List.of("one-pixel-proof", "patch-proof"), 1, 100);
    try (Classifier cnn = Models.open("builtin:fashion-cnn");
        Classifier gate = Certifier.of(Models.open("builtin:fashion-cnn")).gate()) {
      AuditResult card = Audit.run(cnn, gate, images, threats, new Execution(400, 4), null);
      CertificationResult pixel = Certifier.of(cnn).certify(images);
      CertificationResult patch = Certifier.of(cnn).threat(Threat.patch(4)).masks("blocks:7/4").certify(images);
      ThreatOutcome p = card.rows().get(0).plain();
      assertEquals("one pixel, proven", card.rows().get(0).threat());
      assertEquals(pixel.summary().certified(), p.correct());
      assertEquals(pixel.summary().defendedCorrect(), p.attacked());
      assertEquals(images.size() - pixel.summary().certified(), p.wrong());
      assertEquals(patch.summary().certified(), card.rows().get(1).plain().correct());
      assertTrue(p.correct() > card.rows().get(1).plain().correct(), "a 4x4 patch is the larger threat");
      assertFalse(card.rows().get(0).defended().applicable(), "a gate is not certified by this row");
      assertNotNull(card.rows().get(0).defended().notApplicable());
    }
  }
}
