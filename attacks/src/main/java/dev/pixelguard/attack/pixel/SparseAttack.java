package dev.pixelguard.attack.pixel;

import dev.pixelguard.attack.query.QueryAttack;

/**
 * A black-box attack that changes at most k pixels to whole 8-bit colours (so a saved PNG stays
 * adversarial), run as one search per image through the shared {@link QueryAttack} machinery.
 */
public interface SparseAttack extends QueryAttack {

  /** Pixels changed at most. */
  int pixels();

  /** Queries per image at most. */
  long budget();

  /** Candidates per request of one image's search (the granularity of its query counts). */
  int requestSize();
}
