package dev.pixelguard.verify;

/** What the verifier concluded about one image. */
public enum Verdict {
  /** Proven: no position and no colour in the whole continuous RGB (or gray) cube changes the top class. */
  ROBUST,
  /** A counterexample: one pixel set to an 8-bit colour changes the model's class, rechecked on the model. */
  VULNERABLE,
  /** Neither within the time allowed; the positions already cleared are reported. */
  UNKNOWN,
  /** The model gets the clean image wrong, so there is nothing to verify. */
  MISCLASSIFIED;

  /** The name as written in results and reports: lower case. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
