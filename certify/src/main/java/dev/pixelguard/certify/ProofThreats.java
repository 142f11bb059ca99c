package dev.pixelguard.certify;

import dev.pixelguard.audit.ThreatModel;
import dev.pixelguard.audit.ThreatModelProvider;
import java.util.List;

/**
 * The card's certified rows ({@link ProofThreat}): {@code one-pixel-proof}, one pixel of any colour with
 * {@code lattice:6} (666 model passes per image), and {@code patch-proof}, a 4x4 patch anywhere with
 * {@code blocks:7/4} (2,080 passes on a 32x32 image), both with the biharmonic fill. Proofs spend no queries of an
 * attacker's budget, so the query cap does not apply.
 */
public final class ProofThreats implements ThreatModelProvider {
  @Override
  public List<String> keys() {
    return List.of("one-pixel-proof", "patch-proof");
  }

  @Override
  public ThreatModel create(String key, long seed, long maxQueries) {
    return switch (key) {
      case "one-pixel-proof" -> new ProofThreat("one pixel, proven", Masking.parse("lattice:6,threat=pixel"));
      case "patch-proof" -> new ProofThreat("4x4 patch, proven", Masking.parse("blocks:7/4,threat=patch:4"));
      default -> throw new IllegalArgumentException("no proof threat model " + key);
    };
  }
}
