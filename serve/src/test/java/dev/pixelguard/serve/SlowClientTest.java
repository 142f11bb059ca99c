package dev.pixelguard.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.Dataset;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.Models;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.testing.Fixtures;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their headers and then trickle the body a byte at a time, or stall, must not keep anyone
 * else waiting: ResNet-20 on 127.0.0.1 with 500 such connections open, and ordinary inference requests beside
 * them.
 */
class SlowClientTest {
  static final int SLOW = 500;
  static final int STALLED = 50; // of the SLOW: headers, then nothing

  /**
   * Opens the slow connections and trickles a byte to each of them about every 100 ms until closed. A connection
   * the server closes (its body timed out) is opened again at once, as an attacker would: the load never lets up.
   */
  static final class SlowClients implements AutoCloseable {
    final int port;
    final String head;
    final Socket[] sockets = new Socket[SLOW];
    final Thread trickle;
    volatile boolean open = true;
    volatile int reopened;
    volatile String failure;

    SlowClients(int port, String head) throws IOException {
      this.port = port;
      this.head = head;
      for (int i = 0; i < SLOW; i++) {
        sockets[i] = connect();
      }
      trickle = new Thread(this::trickle, "trickle");
      trickle.setDaemon(true);
      trickle.start();
    }

    private Socket connect() throws IOException {
      Socket s = RawHttp.connect(port, 10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return s;
    }

    private void trickle() {
      while (open) {
        long start = System.nanoTime();
        for (int i = STALLED; i < SLOW && open; i++) {
          try {
            sockets[i].getOutputStream().write('{');
            sockets[i].getOutputStream().flush();
          } catch (IOException e) {
            try {
              sockets[i].close();
              sockets[i] = connect();
              reopened++;
            } catch (IOException x) {
              failure = x.toString();
            }
          }
        }
        long left = TimeUnit.MILLISECONDS.toNanos(100) - (System.nanoTime() - start);
        if (left > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
      }
    }

    @Override
    public void close() throws IOException {
      open = false;
      try {
        trickle.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void fiveHundredTricklingClientsLeaveOtherRequestsAnsweredWithinASecond() throws Exception {
    Dataset data = Fixtures.cifar().limit(16);
    try (Classifier local = Models.open(Fixtures.resnetOnnx().toString());
        ModelServer server = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString())))
            .name("resnet20").port(0).build().start()) {
      URI infer = URI.create(server.url() + "/infer");
      List<byte[]> bodies = new ArrayList<>();
      List<float[]> want = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        ImageBatch one = ImageBatch.of(List.of(data.images().get(i).image()));
        bodies.add(V2Json.request(null, ModelServer.INPUT, new long[] {1, 3, 32, 32}, one.buffer(),
            List.of(V2Json.PROBABILITIES)));
        want.add(local.classify(one).probabilities(0));
      }
      String head = RawHttp.postHead("/v2/models/resnet20/infer", bodies.get(0).length, "Content-Type: application/json");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      int reopened;
      try (SlowClients slow = new SlowClients(server.port(), head)) {
        Thread.sleep(1_000); // every slow request is in, and would hold a thread if reading bodies took one
        ExecutorService clients = Executors.newFixedThreadPool(2);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          int first = c;
          running.add(clients.submit(() -> {
            for (int k = first; System.nanoTime() < end; k += 2) {
              int i = k % bodies.size();
              long start = System.nanoTime();
              try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(infer).timeout(Duration.ofSeconds(3))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
                latencies.add(System.nanoTime() - start);
                assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                assertArrayEquals(want.get(i), V2Json.read(r.body(), "outputs").tensor(V2Json.PROBABILITIES)
                    .numbers(), "image " + i);
              } catch (IOException | InterruptedException | V2Json.FormatException e) {
                failures.add(e.toString());
                latencies.add(System.nanoTime() - start);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : running) {
          f.get();
        }
        clients.shutdown();
        assertEquals(null, slow.failure, "every slow connection could be opened");
        reopened = slow.reopened;
      }
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      double p99 = sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1) / 1e6;
      String figures = String.format(Locale.ROOT, "%d requests beside %d slow connections (%d stalled, %d reopened "
          + "after a 408): p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d failed %s", sorted.size(), SLOW, STALLED, reopened,
          sorted.get(sorted.size() / 2) / 1e6, p99, sorted.get(sorted.size() - 1) / 1e6, failures.size(),
          failures.stream().limit(3).toList());
      System.out.println(figures);
      assertTrue(failures.isEmpty(), figures);
      assertTrue(sorted.size() >= 100, figures);
      assertTrue(p99 < 1000, figures);
      server.model().close();
    }
  }

  /**
   * What a slow client gets: a body that has not arrived within the body timeout, stalled or trickled, is
   * answered 408 with the protocol's JSON error and the connection is closed; a chunked body that outgrows the
   * limit is answered 413 as it passes it.
   */
  @Test
  void aBodyThatTakesLongerThanTheTimeoutIs408AndAnOutgrownOneIs413() throws Exception {
    try (ModelServer server = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString())))
        .name("resnet20").port(0).bodyTimeout(Duration.ofMillis(1500)).maxBody(64 * 1024).build().start()) {
      String head = RawHttp.postHead("/v2/models/resnet20/infer", 12_000);
      try (Socket stalled = RawHttp.connect(server.port(), 10_000);
          Socket trickling = RawHttp.connect(server.port(), 10_000)) {
        long start = System.nanoTime();
        stalled.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        trickling.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 10; i++) {
          trickling.getOutputStream().write('{');
          Thread.sleep(100);
        }
        for (Socket s : List.of(stalled, trickling)) {
          RawHttp.Answer a = RawHttp.read(s.getInputStream());
          double seconds = (System.nanoTime() - start) / 1e9;
          assertEquals(408, a.status(), a.toString());
          assertEquals("close", a.header("Connection"), a.toString());
          assertTrue(V2Json.MAPPER.readTree(a.body()).path("error").asText()
              .contains("did not arrive within 1.5 s of its headers"), a.toString());
          assertTrue(seconds >= 1.4 && seconds < 5, seconds + " s");
          assertEquals(-1, s.getInputStream().read(), "the connection is closed");
        }
      }
      try (Socket chunked = RawHttp.connect(server.port(), 10_000)) {
        String big = Integer.toHexString(16 * 1024) + "\r\n" + "[".repeat(16 * 1024) + "\r\n";
        chunked.getOutputStream().write(("POST /v2/models/resnet20/infer HTTP/1.1\r\nHost: x\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + big.repeat(5)).getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Answer a = RawHttp.read(chunked.getInputStream());
        assertEquals(413, a.status(), a.toString());
        assertTrue(a.body().contains("more than 65536 bytes, over this server's limit"), a.toString());
      }
      server.model().close();
    }
  }
}
