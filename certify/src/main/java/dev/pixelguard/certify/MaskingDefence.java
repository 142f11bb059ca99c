package dev.pixelguard.certify;

import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelDefence;

/**
 * {@code --defence masking[:MASKS][,fill=FILL][,threat=THREAT]}: PatchCleanser's double masking around the model
 * ({@link DoubleMasking}), the classifier that {@code pixelguard certify} proves. Settings as {@link Masking#parse}.
 */
public final class MaskingDefence implements ModelDefence {
  @Override
  public String name() {
    return "masking";
  }

  @Override
  public String usage() {
    return "masking[:MASKS][,fill=FILL][,threat=pixel|patch:P]: double masking (PatchCleanser), the classifier "
        + "'pixelguard certify' proves; e.g. masking:lattice:6 (the default for one pixel)";
  }

  @Override
  public void check(String args) {
    Masking.parse(args);
  }

  @Override
  public Classifier wrap(Classifier model, String args) {
    return Masking.parse(args).certifier(model).defended();
  }
}
