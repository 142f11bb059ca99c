package dev.pixelguard.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.InputException;
import dev.pixelguard.TransientException;
import dev.pixelguard.protocol.V2Json;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of a remote model: one JDK {@link HttpClient} (connection reuse, HTTP/1.1 keep-alive, TLS) and
 * one Resilience4j {@link Retry} for every request. A timeout, a refused or reset connection, or a 5xx answer
 * is a {@link TransientException}, retried with exponential backoff and jitter for a stated time from the
 * request's first try ({@link RemoteSettings#retryFor()}, a minute by default: long enough for a server to be
 * restarted), not for a count of tries; a 4xx answer is an {@link InputException} carrying the server's
 * message, never retried. What happened is counted in {@link TransportStats}, apart from any attack outcome.
 * Thread-safe.
 */
final class V2Client {
  private static final AtomicLong IDS = new AtomicLong();

  private final HttpClient http;
  private final Retry retry;
  private final RemoteSettings settings;
  private final TransportStats stats = new TransportStats();

  V2Client(RemoteSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(Math.max(1, settings.backoff().toMillis()),
        2.0, 0.5, Math.max(1, settings.maxBackoff().toMillis()));
    RetryConfig config = RetryConfig.<byte[]>custom()
        .maxAttempts(settings.retries() < 0 ? Integer.MAX_VALUE : settings.retries() + 1)
        // The last pause ends at the deadline rather than past it.
        .intervalBiFunction((attempt, outcome) -> Math.max(0, Math.min(backoff.apply(attempt),
            outcome.isLeft() && outcome.getLeft() instanceof Fault f ? f.millisLeft() : Long.MAX_VALUE)))
        .retryOnException(e -> e instanceof Fault f && f.millisLeft() > 0)
        .failAfterMaxAttempts(false)
        .build();
    this.retry = Retry.of("pixelguard-v2-" + IDS.incrementAndGet(), config);
    retry.getEventPublisher().onRetry(e -> stats.retry());
    retry.getEventPublisher().onError(e -> {
      if (e.getLastThrowable() instanceof Fault) {
        stats.failure();
      }
    });
  }

  /** A transient fault of one try, with the deadline of the request it belongs to. */
  private static final class Fault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient TransientException fault;
    final long deadline;

    Fault(TransientException fault, long deadline) {
      super(fault.getMessage(), fault, false, false);
      this.fault = fault;
      this.deadline = deadline;
    }

    long millisLeft() {
      return (deadline - System.nanoTime()) / 1_000_000L;
    }
  }

  TransportStats stats() {
    return stats;
  }

  RemoteSettings settings() {
    return settings;
  }

  /** GETs a JSON document, with retries. */
  JsonNode getJson(URI uri) {
    byte[] body = call(() -> HttpRequest.newBuilder(uri).GET().header("Accept", "application/json"));
    try {
      return V2Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InputException("model server " + uri + " answered with malformed JSON: "
          + InputException.firstLine(e.getMessage()));
    }
  }

  /** POSTs a JSON body and returns the answer's body, with retries. */
  byte[] post(URI uri, byte[] json) {
    return post(uri, json, -1);
  }

  /**
   * POSTs a body, with retries.
   *
   * @param jsonLength the length of the body's JSON header when the rest is binary tensor data, or -1
   */
  byte[] post(URI uri, byte[] body, int jsonLength) {
    return call(() -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .header("Content-Type", jsonLength < 0 ? "application/json" : "application/octet-stream")
          .header("Accept", "application/json");
      return jsonLength < 0 ? b : b.header(V2Json.INFERENCE_HEADER, Integer.toString(jsonLength));
    });
  }

  private interface RequestSupplier {
    HttpRequest.Builder get();
  }

  private byte[] call(RequestSupplier request) {
    long start = System.nanoTime();
    long deadline = start + settings.retryFor().toNanos();
    int[] tries = new int[1];
    try {
      return retry.executeSupplier(() -> {
        tries[0]++;
        try {
          return once(request.get().timeout(settings.timeout()).build());
        } catch (TransientException e) {
          throw new Fault(e, deadline);
        }
      });
    } catch (Fault f) {
      throw new TransientException(String.format(java.util.Locale.ROOT, "%s (gave up after %d %s in %.1f s; "
          + "--remote-retry-for sets how long to keep trying)", f.fault.getMessage(), tries[0],
          tries[0] == 1 ? "try" : "tries", (System.nanoTime() - start) / 1e9), f.fault);
    }
  }

  private byte[] once(HttpRequest request) {
    stats.attempt();
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      stats.fault("connection");
      throw new TransientException("model server " + request.uri() + " could not be reached: " + describe(e), e);
    } catch (HttpTimeoutException e) {
      stats.fault("timeout");
      throw new TransientException("model server " + request.uri() + " did not answer within "
          + settings.timeout().toMillis() / 1000.0 + " s", e);
    } catch (IOException e) {
      stats.fault("connection");
      throw new TransientException("model server " + request.uri() + " dropped the connection: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + request.uri(), e);
    }
    int code = response.statusCode();
    if (code == 200) {
      stats.answered(System.nanoTime() - start);
      return response.body();
    }
    String message = errorMessage(response.body());
    if (code >= 500) {
      stats.fault("http " + code);
      throw new TransientException("model server " + request.uri() + " answered " + code + message);
    }
    throw new InputException("model server " + request.uri() + " refused the request (" + code + ")" + message);
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : InputException.firstLine(m);
  }

  /** The server's {@code {"error": ...}} message, as ": message", or empty. */
  private static String errorMessage(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode n = V2Json.MAPPER.readTree(body);
      if (n != null && n.path("error").isTextual()) {
        return ": " + InputException.firstLine(n.get("error").asText());
      }
    } catch (IOException ignored) {
      // not JSON: show the start of the text
    }
    String text = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "" : ": " + InputException.firstLine(text);
  }

  static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }
}
