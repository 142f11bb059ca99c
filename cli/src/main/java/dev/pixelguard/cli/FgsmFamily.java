package dev.pixelguard.cli;

import dev.pixelguard.attack.Attack;
import dev.pixelguard.attack.gradient.Fgsm;
import java.util.Set;

/** {@code --method fgsm}: the fast gradient sign method (Goodfellow et al.), one white-box step of --eps. */
final class FgsmFamily implements AttackFamily {
  @Override
  public String method() {
    return "fgsm";
  }

  @Override
  public Set<String> takes() {
    return Set.of("--eps", "--loss");
  }

  @Override
  public Attack<?> build(AttackOptions.Shared s) {
    return new Fgsm(s.eps(), s.loss());
  }
}
