package dev.pixelguard.remote;

import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelRequest;

/**
 * The {@code v2} backend: models behind an Open Inference Protocol v2 server, located by
 * {@code http://} or {@code https://} URLs ending {@code /v2/models/NAME}. Reads the request's options named
 * in {@link RemoteSettings} ({@code timeout}, {@code retry-for}, {@code retries}, {@code backoff-ms},
 * {@code batch}, {@code in-flight}, {@code binary}).
 */
public final class V2Backend implements ModelBackend {
  @Override
  public String name() {
    return "v2";
  }

  @Override
  public boolean handles(String location) {
    String scheme = ModelBackend.schemeOf(location);
    return "http".equals(scheme) || "https".equals(scheme);
  }

  @Override
  public Classifier open(ModelRequest request) {
    return RemoteClassifier.open(request.location(), request.specWithDataShape(),
        RemoteSettings.from(request.options()));
  }
}
