package dev.pixelguard.certify;

import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelDefence;

/**
 * {@code --defence masking-gate[:MASKS][,fill=FILL][,threat=THREAT]}: the certified gate ({@link MaskingGate}),
 * which accepts only when every one- and two-mask prediction agrees and otherwise abstains; its harm under the
 * threat is bounded by {@code pixelguard certify --gate}. Settings as {@link Masking#parse}.
 */
public final class MaskingGateDefence implements ModelDefence {
  @Override
  public String name() {
    return "masking-gate";
  }

  @Override
  public String usage() {
    return "masking-gate[:MASKS][,fill=FILL][,threat=pixel|patch:P]: the certified gate: accept only when every "
        + "one- and two-mask prediction agrees, else abstain (its proven harm bound: certify --gate)";
  }

  @Override
  public void check(String args) {
    Masking.parse(args);
  }

  @Override
  public Classifier wrap(Classifier model, String args) {
    return Masking.parse(args).certifier(model).gate();
  }
}
