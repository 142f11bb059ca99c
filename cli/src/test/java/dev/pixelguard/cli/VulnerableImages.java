package dev.pixelguard.cli;

/** Fixture images with known one-pixel weaknesses (from bench/one-pixel-cifar10.sh, seed 1). */
final class VulnerableImages {
  /**
   * test_batch_subset.bin#25, a correctly classified CIFAR-10 image that Su et al.'s attack flips in its first
   * generation (400 queries) with 0.99 confidence for the wrong class.
   */
  static final int CIFAR_ONE_PIXEL = 25;

  private VulnerableImages() {}
}
