package dev.pixelguard.verify.net;

/**
 * Bounds on double-precision rounding error, so that no computed bound is tighter than the exact one.
 *
 * <p>All arithmetic is IEEE 754 double (unit roundoff u = 2^-53), in any summation order, with or without fused
 * multiply-add. A dot product of n terms computed in floating point differs from the exact one by at most
 * gamma(n) = n u / (1 - n u) times the sum of the terms' magnitudes (Higham, Accuracy and Stability of
 * Numerical Algorithms, 2002, section 3.1); an elementwise step of a few operations by a few u times its
 * operands' magnitudes. Every bound in this package is widened by such a term, taken generously (factors of 2
 * to 16 over the textbook constant), so soundness does not hang on the exact operation count.
 */
final class Rounding {
  /** Unit roundoff of double precision. */
  static final double U = 0x1p-53;

  private Rounding() {}

  /** gamma(n) for a dot product of n terms (plus a bias), doubled. */
  static double gamma(int n) {
    double nu = (n + 2) * U;
    return 2 * nu / (1 - nu);
  }

  /** The widening for an elementwise step whose operands have total magnitude {@code magnitude}. */
  static double slack(double magnitude) {
    return 16 * U * magnitude + Double.MIN_NORMAL;
  }
}
