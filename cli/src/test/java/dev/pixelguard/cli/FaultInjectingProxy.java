package dev.pixelguard.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of a real server that misbehaves on a seeded share of requests, as
 * networks and busy servers do: it answers 503 without forwarding, holds a request past the client's timeout
 * before dropping it, or resets the connection (TCP RST). Every other request is forwarded to the server and its
 * answer relayed. For tests: it speaks just enough HTTP (Content-Length bodies, keep-alive, the binary tensor
 * extension's request header) for the v2 client.
 */
final class FaultInjectingProxy implements AutoCloseable {
  private final ServerSocket socket;
  private final URI target;
  private final double unavailable;
  private final double delayed;
  private final double reset;
  private final long delayMillis;
  private final Random random;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-proxy");
    t.setDaemon(true);
    return t;
  });
  final AtomicInteger forwarded = new AtomicInteger();
  final AtomicInteger answered503 = new AtomicInteger();
  final AtomicInteger timedOut = new AtomicInteger();
  final AtomicInteger resets = new AtomicInteger();

  /**
   * @param target the server's base, such as http://127.0.0.1:8000
   * @param unavailable share of requests answered 503
   * @param delayed share held for {@code delayMillis} and then dropped
   * @param reset share whose connection is reset
   */
  FaultInjectingProxy(URI target, double unavailable, double delayed, double reset, long delayMillis, long seed)
      throws IOException {
    this.target = target;
    this.unavailable = unavailable;
    this.delayed = delayed;
    this.reset = reset;
    this.delayMillis = delayMillis;
    this.random = new Random(seed);
    this.socket = new ServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    pool.submit(this::accept);
  }

  int port() {
    return socket.getLocalPort();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        pool.submit(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private synchronized double draw() {
    return random.nextDouble();
  }

  private void serve(Socket s) {
    try (s) {
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String[] lines = head.split("\r\n");
        String[] start = lines[0].split(" ");
        int length = 0;
        String inferenceHeader = null;
        for (String l : lines) {
          String lower = l.toLowerCase(Locale.ROOT);
          if (lower.startsWith("content-length:")) {
            length = Integer.parseInt(l.substring(15).trim());
          } else if (lower.startsWith("inference-header-content-length:")) {
            inferenceHeader = l.substring(l.indexOf(':') + 1).trim();
          }
        }
        byte[] body = in.readNBytes(length);
        double u = draw();
        if (u < reset) {
          resets.incrementAndGet();
          s.setSoLinger(true, 0);
          return;
        }
        if (u < reset + delayed) {
          timedOut.incrementAndGet();
          Thread.sleep(delayMillis);
          return;
        }
        if (u < reset + delayed + unavailable) {
          answered503.incrementAndGet();
          write(out, 503, "application/json", "{\"error\": \"busy (injected)\"}".getBytes(StandardCharsets.UTF_8));
          continue;
        }
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(target + start[1]));
        r = start[0].equals("POST")
            ? r.POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json")
            : r.GET();
        if (inferenceHeader != null) {
          r = r.header("Inference-Header-Content-Length", inferenceHeader);
        }
        HttpResponse<byte[]> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        forwarded.incrementAndGet();
        write(out, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
            answer.body());
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the proxy is closing
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    int state = 0;
    while ((c = in.read()) >= 0) {
      b.write(c);
      state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static void write(OutputStream out, int code, String type, byte[] body) throws IOException {
    String head = "HTTP/1.1 " + code + (code == 200 ? " OK" : code == 503 ? " Service Unavailable" : " Status")
        + "\r\nContent-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n"
        + (code == 503 ? "Retry-After: 1\r\n" : "") + "\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    pool.shutdownNow();
  }
}
