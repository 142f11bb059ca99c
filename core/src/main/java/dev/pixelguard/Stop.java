package dev.pixelguard;

/**
 * A request, made once for the whole process, that the work stop: the command line makes it when it is asked to
 * stop (SIGTERM, Ctrl-C). Model backends check it before each call into their engine ({@link #check}), so work
 * ends between two batches and never inside one: a JVM that exits while a native engine computes (libtorch)
 * crashes in it. What is stopped unwinds as a {@link StoppedException}, closing what it opened on the way.
 */
public final class Stop {
  private static volatile boolean requested;

  private Stop() {}

  /** Asks every model call that has not started yet to refuse, from now on, for the rest of the process. */
  public static void request() {
    requested = true;
  }

  /** Whether a stop was requested. */
  public static boolean requested() {
    return requested;
  }

  /**
   * Refuses to start new work once a stop was requested.
   *
   * @throws StoppedException if it was
   */
  public static void check() {
    if (requested) {
      throw new StoppedException();
    }
  }

  /**
   * Work refused because the process was asked to stop ({@link #request}): thrown where a model call would have
   * started, so the work unwinds between two batches and closes what it opened.
   */
  public static final class StoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoppedException() {
      super("stopped on request before the work was done");
    }
  }
}
