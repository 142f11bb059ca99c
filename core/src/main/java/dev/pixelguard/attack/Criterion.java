package dev.pixelguard.attack;

import dev.pixelguard.model.Scores;

/**
 * What counts as adversarial for one row of a model's scores: a value that carries its own meaning and
 * combines with {@link #and} and {@link #or} (as Foolbox's criteria). Every {@link Goal} is one; extra
 * conditions such as a minimum confidence of the wrong class are criteria too.
 */
public interface Criterion {

  /** Whether row {@code i} of {@code scores} is adversarial by this criterion. */
  boolean isMet(Scores scores, int i);

  /** A short description for results files and reports, e.g. "top confidence >= 0.9". */
  String describe();

  /** Both this and {@code other}. */
  default Criterion and(Criterion other) {
    Criterion self = this;
    return new Criterion() {
      @Override
      public boolean isMet(Scores s, int i) {
        return self.isMet(s, i) && other.isMet(s, i);
      }

      @Override
      public String describe() {
        return self.describe() + " and " + other.describe();
      }
    };
  }

  /** This or {@code other}. */
  default Criterion or(Criterion other) {
    Criterion self = this;
    return new Criterion() {
      @Override
      public boolean isMet(Scores s, int i) {
        return self.isMet(s, i) || other.isMet(s, i);
      }

      @Override
      public String describe() {
        return "(" + self.describe() + " or " + other.describe() + ")";
      }
    };
  }

  /**
   * The model's top class has probability at least {@code threshold}: with a goal, "a confident mistake".
   *
   * @param threshold in (0, 1]
   */
  static Criterion topConfidenceAtLeast(double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("confidence threshold must be in (0, 1], was " + threshold);
    }
    return new TopConfidence(threshold);
  }

  /**
   * The criterion a {@link #describe()} string names; pixelguard's own criteria only.
   *
   * @throws dev.pixelguard.InputException for any other text
   */
  static Criterion parse(String text) {
    String t = text.trim();
    String prefix = "top confidence >= ";
    if (t.startsWith(prefix)) {
      try {
        return topConfidenceAtLeast(Double.parseDouble(t.substring(prefix.length()).trim()));
      } catch (IllegalArgumentException e) {
        throw new dev.pixelguard.InputException("unknown criterion '" + text + "': " + e.getMessage());
      }
    }
    throw new dev.pixelguard.InputException("unknown criterion '" + text + "'");
  }

  /** See {@link #topConfidenceAtLeast}. */
  record TopConfidence(double threshold) implements Criterion {
    @Override
    public boolean isMet(Scores s, int i) {
      return s.confidence(i) >= threshold;
    }

    @Override
    public String describe() {
      return "top confidence >= " + threshold;
    }
  }
}
