package dev.pixelguard.cli;

import dev.pixelguard.TransientException;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelBackend;
import dev.pixelguard.model.ModelRequest;

/**
 * A model backend for {@code unreachable:} locations whose server never answers in time, standing in for the
 * remote backend to come: the command line must report it as a failure worth retrying (exit 4), not as bad
 * input. Registered for the tests only.
 */
public final class UnreachableBackend implements ModelBackend {
  @Override
  public String name() {
    return "unreachable";
  }

  @Override
  public boolean handles(String location) {
    return location.startsWith("unreachable:");
  }

  @Override
  public Classifier open(ModelRequest request) {
    throw new TransientException("model server " + request.location() + " did not answer within 10 s",
        new java.net.SocketTimeoutException("connect timed out"));
  }
}
