package dev.pixelguard.spark;

import dev.pixelguard.TransientException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The masters of a Spark standalone cluster that a {@code spark://HOST:PORT[,HOST2:PORT2...]} URL names, tried
 * before Spark starts. Spark itself tries to register with an unreachable master three times for 20 s each and
 * then stops the context, so the job failed after about 70 s with "Cannot call methods on a stopped SparkContext",
 * which hides the cause. Other masters (local, yarn, k8s, mesos) are Spark's to reach.
 */
final class StandaloneMasters {
  /** How long one master may take to accept a connection. */
  static final int CONNECT_TIMEOUT_MS = 5_000;

  private StandaloneMasters() {}

  /**
   * Returns when {@code master} is not a standalone URL, or when one of its masters accepts a TCP connection.
   *
   * @throws TransientException naming the URL and why each master could not be reached, when none could
   */
  static void requireReachable(String master) {
    if (master == null || !master.startsWith("spark://")) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65_535) {
        return; // not HOST:PORT: Spark refuses the URL itself, in its own words
      }
      String host = hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException e) {
        reasons.add(hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }
    throw new TransientException("the Spark master " + master + " cannot be reached (" + String.join("; ", reasons)
        + "); check --master and that the master runs");
  }
}
