package dev.pixelguard.remote;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the network did while a remote model was queried, kept apart from what the attack found: requests,
 * retries by cause, requests that failed after every retry, and the latency of answered requests. Thread-safe.
 */
public final class TransportStats {
  private final LongAdder attempts = new LongAdder();
  private final LongAdder answered = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final Map<String, LongAdder> faults = new ConcurrentHashMap<>();
  // Latency histogram: bucket b holds latencies in [2^(b/8), 2^((b+1)/8)) microseconds (9% wide).
  private final AtomicLong[] buckets = new AtomicLong[8 * 40];

  public TransportStats() {
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new AtomicLong();
    }
  }

  void attempt() {
    attempts.increment();
  }

  void answered(long nanos) {
    answered.increment();
    double micros = Math.max(1, nanos / 1000.0);
    int b = (int) Math.min(buckets.length - 1, Math.floor(8 * Math.log(micros) / Math.log(2)));
    buckets[b].incrementAndGet();
  }

  void fault(String kind) {
    faults.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void retry() {
    retries.increment();
  }

  void failure() {
    failures.increment();
  }

  /** The figures so far. */
  public Snapshot snapshot() {
    Map<String, Long> f = new TreeMap<>();
    faults.forEach((k, v) -> f.put(k, v.sum()));
    long[] counts = Arrays.stream(buckets).mapToLong(AtomicLong::get).toArray();
    return new Snapshot(attempts.sum(), answered.sum(), retries.sum(), failures.sum(), f,
        percentile(counts, 0.5), percentile(counts, 0.99), percentile(counts, 1.0));
  }

  /** The upper edge of the bucket holding the q-quantile, in milliseconds; 0 with no answers. */
  private static double percentile(long[] counts, double q) {
    long total = Arrays.stream(counts).sum();
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int b = 0; b < counts.length; b++) {
      seen += counts[b];
      if (seen >= rank) {
        return Math.pow(2, (b + 1) / 8.0) / 1000.0;
      }
    }
    return Math.pow(2, counts.length / 8.0) / 1000.0;
  }

  /**
   * @param attempts HTTP requests sent, retries included
   * @param answered requests answered with 200
   * @param retries requests sent again after a fault
   * @param failures requests given up after every retry (each one fails the command)
   * @param faults faults by kind: "timeout", "connection", "http 503", ...
   * @param p50ms median latency of answered requests, ms (within 9%)
   * @param p99ms 99th percentile, ms (within 9%)
   * @param maxMs the slowest, ms (within 9%)
   */
  public record Snapshot(long attempts, long answered, long retries, long failures, Map<String, Long> faults,
      double p50ms, double p99ms, double maxMs) {
    public Snapshot {
      faults = Map.copyOf(faults);
    }

    /** One line for people. */
    public String describe() {
      StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d requests, %d retries", attempts, retries));
      if (!faults.isEmpty()) {
        StringBuilder f = new StringBuilder();
        new TreeMap<>(faults).forEach((k, v) -> f.append(f.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
        s.append(" (").append(f).append(')');
      }
      s.append(String.format(Locale.ROOT, ", %d failed; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms", failures,
          p50ms, p99ms, maxMs));
      return s.toString();
    }
  }
}
