package dev.pixelguard.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.testing.Fixtures;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Past its queue the server refuses a request from its headers, before reading its body. */
class EarlyRefusalTest {
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** Images waiting in the server's queue, from its metrics. */
  static double queued(ModelServer server) throws Exception {
    String line = "pixelguard_queue_images ";
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url().replaceAll("/v2/models/.*", "") + "/metrics"))
            .build(), HttpResponse.BodyHandlers.ofString()).body().lines().filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
  }

  /** Sends {@code r} again and again, one at a time, while {@code on}. */
  static CompletableFuture<Void> feed(HttpRequest r, AtomicBoolean on) {
    return HTTP.sendAsync(r, HttpResponse.BodyHandlers.discarding())
        .thenCompose(x -> on.get() ? feed(r, on) : CompletableFuture.completedFuture(null));
  }

  @Test
  void pastTheQueueA503ComesBeforeTheBodyAndTheConnectionStaysUsable() throws Exception {
    // All 932 fixture images in one request, one batch, one engine thread: it runs long enough to fill the queue
    // behind it.
    List<Image> images = Fixtures.cifar().images().stream().map(LabeledImage::image).toList();
    int n = images.size();
    try (ModelServer server = ModelServer.builder(ServedModel.of(Models.open(ModelRequest.builder(
            Fixtures.resnetOnnx().toString()).threads(1).build())))
        .name("resnet20").port(0).workers(1).maxBatch(n).queue(n).build().start()) {
      ImageBatch many = ImageBatch.of(images);
      int[] header = new int[1];
      byte[] big = V2Json.binaryRequest(null, ModelServer.INPUT, new long[] {n, 3, 32, 32}, many.buffer(), List.of(),
          header);
      URI infer = URI.create(server.url() + "/infer");
      HttpRequest bigRequest = HttpRequest.newBuilder(infer).header(V2Json.INFERENCE_HEADER, Integer.toString(header[0]))
          .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build();
      int[] oneHeader = new int[1];
      byte[] one = V2Json.binaryRequest(null, ModelServer.INPUT, new long[] {1, 3, 32, 32},
          ImageBatch.of(images.subList(0, 1)).buffer(), List.of(), oneHeader);
      String head = RawHttp.postHead("/v2/models/resnet20/infer", one.length,
          V2Json.INFERENCE_HEADER + ": " + oneHeader[0]);
      // Two big requests always in flight: while one runs, the other waits in the queue, which is then full.
      AtomicBoolean feeding = new AtomicBoolean(true);
      List<CompletableFuture<Void>> feeders = List.of(feed(bigRequest, feeding), feed(bigRequest, feeding));
      RawHttp.Answer refused = null;
      Socket s = null;
      double ms = 0;
      // A probe that lands in the moment between two batches is taken, and waits for its body: then another.
      for (int probe = 1; refused == null; probe++) {
        assertTrue(probe <= 10, "no request was refused from its headers alone while the queue was full");
        long giveUp = System.nanoTime() + 20_000_000_000L;
        while (queued(server) < n) {
          assertTrue(System.nanoTime() < giveUp, "the queue never filled");
          Thread.sleep(2);
        }
        s = RawHttp.connect(server.port(), 1_500);
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        long start = System.nanoTime();
        try {
          refused = RawHttp.read(s.getInputStream()); // the body is not sent: a refusal needs none
          ms = (System.nanoTime() - start) / 1e6;
        } catch (SocketTimeoutException e) {
          s.close();
        }
      }
      try (Socket connection = s) {
        assertEquals(503, refused.status(), refused.toString());
        assertEquals("1", refused.header("Retry-After"), refused.toString());
        assertTrue(V2Json.MAPPER.readTree(refused.body()).path("error").asText().contains("at capacity"),
            refused.toString());
        System.out.printf("503 from the headers in %.1f ms%n", ms);
        feeding.set(false);
        for (CompletableFuture<Void> f : feeders) {
          f.get();
        }
        // The body sent after all is read and dropped; the connection then carries the next request.
        connection.setSoTimeout(30_000);
        connection.getOutputStream().write(one);
        connection.getOutputStream().write((head + new String(one, StandardCharsets.ISO_8859_1))
            .getBytes(StandardCharsets.ISO_8859_1));
        connection.getOutputStream().flush();
        RawHttp.Answer answered = RawHttp.read(connection.getInputStream());
        assertEquals(200, answered.status(), answered.toString());
      }
      server.model().close();
    }
  }
}
