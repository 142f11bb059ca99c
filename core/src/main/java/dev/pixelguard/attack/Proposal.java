package dev.pixelguard.attack;

import dev.pixelguard.attack.ScanFindings;

/**
 * What an attack's search returns for one image before the final check: the image it proposes, planar
 * (C*H*W) in [0, 1], and what it cost. Whether it succeeds is not the search's word: {@link AttackResult#judge}
 * decides it from the classifier's answer on this very image.
 *
 * @param values the proposed adversarial image (the best candidate found, also on failure)
 * @param cost what the search spent
 * @param fitness the search's own objective value for it (NaN where it has none)
 * @param findings for a scan, everything it found; null otherwise
 */
public record Proposal(float[] values, Cost cost, double fitness, ScanFindings findings) {
  public Proposal {
    values = values.clone();
  }

  @Override
  public float[] values() {
    return values.clone();
  }
}
