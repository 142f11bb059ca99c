package dev.pixelguard.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.model.Models;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.testing.Fixtures;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer the server gives is the protocol's JSON error, whatever went wrong and at whichever layer: an
 * unknown path, a wrong method, an oversized body, a request line or header Jetty itself refuses. ResNet-20 on
 * 127.0.0.1, spoken to over plain sockets.
 */
class HttpErrorsTest {
  static ModelServer server;

  @BeforeAll
  static void start() {
    server = ModelServer.builder(ServedModel.of(Models.open(Fixtures.resnetOnnx().toString()))).name("resnet20")
        .port(0).maxBody(1 << 20).build().start();
  }

  @AfterAll
  static void stop() {
    server.close();
    server.model().close();
  }

  /** The answer is JSON {"error": "..."} whose message holds {@code words}. */
  static void assertJsonError(RawHttp.Answer a, int status, String words) throws Exception {
    assertEquals(status, a.status(), a.toString());
    assertTrue(String.valueOf(a.header("Content-Type")).startsWith("application/json"), a.toString());
    JsonNode error = V2Json.MAPPER.readTree(a.body());
    assertTrue(error.path("error").isTextual(), a.toString());
    assertTrue(error.get("error").asText().contains(words), a.toString());
  }

  static RawHttp.Answer send(String request) throws Exception {
    return RawHttp.exchange(server.port(), request);
  }

  @Test
  void anUnknownPathIsAJson404() throws Exception {
    assertJsonError(send("GET /nosuch HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "no such endpoint: GET /nosuch");
    assertJsonError(send("POST /v2/models/resnet20/explain HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 404,
        "no such endpoint");
  }

  @Test
  void aWrongMethodIs405WithAllow() throws Exception {
    RawHttp.Answer a = send("GET /v2/models/resnet20/infer HTTP/1.1\r\nHost: x\r\n\r\n");
    assertJsonError(a, 405, "GET");
    assertEquals("POST", a.header("Allow"), a.toString());
    RawHttp.Answer b = send("DELETE /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
    assertJsonError(b, 405, "DELETE");
    assertEquals(Set.of("GET", "HEAD"), Set.copyOf(Arrays.asList(b.header("Allow").split(",\\s*"))), b.toString());
    assertEquals(200, send("HEAD /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status(),
        "what Allow lists is answered");
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    // Announced and not sent: the answer comes from the headers alone.
    assertJsonError(send(RawHttp.postHead("/v2/models/resnet20/infer", 5L << 20)), 413,
        "over this server's limit of 1048576 bytes");
  }

  @Test
  void aRequestLineJettyRefusesIsAJsonError() throws Exception {
    assertJsonError(send("GET /v2 HTTP/9.9\r\nHost: x\r\n\r\n"), 505, "HTTP 505");
    assertJsonError(send("GET /v2 HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400, "HTTP 400");
  }

  @Test
  void aHeaderTooLargeIsAJsonError() throws Exception {
    assertJsonError(send("GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024) + "\r\n\r\n"), 431,
        "HTTP 431");
  }

  /** The protocol's datatypes are case-sensitive: "fp32" is not FP32. */
  @Test
  void datatypesAreMatchedCaseSensitively() throws Exception {
    String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"fp32\",\"shape\":[1,3,32,32],\"data\":"
        + V2Json.MAPPER.writeValueAsString(new float[3 * 32 * 32]) + "}]}";
    assertJsonError(send(RawHttp.postHead("/v2/models/resnet20/infer", body.length()) + body), 400,
        "must have datatype FP32, not fp32");
  }
}
