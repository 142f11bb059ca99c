package dev.pixelguard.attack;

/**
 * What an attack tries to reach for one image: a value, passed to the attack, never a mode switch.
 */
public sealed interface Goal permits Goal.Untargeted, Goal.Targeted {

  /** Whether a prediction of class {@code predicted} reaches the goal. */
  boolean reachedBy(int predicted);

  /** Make the model predict anything but {@code trueClass}. */
  record Untargeted(int trueClass) implements Goal {
    public Untargeted {
      if (trueClass < 0) {
        throw new IllegalArgumentException("an untargeted goal needs a class, was " + trueClass);
      }
    }

    @Override
    public boolean reachedBy(int predicted) {
      return predicted != trueClass;
    }
  }

  /** Make the model predict {@code target}. */
  record Targeted(int target) implements Goal {
    public Targeted {
      if (target < 0) {
        throw new IllegalArgumentException("a targeted goal needs a class, was " + target);
      }
    }

    @Override
    public boolean reachedBy(int predicted) {
      return predicted == target;
    }
  }

  static Goal untargeted(int trueClass) {
    return new Untargeted(trueClass);
  }

  static Goal targeted(int target) {
    return new Targeted(target);
  }
}
