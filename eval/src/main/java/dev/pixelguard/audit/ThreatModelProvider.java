package dev.pixelguard.audit;

import java.util.List;

/**
 * Threat models a module adds to the standard card ({@link ThreatModels}), found with
 * {@link java.util.ServiceLoader}: the module lists its providers in
 * {@code META-INF/services/dev.pixelguard.audit.ThreatModelProvider}, each with a public no-argument constructor.
 */
public interface ThreatModelProvider {

  /** The keys of the threat models added, in card order, as {@code --threats} names them. */
  List<String> keys();

  /**
   * The threat model for {@code key}, one of {@link #keys()}.
   *
   * @param seed the root seed of every attack
   * @param maxQueries the most queries per image, or 0 for the threat model's own budget
   */
  ThreatModel create(String key, long seed, long maxQueries);
}
