package dev.pixelguard.cli;

import dev.pixelguard.Stop;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What a stop signal does to a command run by {@link Main#main}. SIGTERM (a CI job's time-out) or Ctrl-C asks the
 * work to stop ({@link Stop#request}): the model calls in flight finish, no new one starts, and the work unwinds as
 * a {@link dev.pixelguard.Stop.StoppedException}, closing its files (a results file being written is removed; a journal
 * keeps every finished attempt) and its model; then the process exits with the signal's code, 143 for SIGTERM and
 * 130 for Ctrl-C ({@link ExitCode#STOPPED}). The JVM's own handling (run the shutdown hooks and exit at once) let
 * it exit while libtorch computed, which crashed inside libtorch, and it ran the unwinding, if any, while the JVM
 * was shutting down. That handling still comes on a second signal, when the work has not unwound after
 * {@link #GRACE_SECONDS}, and for a command that stops itself ({@code serve} drains its requests in its shutdown
 * hook). The signals are caught through {@code sun.misc.Signal} (module jdk.unsupported), as Java has no other way.
 */
@SuppressWarnings("sunapi")
final class StopOnSignal {
  /** How long a stop waits for the work to unwind before the process exits anyway. */
  static final int GRACE_SECONDS = 30;

  private static volatile boolean leftToCommand;
  private static volatile Signal received;

  private StopOnSignal() {}

  /** Makes SIGTERM and Ctrl-C stop the work, from now on (where the JVM lets a program handle them). */
  static void install() {
    for (String name : List.of("TERM", "INT")) {
      try {
        SignalHandler[] jvm = new SignalHandler[1];
        jvm[0] = Signal.handle(new Signal(name), s -> stop(s, jvm[0]));
      } catch (IllegalArgumentException e) {
        // kept by the JVM (-Xrs) or ignored by whoever started it (SIGINT of a background job): left as it is
      }
    }
  }

  /**
   * The exit code of a command that returned {@code code}: the signal's (128 + its number) when a signal stopped
   * it, else {@code code}.
   */
  static int exitCode(int code) {
    Signal s = received;
    return s != null && code == ExitCode.STOPPED ? 128 + s.getNumber() : code;
  }

  /** For a command that stops itself on a signal ({@code serve} drains its requests first): the JVM's handling. */
  static void leaveToCommand() {
    leftToCommand = true;
  }

  private static synchronized void stop(Signal s, SignalHandler jvm) {
    if (leftToCommand || received != null || jvm == null) {
      exitAsTheJvmWould(s, jvm);
      return;
    }
    received = s;
    Stop.request();
    Thread deadline = new Thread(() -> {
      try {
        Thread.sleep(GRACE_SECONDS * 1000L);
      } catch (InterruptedException e) {
        return;
      }
      exitAsTheJvmWould(s, jvm);
    }, "pixelguard-stop-deadline");
    deadline.setDaemon(true);
    deadline.start();
  }

  /** The shutdown hooks, then exit with 128 + the signal's number. */
  private static void exitAsTheJvmWould(Signal s, SignalHandler jvm) {
    if (jvm == null || jvm == SignalHandler.SIG_DFL || jvm == SignalHandler.SIG_IGN) {
      System.exit(128 + s.getNumber());
    }
    jvm.handle(s);
  }
}
