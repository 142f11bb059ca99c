package dev.pixelguard.cli;

/** The command line's exit codes (also listed in README and in {@code pixelguard --help}). */
public final class ExitCode {
  /** The command did what was asked (an attack that finds nothing still exits 0; its output says so). */
  public static final int OK = 0;
  /** A defect in pixelguard or its engines; the message and a stack trace go to stderr. */
  public static final int INTERNAL = 1;
  /** Bad usage or bad input: unknown option, unreadable file, wrong image size, unknown class... */
  public static final int BAD_INPUT = 2;
  /** The robustness gate failed: robust accuracy is below {@code --fail-under}. */
  public static final int GATE_FAILED = 3;
  /** A failure that may pass when tried again (a remote model timed out or was busy); nothing was written. */
  public static final int TRANSIENT = 4;
  /**
   * Stopped by SIGTERM (143, 128 + 15; Ctrl-C gives 130, 128 + 2): the model calls in flight finished, no new one
   * started, and no output was written but the journal of the attempts that finished ({@link StopOnSignal}).
   */
  public static final int STOPPED = 143;

  private ExitCode() {}
}
