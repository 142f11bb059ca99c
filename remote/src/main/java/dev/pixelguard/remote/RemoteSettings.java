package dev.pixelguard.remote;

import dev.pixelguard.InputException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How pixelguard talks to a remote model: the settings a {@link dev.pixelguard.model.ModelRequest} carries as
 * options for the {@code v2} backend (the command line's {@code --remote-*} options).
 *
 * @param timeout how long one request may take before it is abandoned and retried (option {@code timeout},
 *     seconds; default 30)
 * @param retryFor how long a failed request is tried again, from its first try: timeouts, refused or reset
 *     connections and 5xx answers (option {@code retry-for}: seconds, or a number with {@code ms}, {@code s},
 *     {@code m} or {@code h}; default 60 s, long enough for a server to restart). No new try starts after it;
 *     one in progress may still take up to {@code timeout}. Zero tries once.
 * @param retries the most retries of one request, or -1 (the default) for as many as {@code retryFor} allows
 *     (option {@code retries})
 * @param backoff the pause before the first retry; each further pause doubles, with up to half of it drawn at
 *     random (jitter), up to {@code maxBackoff} and never past the end of {@code retryFor} (option
 *     {@code backoff-ms}; default 100)
 * @param maxBackoff the longest pause between tries (default 5 s)
 * @param batch the most images one request carries (option {@code batch}; default 64, or less when the
 *     server's metadata fixes the batch dimension)
 * @param inFlight how many requests one batch may have in flight at once (option {@code in-flight}; default 4)
 * @param binary whether images go as binary tensor data after a JSON header (the protocol's binary tensor
 *     extension, which Triton and pixelguard's server read) rather than as JSON numbers (option {@code binary}):
 *     true or false, or null (the default) to use it when the server's metadata ({@code GET /v2}) lists the
 *     extension {@code binary_tensor_data}
 */
public record RemoteSettings(Duration timeout, Duration retryFor, int retries, Duration backoff, Duration maxBackoff,
    int batch, int inFlight, Boolean binary) {
  /** The defaults. */
  public static final RemoteSettings DEFAULT = new RemoteSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), -1,
      Duration.ofMillis(100), Duration.ofSeconds(5), 64, 4, null);

  /** The option names this backend reads. */
  public static final String TIMEOUT = "timeout";
  public static final String RETRY_FOR = "retry-for";
  public static final String RETRIES = "retries";
  public static final String BACKOFF_MS = "backoff-ms";
  public static final String BATCH = "batch";
  public static final String IN_FLIGHT = "in-flight";
  public static final String BINARY = "binary";

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d*)?)\\s*(ms|s|m|h)?",
      Pattern.CASE_INSENSITIVE);

  public RemoteSettings {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new InputException("the remote timeout must be positive, was " + timeout.toMillis() / 1000.0 + " s");
    }
    if (retryFor.isNegative() || retryFor.compareTo(Duration.ofDays(1)) > 0) {
      throw new InputException("the remote retry time must be from 0 to 24 h, was " + retryFor.toMillis() / 1000.0
          + " s");
    }
    if (retries < -1 || retries > 100_000) {
      throw new InputException("remote retries must be from 0 to 100000, was " + retries);
    }
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0) {
      throw new InputException("the remote backoff must be from 0 to " + maxBackoff.toMillis() + " ms");
    }
    if (batch < 1) {
      throw new InputException("the remote batch must be at least 1, was " + batch);
    }
    if (inFlight < 1 || inFlight > 256) {
      throw new InputException("remote requests in flight must be from 1 to 256, was " + inFlight);
    }
  }

  /**
   * The settings a request's options give, the defaults for the rest.
   *
   * @throws InputException if an option is not a number or out of range
   */
  public static RemoteSettings from(Map<String, String> options) {
    RemoteSettings d = DEFAULT;
    Duration timeout = options.containsKey(TIMEOUT)
        ? Duration.ofMillis(Math.round(number(options, TIMEOUT) * 1000)) : d.timeout;
    Duration retryFor = options.containsKey(RETRY_FOR) ? duration(options, RETRY_FOR) : d.retryFor;
    int retries = options.containsKey(RETRIES) ? (int) integer(options, RETRIES) : d.retries;
    Duration backoff = options.containsKey(BACKOFF_MS) ? Duration.ofMillis(integer(options, BACKOFF_MS)) : d.backoff;
    Duration max = backoff.compareTo(d.maxBackoff) > 0 ? backoff : d.maxBackoff;
    int batch = options.containsKey(BATCH) ? (int) integer(options, BATCH) : d.batch;
    int inFlight = options.containsKey(IN_FLIGHT) ? (int) integer(options, IN_FLIGHT) : d.inFlight;
    Boolean binary = d.binary;
    if (options.containsKey(BINARY)) {
      String v = options.get(BINARY).trim();
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new InputException("remote option binary must be true or false, was '" + v + "'");
      }
      binary = Boolean.parseBoolean(v);
    }
    return new RemoteSettings(timeout, retryFor, retries, backoff, max, batch, inFlight, binary);
  }

  /** A duration: seconds, or a number with the unit ms, s, m or h ("60s", "1.5m", "500ms"). */
  private static Duration duration(Map<String, String> o, String key) {
    Matcher m = DURATION.matcher(o.get(key).trim());
    if (!m.matches()) {
      throw new InputException("remote option " + key + " must be a duration such as 60s, 2m or 500ms, was '"
          + o.get(key) + "'");
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(java.util.Locale.ROOT);
    double millis = v * switch (unit) {
      case "ms" -> 1;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 1_000;
    };
    if (millis > Duration.ofDays(1).toMillis()) {
      throw new InputException("remote option " + key + " must be at most 24 h, was '" + o.get(key) + "'");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  private static double number(Map<String, String> o, String key) {
    try {
      return Double.parseDouble(o.get(key).trim());
    } catch (NumberFormatException e) {
      throw new InputException("remote option " + key + " must be a number, was '" + o.get(key) + "'");
    }
  }

  private static long integer(Map<String, String> o, String key) {
    try {
      return Long.parseLong(o.get(key).trim());
    } catch (NumberFormatException e) {
      throw new InputException("remote option " + key + " must be a whole number, was '" + o.get(key) + "'");
    }
  }

  /** The same settings with another batch size. */
  public RemoteSettings withBatch(int b) {
    return new RemoteSettings(timeout, retryFor, retries, backoff, maxBackoff, b, inFlight, binary);
  }
}
