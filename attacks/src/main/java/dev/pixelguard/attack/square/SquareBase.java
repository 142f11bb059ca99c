package dev.pixelguard.attack.square;

import dev.pixelguard.attack.AttackTask;
import dev.pixelguard.attack.query.OneCandidateSearch;
import dev.pixelguard.image.Image;
import java.util.SplittableRandom;

/**
 * What the Square searches share: one candidate a request, kept when the goal's fitness falls (or when it is
 * the first to reach the goal), stopping at the first success or at the budget. Subclasses hold the
 * perturbation and say how a step changes it.
 */
abstract class SquareBase extends OneCandidateSearch {
  final SquareAttack attack;
  final int channels;
  final int height;
  final int width;
  final SplittableRandom random;

  SquareBase(SquareAttack attack, AttackTask task) {
    super(task.goal(), attack.objective(), attack.budget());
    this.attack = attack;
    Image image = task.image();
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    this.random = new SplittableRandom(task.seed());
  }

  /** Square keeps a candidate only when its fitness falls below the current one's. */
  @Override
  protected final boolean accepts(double candidate, double current) {
    return candidate < current;
  }
}
