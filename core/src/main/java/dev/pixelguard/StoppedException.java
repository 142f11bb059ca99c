package dev.pixelguard;

/**
 * Work refused because the process was asked to stop ({@link Stop#request}): thrown where a model call would
 * have started, so the work unwinds between two batches and closes what it opened.
 */
public class StoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoppedException() {
    super("stopped on request before the work was done");
  }
}
