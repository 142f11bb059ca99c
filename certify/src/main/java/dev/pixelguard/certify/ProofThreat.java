package dev.pixelguard.certify;

import dev.pixelguard.attack.Execution;
import dev.pixelguard.audit.ThreatModel;
import dev.pixelguard.audit.ThreatOutcome;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.eval.Journal;
import dev.pixelguard.model.Classifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A certified row of the card: instead of an attack, a proof by double masking (PatchCleanser; {@code pixelguard
 * certify}). The system is the plain model put inside the defence; an image ends <em>correct</em> when the defended
 * classifier is proven to answer its true class for every change within the threat, and <em>wrong</em> otherwise
 * (not proven, or wrong already on the clean image): so the correct count is a guarantee, and the wrong count an
 * upper bound on what any attack within the threat can do to the defended classifier. Beside the attacks' rows,
 * which give lower bounds, it shows the gap between "did not" and "cannot". A system that may abstain (a gate) is
 * not certified here; its certified counterpart is the certified gate ({@code --defence masking-gate}).
 *
 * <p>The proof is deterministic: the same images give the same verdicts, so a resumed audit recomputes them.
 *
 * @param name the card's row name
 * @param masking the threat, masks and fill
 */
public record ProofThreat(String name, Masking masking) implements ThreatModel {

  public ProofThreat {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(masking, "masking");
  }

  @Override
  public String describe() {
    return "proof by double masking (" + masking.masks().spec() + ", " + masking.fill() + ") against "
        + masking.threat().describe() + ": correct = proven for every such change, wrong = not proven";
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", "double masking");
    m.put("threat", masking.threat().spec());
    m.put("masks", masking.masks().spec());
    m.put("fill", masking.fill());
    return m;
  }

  @Override
  public ThreatOutcome assess(Classifier system, Dataset images, Execution execution, Progress progress,
      Journal journal) {
    if (system.info().abstainClass() >= 0) {
      return ThreatOutcome.notApplicable("a gate is not certified by this row; its certified counterpart is the "
          + "certified gate (--defence masking-gate)");
    }
    long t0 = System.nanoTime();
    int[] fooled = new int[1];
    CertificationResult r = masking.certifier(system).certify(images, (c, done, total, certified) -> {
      fooled[0] += c.defendedCorrect() && !c.certified() ? 1 : 0;
      if (progress != null) {
        progress.step(done, total, fooled[0]);
      }
    });
    int correct = 0;
    int cleanCorrect = 0;
    for (Certificate c : r.certificates()) {
      if (!c.hasLabel()) {
        throw new IllegalArgumentException("an audit needs labelled images; " + c.id() + " has no label");
      }
      cleanCorrect += c.defendedCorrect() ? 1 : 0;
      correct += c.certified() ? 1 : 0;
    }
    CertificationResult.Summary s = r.summary();
    return new ThreatOutcome(null, images.size(), cleanCorrect, 0, cleanCorrect, cleanCorrect - correct, correct, 0,
        images.size() - correct, s.maskedPasses() + s.cleanPasses(), (System.nanoTime() - t0) / 1e9);
  }
}
