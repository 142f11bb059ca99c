package dev.pixelguard.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long step: a bar with ETA on stderr when it is a terminal (the progressbar library, me.tongfei,
 * which handles terminal width and ETA); in a log (no terminal, a CI job) a line on stderr every
 * {@link #LOG_MILLIS} milliseconds (10 s) while the step runs, so that a run whose images resist is not silent for minutes:
 * "pixelguard: attacking: 12 of 92 images, fooled 3/12, 1,234 queries/s, about 3 min 20 s left". Nothing when
 * disabled (--quiet). Steps taken from a journal ({@link #skip}) count as done but not toward the rate.
 */
final class Progress implements AutoCloseable {
  /** Milliseconds between two progress lines in a log (system property {@code pixelguard.progress.millis}). */
  static final long LOG_MILLIS = Long.getLong("pixelguard.progress.millis", 10_000L);

  private final ProgressBar bar;
  private final String task;
  private final String unit;
  private final PrintWriter log;
  private final Thread ticker;
  private volatile long total;
  private volatile long done;
  /** Steps that cost nothing here (taken from a journal): left out of the rate. */
  private volatile long skipped;
  private volatile String extra = "";
  /** Said at the end of each log line, as it is then (a live rate), or null. */
  private volatile java.util.function.Supplier<String> live;
  /** The most seconds the step can still take, as it is then (NaN: unknown), or null to estimate from the rate. */
  private volatile java.util.function.DoubleSupplier atMost;
  /** When counting started, and the steps done then: the rate is measured from there. */
  private volatile long since = System.nanoTime();
  private volatile long doneSince;
  private boolean closed;

  private Progress(ProgressBar bar, String task, String unit, long total, PrintWriter log) {
    this.bar = bar;
    this.task = task;
    this.unit = unit;
    this.total = total;
    this.log = log;
    if (log != null) {
      ticker = new Thread(this::tick, "pixelguard-progress");
      ticker.setDaemon(true);
      ticker.start();
    } else {
      ticker = null;
    }
  }

  /**
   * A bar for {@code total} steps when stderr is an interactive terminal, lines on {@code log} every
   * {@link #LOG_MILLIS} milliseconds otherwise, or nothing when not enabled.
   *
   * @param unit what a step is, for the log lines ("images")
   */
  static Progress start(String task, String unit, long total, boolean enabled, PrintWriter log) {
    if (!enabled) {
      return new Progress(null, task, unit, total, null);
    }
    if (System.console() == null) {
      return new Progress(null, task, unit, total, log);
    }
    PrintStream err = System.err;
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
        .setUpdateIntervalMillis(250).showSpeed().build();
    return new Progress(bar, task, unit, total, null);
  }

  /** Whether a bar is shown (stderr is a terminal): per-image lines then wait for the end. */
  boolean shown() {
    return bar != null;
  }

  /** Sets the number of steps once it is known (for example after a clean pass). */
  void total(long n) {
    total = n;
    if (bar != null && bar.getMax() != n) {
      bar.maxHint(n);
    }
  }

  /**
   * What each log line says last, as it is when the line is written ("1,234 queries/s"), and the most seconds the
   * step can still take (a query budget left at the live rate), which replaces the estimate from the rate of
   * steps; either may be null.
   */
  void live(java.util.function.Supplier<String> now, java.util.function.DoubleSupplier secondsAtMost) {
    live = now;
    atMost = secondsAtMost;
  }

  /** One more step done here; {@code extra} says how it goes ("fooled 3/12"). */
  void step(String extra) {
    stepTo(done + 1, extra);
  }

  /** One more step done, taken from a journal: it costs nothing here, so it does not count toward the rate. */
  void skip(String extra) {
    skipped++;
    stepTo(done + 1, extra);
  }

  /** Moves to {@code done} steps (fewer than before: a new count begins, as audit's rows do). */
  void stepTo(long n, String extra) {
    if (n < done) {
      since = System.nanoTime();
      doneSince = n;
      skipped = 0;
    }
    done = n;
    this.extra = extra;
    if (bar != null) {
      bar.setExtraMessage(" " + extra);
      bar.stepTo(n);
    }
  }

  /** The log line: "pixelguard: attacking: 12 of 92 images, fooled 3/12, about 3 min 20 s left". */
  String line() {
    long n = done;
    long all = Math.max(total, n);
    double seconds = (System.nanoTime() - since) / 1e9;
    long here = n - doneSince - skipped;
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "pixelguard: %s: %s of %s %s", task,
        Text.count(n), Text.count(all), unit));
    if (!extra.isEmpty()) {
      b.append(", ").append(extra);
    }
    java.util.function.Supplier<String> now = live;
    if (now != null) {
      b.append(", ").append(now.get());
    }
    java.util.function.DoubleSupplier bound = atMost;
    double most = bound == null ? Double.NaN : bound.getAsDouble();
    if (n >= all) {
      return b.toString();
    }
    if (Double.isFinite(most)) {
      b.append(", at most ").append(duration(most)).append(" left");
    } else if (bound == null && here > 0) {
      b.append(", about ").append(duration((all - n) * seconds / here)).append(" left");
    }
    return b.toString();
  }

  /** "45 s", "3 min 20 s", "2 h 5 min". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + " s" : s < 3600 ? s / 60 + " min " + s % 60 + " s" : s / 3600 + " h " + s % 3600 / 60 + " min";
  }

  private void tick() {
    try {
      while (true) {
        Thread.sleep(LOG_MILLIS);
        synchronized (this) {
          if (closed) {
            return;
          }
          log.println(line());
          log.flush();
        }
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ticker != null) {
      ticker.interrupt();
    }
    if (bar != null) {
      bar.close();
    }
  }
}
