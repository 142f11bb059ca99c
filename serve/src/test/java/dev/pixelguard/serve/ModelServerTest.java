package dev.pixelguard.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.InputException;
import dev.pixelguard.data.Dataset;
import dev.pixelguard.data.LabeledImage;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ModelRequest;
import dev.pixelguard.model.Models;
import dev.pixelguard.model.Scores;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.remote.RemoteClassifier;
import dev.pixelguard.testing.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ResNet-20 served on 127.0.0.1 and read back through the v2 client, against the local ONNX model. */
class ModelServerTest {
  static Classifier local;
  static ModelServer server;
  static Dataset data;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    local = Models.open(Fixtures.resnetOnnx().toString());
    server = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString())))
        .name("resnet20").port(0).maxBody(1 << 20).build().start();
    data = Fixtures.cifar().limit(80);
  }

  @AfterAll
  static void stop() {
    server.close();
    server.model().close();
    local.close();
  }

  static ImageBatch batch(int from, int to) {
    return ImageBatch.of(data.images().subList(from, to).stream().map(LabeledImage::image).toList());
  }

  @Test
  void servedScoresEqualLocalOnesBitForBit() {
    ImageBatch b = batch(0, 80);
    Scores want = local.classify(b);
    try (Classifier remote = Models.open(ModelRequest.builder(server.url()).option("batch", "16")
        .option("in-flight", "3").option("binary", "false").build())) {
      assertEquals(local.info().classNames(), remote.info().classNames());
      assertEquals(List.of(3, 32, 32), List.of(remote.info().channels(), remote.info().height(), remote.info().width()));
      assertEquals(-1, remote.info().abstainClass());
      Scores got = remote.classify(b);
      for (int i = 0; i < b.size(); i++) {
        assertArrayEquals(want.probabilities(i), got.probabilities(i), "image " + i);
        assertEquals(want.logit(i, 3), got.logit(i, 3), "image " + i);
      }
      RemoteClassifier rc = remote.unwrap(RemoteClassifier.class).orElseThrow();
      assertFalse(rc.binary());
      assertEquals(5, rc.transport().answered() - 1, rc.transport().describe()); // 80 images in 5 requests + metadata
      assertEquals(0, rc.transport().retries());
    }
  }

  /** The binary tensor extension: images as little-endian floats after a JSON header, answers the same. */
  @Test
  void binaryTensorDataGivesTheSameAnswers() throws Exception {
    ImageBatch b = batch(0, 20);
    Scores want = local.classify(b);
    try (Classifier remote = Models.open(server.url())) {
      assertTrue(remote.unwrap(RemoteClassifier.class).orElseThrow().binary(), "found in the server's extensions");
      Scores got = remote.classify(b);
      for (int i = 0; i < b.size(); i++) {
        assertArrayEquals(want.probabilities(i), got.probabilities(i), "image " + i);
      }
    }
    int[] header = new int[1];
    byte[] body = V2Json.binaryRequest("x", ModelServer.INPUT, new long[] {20, 3, 32, 32}, b.buffer(), List.of(),
        header);
    // Ask for every output as binary data too.
    String json = new String(body, 0, header[0], StandardCharsets.UTF_8);
    String withParams = json.substring(0, json.length() - 1) + ",\"parameters\":{\"binary_data_output\":true}}";
    byte[] tail = java.util.Arrays.copyOfRange(body, header[0], body.length);
    byte[] again = java.nio.ByteBuffer.allocate(withParams.length() + tail.length)
        .put(withParams.getBytes(StandardCharsets.UTF_8)).put(tail).array();
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/infer"))
        .header(V2Json.INFERENCE_HEADER, Integer.toString(withParams.length()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(again)).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    int h = Integer.parseInt(r.headers().firstValue(V2Json.INFERENCE_HEADER).orElseThrow());
    assertArrayEquals(flat(want), V2Json.read(r.body(), h, "outputs").tensor("probabilities").numbers());
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/infer"))
        .header(V2Json.INFERENCE_HEADER, Integer.toString(header[0]))
        .POST(HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(body, body.length - 8))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("binary data"), bad.body());
  }

  @Test
  void concurrentSingleImageRequestsAreBatchedAndAnsweredCorrectly() throws Exception {
    Scores want = local.classify(batch(0, 64));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (Classifier remote = Models.open(server.url())) {
      List<Future<Scores>> f = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int k = i;
        f.add(pool.submit(() -> remote.classify(batch(k, k + 1))));
      }
      for (int i = 0; i < 64; i++) {
        assertArrayEquals(want.probabilities(i), f.get(i).get().probabilities(0), "image " + i);
      }
    } finally {
      pool.shutdown();
    }
    String metrics = get("/metrics").body();
    assertTrue(metrics.contains("pixelguard_batch_images_bucket"), metrics);
    assertTrue(metrics.contains("pixelguard_request_duration_seconds{quantile=\"0.99\"}"), metrics);
  }

  @Test
  void healthAndMetadataFollowTheProtocol() throws Exception {
    assertEquals(200, get("/v2/health/live").statusCode());
    assertEquals(200, get("/v2/health/ready").statusCode());
    assertEquals(200, get("/v2/models/resnet20/ready").statusCode());
    JsonNode meta = V2Json.MAPPER.readTree(get("/v2/models/resnet20").body());
    assertEquals("FP32", meta.at("/inputs/0/datatype").asText());
    assertEquals("[-1,3,32,32]", meta.at("/inputs/0/shape").toString());
    assertEquals("probabilities", meta.at("/outputs/0/name").asText());
    assertEquals("pixelguard", V2Json.MAPPER.readTree(get("/v2").body()).path("name").asText());
    HttpResponse<String> unknown = get("/v2/models/nosuch");
    assertEquals(404, unknown.statusCode());
    assertTrue(unknown.body().contains("this server serves 'resnet20'"), unknown.body());
  }

  @Test
  void badRequestsGet400WithAClearMessageAndTheServerStaysHealthy() throws Exception {
    float[] ok = new float[3 * 32 * 32];
    String okInput = "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":";
    String wrongShape = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3,28,28],\"data\":"
        + V2Json.MAPPER.writeValueAsString(new float[3 * 28 * 28]) + "}]}";
    String wrongType = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"INT8\",\"shape\":[1,3,32,32],\"data\":"
        + V2Json.MAPPER.writeValueAsString(new int[3 * 32 * 32]) + "}]}";
    String withNaN = "{" + okInput + V2Json.MAPPER.writeValueAsString(ok).replaceFirst("0\\.0", "\"NaN\"") + "}]}";
    String outOfRange = "{" + okInput + V2Json.MAPPER.writeValueAsString(ok).replaceFirst("0\\.0", "3.5") + "}]}";
    String shortData = "{" + okInput + "[0.5, 0.5]}]}";
    String malformed = "{\"inputs\": [{\"name\": \"input\", ";
    double before = bad400();
    assertBad(wrongShape.getBytes(StandardCharsets.UTF_8), "has shape [1, 3, 28, 28]; the model takes [N, 3, 32, 32]");
    assertBad(wrongType.getBytes(StandardCharsets.UTF_8), "must have datatype FP32, not INT8");
    assertBad(withNaN.getBytes(StandardCharsets.UTF_8), "value 0 (image 0) is NaN");
    assertBad(outOfRange.getBytes(StandardCharsets.UTF_8), "value 0 (image 0) is 3.5; values must be finite, in [0, 1]");
    assertBad(shortData.getBytes(StandardCharsets.UTF_8), "holds 3072 values, but its data has 2");
    assertBad(malformed.getBytes(StandardCharsets.UTF_8), "malformed JSON");
    assertEquals(200, get("/v2/health/ready").statusCode());
    try (Classifier remote = Models.open(server.url())) {
      assertEquals(local.classify(batch(0, 2)).top(1), remote.classify(batch(0, 2)).top(1));
    }
    assertEquals(before + 6, bad400());
  }

  /** A body over the limit is 413, which a client still sending it reads rather than a reset connection. */
  @Test
  void anOversizedBodyIs413AndTheClientReadsIt() throws Exception {
    byte[] huge = new byte[4 << 20];
    java.util.Arrays.fill(huge, (byte) ' ');
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v2/models/resnet20/infer"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(413, r.statusCode(), r.body());
    assertTrue(V2Json.MAPPER.readTree(r.body()).path("error").asText()
        .contains("4194304 bytes, over this server's limit of 1048576 bytes"), r.body());
  }

  @Test
  void aClientErrorIsAnInputErrorWithTheServersMessage() {
    InputException e = assertThrows(InputException.class,
        () -> Models.open(server.url().replace("resnet20", "resnet99")));
    assertTrue(e.getMessage().contains("(404): unknown model 'resnet99'"), e.getMessage());
  }

  static byte[] body(int from, int to) {
    return V2Json.request(null, ModelServer.INPUT, new long[] {to - from, 3, 32, 32}, batch(from, to).buffer(),
        List.of("probabilities"));
  }

  static float[] probabilities(HttpResponse<byte[]> r) throws Exception {
    return V2Json.read(r.body(), "outputs").tensor("probabilities").numbers();
  }

  static float[] flat(Scores s) {
    float[] out = new float[s.size() * s.numClasses()];
    for (int i = 0; i < s.size(); i++) {
      System.arraycopy(s.probabilities(i), 0, out, i * s.numClasses(), s.numClasses());
    }
    return out;
  }

  /** Past its queue the server answers 503 with Retry-After at once, answers the rest right, and stays up. */
  @Test
  void pastCapacityRequestsGet503AndTheOthersCorrectAnswers() throws Exception {
    try (ModelServer small = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString())))
        .name("resnet20").port(0).queue(8).maxBatch(8).workers(1).build().start()) {
      URI infer = URI.create(small.url() + "/infer");
      float[] want = flat(local.classify(batch(0, 8)));
      List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
      for (int i = 0; i < 48; i++) {
        sent.add(HTTP.sendAsync(HttpRequest.newBuilder(infer).POST(HttpRequest.BodyPublishers.ofByteArray(body(0, 8)))
            .build(), HttpResponse.BodyHandlers.ofByteArray()));
      }
      int ok = 0;
      int busy = 0;
      for (var f : sent) {
        HttpResponse<byte[]> r = f.get();
        if (r.statusCode() == 200) {
          ok++;
          assertArrayEquals(want, probabilities(r));
        } else {
          assertEquals(503, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
          assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
          busy++;
        }
      }
      assertTrue(ok > 0 && busy > 0, ok + " answered, " + busy + " refused");
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(small.url().replaceAll("/v2/models/.*", "")
          + "/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      small.model().close();
    }
  }

  /** Closing answers every request already taken, then refuses; none is dropped half-way. */
  @Test
  void aGracefulStopAnswersTheRequestsInFlight() throws Exception {
    ModelServer s = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString())))
        .name("resnet20").port(0).maxBatch(64).workers(1).build().start();
    URI infer = URI.create(s.url() + "/infer");
    float[] want = flat(local.classify(batch(0, 64)));
    List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      sent.add(HTTP.sendAsync(HttpRequest.newBuilder(infer).POST(HttpRequest.BodyPublishers.ofByteArray(body(0, 64)))
          .build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    Thread.sleep(150); // the first batches are running, the rest queued
    s.close();
    int ok = 0;
    for (var f : sent) {
      HttpResponse<byte[]> r = f.get();
      if (r.statusCode() == 200) {
        ok++;
        assertArrayEquals(want, probabilities(r));
      } else {
        assertEquals(503, r.statusCode());
      }
    }
    assertTrue(ok > 0, "the requests taken before the stop were answered");
    assertThrows(java.io.IOException.class, () -> get("/v2/health/live", s.port()));
    s.model().close();
  }

  /** The server's count of inference requests answered 400, from /metrics. */
  static double bad400() throws Exception {
    String line = "pixelguard_requests_total{code=\"400\",endpoint=\"infer\"} ";
    return get("/metrics").body().lines().filter(l -> l.startsWith(line))
        .mapToDouble(l -> Double.parseDouble(l.substring(line.length()))).findFirst().orElse(0);
  }

  static void assertBad(byte[] body, String message) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v2/models/resnet20/infer"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
    JsonNode error = V2Json.MAPPER.readTree(r.body());
    assertNotNull(error.get("error"), r.body());
    assertTrue(error.get("error").asText().contains(message), r.body());
  }

  static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return get(path, server.port());
  }

  static HttpResponse<String> get(String path, int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
