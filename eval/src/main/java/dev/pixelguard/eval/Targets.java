package dev.pixelguard.eval;

import dev.pixelguard.attack.Criterion;
import dev.pixelguard.attack.Goal;
import java.util.ArrayList;
import java.util.List;

/**
 * Which goals an evaluation gives each correctly classified image: away from its class, toward one target,
 * or toward every other class (Su et al.'s original-to-target matrix). An optional extra criterion, such as a
 * minimum confidence of the wrong class, narrows every goal.
 */
public sealed interface Targets permits Targets.Untargeted, Targets.Target, Targets.EveryOther, Targets.Harm {

  /** The goals for an image of class {@code label} among {@code numClasses}; empty when it is not attacked. */
  List<Goal> goalsFor(int label, int numClasses);

  /** Why an image of class {@code label} is not attacked although correctly classified, or null. */
  default String skipReason(int label) {
    return null;
  }

  /** For results files: "untargeted", "target K" or "every other class", and the extra criterion. */
  String describe();

  /** The extra criterion every goal must also meet, or null. */
  Criterion extra();

  /** Whether each image is attacked toward several classes (the original-to-target matrix). */
  default boolean matrix() {
    return false;
  }

  private static Goal narrowed(Goal g, Criterion extra) {
    return extra == null ? g : g.and(extra);
  }

  /** Make the model predict anything but the image's class. */
  record Untargeted(Criterion extra) implements Targets {
    @Override
    public List<Goal> goalsFor(int label, int numClasses) {
      return List.of(narrowed(new Goal.Untargeted(label), extra));
    }

    @Override
    public String describe() {
      return "untargeted";
    }
  }

  /** Make the model predict {@code target}; images of that class are not attacked. */
  record Target(int target, Criterion extra) implements Targets {
    @Override
    public List<Goal> goalsFor(int label, int numClasses) {
      return label == target ? List.of() : List.of(narrowed(new Goal.Targeted(target), extra));
    }

    @Override
    public String skipReason(int label) {
      return label == target ? "already the target class" : null;
    }

    @Override
    public String describe() {
      return "target " + target;
    }
  }

  /** Every other class in turn: K - 1 attempts per image. */
  record EveryOther(Criterion extra) implements Targets {
    @Override
    public List<Goal> goalsFor(int label, int numClasses) {
      List<Goal> out = new ArrayList<>();
      for (int t = 0; t < numClasses; t++) {
        if (t != label) {
          out.add(narrowed(new Goal.Targeted(t), extra));
        }
      }
      return out;
    }

    @Override
    public String describe() {
      return "every other class";
    }

    @Override
    public boolean matrix() {
      return true;
    }
  }

  /**
   * Harm through a defence that may abstain (see {@link Goal.Harm}): the defended system accepts the image
   * and answers a wrong class. Images it abstains on, or gets wrong, are not attacked.
   *
   * @param abstain the defended classifier's abstain class
   */
  record Harm(int abstain, Criterion extra) implements Targets {
    @Override
    public List<Goal> goalsFor(int label, int numClasses) {
      return List.of(narrowed(new Goal.Harm(label, abstain), extra));
    }

    @Override
    public String skipReason(int label) {
      return label == abstain ? "the abstain class" : null;
    }

    @Override
    public String describe() {
      return "harm (abstain " + abstain + ")";
    }
  }

  static Targets untargeted() {
    return new Untargeted(null);
  }

  /** The targets a {@link #describe()} string names. */
  static Targets parse(String text, Criterion extra) {
    if (text.equals("untargeted")) {
      return new Untargeted(extra);
    }
    if (text.equals("every other class")) {
      return new EveryOther(extra);
    }
    if (text.startsWith("harm (abstain ") && text.endsWith(")")) {
      return new Harm(Integer.parseInt(text.substring(14, text.length() - 1).trim()), extra);
    }
    if (text.startsWith("target ")) {
      return new Target(Integer.parseInt(text.substring(7).trim()), extra);
    }
    throw new dev.pixelguard.InputException("unknown targets '" + text + "'");
  }
}
