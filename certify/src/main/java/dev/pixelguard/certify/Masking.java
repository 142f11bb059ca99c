package dev.pixelguard.certify;

import dev.pixelguard.InputException;
import java.util.Locale;

/**
 * The settings of a masking defence as one spec, the arguments of {@code --defence masking:...} and
 * {@code --defence masking-gate:...}: an optional mask spec, then optional {@code fill=} and {@code threat=}
 * settings, comma-separated, e.g. {@code lattice:6}, {@code blocks:5/4,threat=patch:2} or
 * {@code lattice:6,fill=grey}. Left out: the threat is one pixel, the masks {@link Certifier#defaultMasks} for the
 * threat, the fill {@link Fills#standard()}.
 *
 * @param masks the masks
 * @param fill the fill's spec ({@link Fills#parse})
 * @param threat the threat the masks must cover
 */
public record Masking(MaskSpec masks, String fill, Threat threat) {

  /**
   * Reads the arguments.
   *
   * @throws InputException in one line for an unknown setting, a repeated one, or a spec its parser refuses
   */
  public static Masking parse(String args) {
    String masks = null;
    String fill = null;
    String threat = null;
    for (String part : args.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty()) {
        if (args.isBlank()) {
          continue;
        }
        throw new InputException("empty setting in masking spec '" + args + "'; give MASKS[,fill=FILL][,threat=THREAT]");
      }
      int eq = p.indexOf('=');
      String key = eq < 0 ? "masks" : p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? p : p.substring(eq + 1).trim();
      switch (key) {
        case "masks" -> masks = once(masks, value, key, args);
        case "fill" -> fill = once(fill, value, key, args);
        case "threat" -> threat = once(threat, value, key, args);
        default -> throw new InputException("unknown setting '" + key + "' in masking spec '" + args
            + "'; give MASKS[,fill=FILL][,threat=pixel|patch:P], e.g. lattice:6,fill=biharmonic");
      }
    }
    Threat t = threat == null ? Threat.pixel() : Threat.parse(threat);
    MaskSpec m = masks == null ? Certifier.defaultMasks(t) : MaskSpec.parse(masks);
    String f = fill == null ? Fills.standard().spec() : Fills.parse(fill).spec();
    return new Masking(m, f, t);
  }

  private static String once(String seen, String value, String key, String args) {
    if (seen != null) {
      throw new InputException("'" + key + "' is given twice in masking spec '" + args + "'");
    }
    return value;
  }

  /**
   * A certifier with these settings for {@code model}: {@link Certifier#defended()} is the defended classifier,
   * and {@link Certifier#certify} proves what it answers.
   */
  public Certifier certifier(dev.pixelguard.model.Classifier model) {
    return Certifier.of(model).threat(threat).masks(masks).fill(fill);
  }

  /** The spec that {@link #parse} reads back, every setting stated. */
  public String spec() {
    return masks.spec() + ",fill=" + fill + ",threat=" + threat.spec();
  }
}
