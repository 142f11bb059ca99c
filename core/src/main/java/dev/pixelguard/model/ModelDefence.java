package dev.pixelguard.model;

/**
 * A defence that wraps a whole model, named by a spec such as {@code masking:lattice:6}: the defended system is
 * itself a {@link Classifier}, so every attack, evaluation, audit and server takes it as it takes a model
 * ({@link Models#defend}, or {@link ModelRequest.Builder#defence} for a model opened by {@link Models#open}).
 * Defences that look at the image through filters and fuse several models are gates
 * ({@code dev.pixelguard.defence.Gate}); this is for defences that wrap one model (or an ensemble) whole.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}, as {@link ModelBackend}s are: a module lists
 * them in {@code META-INF/services/dev.pixelguard.model.ModelDefence}, each with a public no-argument
 * constructor. A new defence is its own class plus that one line.
 */
public interface ModelDefence {

  /** The spec's name, before the first colon ({@code masking}), lower case. */
  String name();

  /** One line for {@code --help} and for refusals: what the defence does and its spec's form. */
  String usage();

  /**
   * Checks the spec's arguments without a model, so that a bad spec is refused before any work.
   *
   * @param args what follows {@code name:} in the spec, or "" for none
   * @throws dev.pixelguard.InputException for arguments this defence does not take (one line)
   */
  void check(String args);

  /**
   * The defended system around {@code model}. Closing it closes the model.
   *
   * @param args as for {@link #check}
   * @throws dev.pixelguard.InputException when the arguments do not suit the model (its input size, say)
   */
  Classifier wrap(Classifier model, String args);
}
