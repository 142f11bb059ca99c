package dev.pixelguard.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntSupplier;

/**
 * The server's metrics in the Prometheus text format ({@code GET /metrics}), kept with the Prometheus Java
 * client in a registry of the server's own (so two servers in one JVM keep apart figures):
 *
 * <ul>
 *   <li>{@code pixelguard_requests_total{endpoint,code}}: requests answered, by endpoint and status code;
 *   <li>{@code pixelguard_request_duration_seconds}: inference latency, as a summary with the 50th, 90th, 99th
 *       and 99.9th percentiles over the last minutes, and as a histogram;
 *   <li>{@code pixelguard_images_total}, {@code pixelguard_batch_images} (histogram of model batch sizes),
 *       {@code pixelguard_batch_wait_seconds}, {@code pixelguard_batch_run_seconds} (the model's time per batch), {@code pixelguard_queue_images} (images waiting now);
 *   <li>{@code pixelguard_decisions_total{decision}}: a gate's accepted and abstained images.
 * </ul>
 */
final class ServerMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Summary latency;
  private final Histogram latencyHistogram;
  private final Counter images;
  private final Histogram batchImages;
  private final Histogram batchWait;
  private final Histogram batchRun;
  private final Counter decisions;

  ServerMetrics() {
    requests = Counter.builder().name("pixelguard_requests_total").help("Requests answered, by endpoint and status")
        .labelNames("endpoint", "code").register(registry);
    latency = Summary.builder().name("pixelguard_request_duration_seconds")
        .help("Inference latency from request received to answer written")
        .quantile(0.5, 0.01).quantile(0.9, 0.005).quantile(0.99, 0.001).quantile(0.999, 0.0001)
        .maxAgeSeconds(300).register(registry);
    latencyHistogram = Histogram.builder().name("pixelguard_request_latency_seconds")
        .help("Inference latency, histogram").classicOnly()
        .classicExponentialUpperBounds(0.0005, 2, 16).register(registry);
    images = Counter.builder().name("pixelguard_images_total").help("Images classified").register(registry);
    batchImages = Histogram.builder().name("pixelguard_batch_images").help("Images per model batch").classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
    batchWait = Histogram.builder().name("pixelguard_batch_wait_seconds")
        .help("How long a batch's oldest request queued before the model ran").classicOnly()
        .classicExponentialUpperBounds(0.0001, 2, 16).register(registry);
    batchRun = Histogram.builder().name("pixelguard_batch_run_seconds")
        .help("How long the model took over one batch").classicOnly()
        .classicExponentialUpperBounds(0.0005, 2, 16).register(registry);
    decisions = Counter.builder().name("pixelguard_decisions_total").help("Gate decisions, by decision")
        .labelNames("decision").register(registry);
  }

  /**
   * Adds {@code pixelguard_queue_images}, read from {@code queued} at each scrape. Called once, when the batcher
   * (which reports its batches here) exists.
   */
  void gaugeQueue(IntSupplier queued) {
    GaugeWithCallback.builder().name("pixelguard_queue_images").help("Images waiting for the model")
        .callback(cb -> cb.call(queued.getAsInt())).register(registry);
  }

  void request(String endpoint, int code) {
    requests.labelValues(endpoint, Integer.toString(code)).inc();
  }

  void inferred(double seconds) {
    latency.observe(seconds);
    latencyHistogram.observe(seconds);
  }

  void batch(MicroBatcher.BatchEvent e) {
    images.inc(e.images());
    batchImages.observe(e.images());
    batchWait.observe(e.waitSeconds());
    batchRun.observe(e.runSeconds());
  }

  void decision(boolean accepted) {
    decisions.labelValues(accepted ? "accept" : "abstain").inc();
  }

  /** The text exposition. */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
