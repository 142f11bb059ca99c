package dev.pixelguard.defence;

import dev.pixelguard.InputException;
import dev.pixelguard.model.ModelInfo;

/**
 * What the system does when the {@link Gate} abstains: hand over (to a person, a slower model, a safe stop
 * outside the model), or act on a named safe class. Written in gate files as {@code "abstain"} or
 * {@code "class:NAME"}.
 *
 * @param safeClass the class acted on when abstaining, or -1 to hand over
 */
public record Fallback(int safeClass) implements java.io.Serializable {
  /** Hand over: no class is acted on. */
  public static final Fallback ABSTAIN = new Fallback(-1);

  /**
   * Parses {@code abstain} or {@code class:NAME} (a class name or number of the model).
   *
   * @throws InputException for anything else
   */
  public static Fallback parse(String text, ModelInfo info) {
    String t = text.trim();
    if (t.equalsIgnoreCase("abstain")) {
      return ABSTAIN;
    }
    if (t.regionMatches(true, 0, "class:", 0, 6)) {
      return new Fallback(info.classIndex(t.substring(6)));
    }
    throw new InputException("unknown fallback '" + text + "'; give abstain or class:NAME");
  }

  /** The parseable form, with the class by name. */
  public String describe(ModelInfo info) {
    return safeClass < 0 ? "abstain" : "class:" + info.className(safeClass);
  }
}
