package dev.pixelguard.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class V2JsonTest {
  /** Numbers read through the fast path must be the floats Float.parseFloat gives, bit for bit. */
  @Test
  void readsEveryNumberAsFloatParseFloatWould() throws Exception {
    Random r = new Random(11);
    List<String> texts = new ArrayList<>(List.of("0", "-0.0", "1", "0.5", "1e-5", "1E+3", "-3.4028235E38",
        "3.4028235E38", "1.4E-45", "1.17549435E-38", "0.12345678901234567890123", "123456789012345678901234567890",
        "16777217", "0.30000001192092896", "2.5e-10", "7e22", "9007199254740993", "0.000000000000000000000001"));
    for (int i = 0; i < 20_000; i++) {
      float f = switch (i % 4) {
        case 0 -> r.nextInt(256) / 255f;
        case 1 -> Float.intBitsToFloat(r.nextInt()) ;
        case 2 -> (float) r.nextGaussian() * 10;
        default -> r.nextFloat();
      };
      if (Float.isFinite(f)) {
        texts.add(Float.toString(f));
        texts.add(Double.toString(f));                       // up to 17 digits
        texts.add(String.format(java.util.Locale.ROOT, "%.12e", (double) f));
      }
      // Decimals halfway between two floats, and next to it: the double rounding trap.
      float g = r.nextFloat() * 100;
      double mid = ((double) g + (double) Math.nextUp(g)) / 2;
      texts.add(new java.math.BigDecimal(mid).toPlainString());
      texts.add(Double.toString(mid));
    }
    String json = "{\"outputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [" + texts.size()
        + "], \"data\": [" + String.join(", ", texts) + "]}]}";
    float[] got = V2Json.read(json.getBytes(StandardCharsets.UTF_8), "outputs").tensor("x").numbers();
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(Float.floatToRawIntBits(Float.parseFloat(texts.get(i))), Float.floatToRawIntBits(got[i]), texts.get(i));
    }
  }

  @Test
  void aRequestRoundTripsAndNestedDataIsReadFlat() throws Exception {
    float[] v = {0f, 1f, 0.1f, 1 / 3f, 0.99999994f, 1e-7f};
    byte[] body = V2Json.request("7", "input", new long[] {1, 1, 2, 3}, FloatBuffer.wrap(v), List.of("logits"));
    V2Json.Message m = V2Json.read(body, "inputs");
    assertEquals("7", m.id());
    assertEquals(List.of("logits"), m.requestedOutputs());
    assertArrayEquals(v, m.tensor("input").numbers());
    String nested = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 2], \"datatype\": \"FP32\", "
        + "\"data\": [[0.25, 0.5], [0.75, 1]]}]}";
    assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f, 1f},
        V2Json.read(nested.getBytes(StandardCharsets.UTF_8), "inputs").tensor("input").numbers());
  }

  @Test
  void binaryTensorDataRoundTripsBitForBit() throws Exception {
    float[] v = {0f, 1f, 0.1f, 1 / 3f, Float.MIN_VALUE, -2.5e-12f};
    int[] header = new int[1];
    byte[] body = V2Json.binaryRequest("b", "input", new long[] {1, 1, 2, 3}, FloatBuffer.wrap(v), List.of(), header);
    assertEquals(header[0] + 4 * v.length, body.length);
    V2Json.Message m = V2Json.read(body, header[0], "inputs");
    assertArrayEquals(v, m.tensor("input").numbers());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int h = V2Json.response(out, "b", "m", "1", List.of(V2Json.Tensor.of("p", "FP32", new long[] {1, 6}, v),
        V2Json.Tensor.ofStrings("reasons", List.of("", "low confidence; views disagree")),
        V2Json.Tensor.of("class", "INT32", new long[] {2}, new float[] {3, -1})), name -> !name.equals("class"));
    V2Json.Message r = V2Json.read(out.toByteArray(), h, "outputs");
    assertArrayEquals(v, r.tensor("p").numbers());
    assertEquals(List.of("", "low confidence; views disagree"), r.tensor("reasons").strings());
    assertArrayEquals(new float[] {3, -1}, r.tensor("class").numbers());
    assertEquals(-1, V2Json.response(new java.io.ByteArrayOutputStream(), null, "m", null, List.of(), n -> true));
  }

  @Test
  void binaryDataThatDoesNotMatchItsHeaderIsRefused() throws Exception {
    int[] header = new int[1];
    byte[] body = V2Json.binaryRequest(null, "input", new long[] {1, 1, 1, 4}, FloatBuffer.wrap(new float[4]),
        List.of(), header);
    byte[] shorter = java.util.Arrays.copyOf(body, body.length - 3);
    assertTrue(assertThrows(V2Json.FormatException.class, () -> V2Json.read(shorter, header[0], "inputs"))
        .getMessage().contains("declares 16 bytes of binary data, but the body has 13 left"));
    byte[] longer = java.util.Arrays.copyOf(body, body.length + 2);
    assertTrue(assertThrows(V2Json.FormatException.class, () -> V2Json.read(longer, header[0], "inputs"))
        .getMessage().contains("2 bytes past"));
    assertThrows(V2Json.FormatException.class, () -> V2Json.read(body, body.length + 1, "inputs"));
  }

  @Test
  void malformedBodiesAreRefusedInOneLine() {
    for (String bad : new String[] {"[1, 2]", "{\"inputs\": 3}", "{\"inputs\": [{\"name\": \"input\"}]}",
        "{\"inputs\": [{\"name\": \"input\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [null]}]}",
        "{\"inputs\": [", "{} {}"}) {
      V2Json.FormatException e = assertThrows(V2Json.FormatException.class,
          () -> V2Json.read(bad.getBytes(StandardCharsets.UTF_8), "inputs"), bad);
      assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
  }
}
