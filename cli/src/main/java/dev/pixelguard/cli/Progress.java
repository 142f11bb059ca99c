package dev.pixelguard.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with ETA on stderr when it is a terminal; nothing at all otherwise, so logs stay clean.
 * Uses the progressbar library (me.tongfei), which handles terminal width and ETA.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;
  private boolean closed;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** A bar for {@code total} steps, or a silent one when stderr is not an interactive terminal. */
  static Progress start(String task, long total, boolean enabled) {
    if (!enabled || System.console() == null) {
      return new Progress(null);
    }
    PrintStream err = System.err;
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
        .setUpdateIntervalMillis(250).showSpeed().build();
    return new Progress(bar);
  }

  /** Whether a bar is shown (stderr is a terminal): per-image lines then wait for the end. */
  boolean shown() {
    return bar != null;
  }

  /** Sets the number of steps once it is known (for example after a clean pass). */
  void total(long n) {
    if (bar != null && bar.getMax() != n) {
      bar.maxHint(n);
    }
  }

  void step(String extra) {
    if (bar != null) {
      bar.setExtraMessage(" " + extra);
      bar.step();
    }
  }

  /** Moves to {@code done} steps. */
  void stepTo(long done, String extra) {
    if (bar != null) {
      bar.setExtraMessage(" " + extra);
      bar.stepTo(done);
    }
  }

  @Override
  public void close() {
    if (bar != null && !closed) {
      closed = true;
      bar.close();
    }
  }
}
