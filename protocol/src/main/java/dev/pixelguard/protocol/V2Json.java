package dev.pixelguard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The body of Open Inference Protocol v2 inference requests and responses ({@code POST /v2/models/NAME/infer}),
 * as JSON or with the binary tensor data extension, read and written with Jackson's streaming API so that a
 * tensor of many thousand numbers costs no tree of nodes. Shared by the client ({@code pixelguard-remote}) and
 * pixelguard's server ({@code pixelguard-serve}), with the names both sides must agree on.
 *
 * <p>Floats are written in the shortest form that reads back to the same float and read as floats, so an
 * FP32 tensor crosses the wire unchanged, bit for bit: a model served over HTTP gives the scores the local
 * model gives. Tensor data may be flat or nested (the protocol allows both); it is read flat, row-major.
 */
public final class V2Json {
  /** Jackson set up for tensors: the fast float parser and writer (Schubfach). */
  public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build());

  /** The binary tensor extension's HTTP header: the length in bytes of the body's JSON part. */
  public static final String INFERENCE_HEADER = "Inference-Header-Content-Length";

  /** The name under which servers (Triton, pixelguard serve) list the binary tensor extension in {@code GET /v2}. */
  public static final String BINARY_EXTENSION = "binary_tensor_data";

  /** The output of class probabilities, FP32 [N, K], that pixelguard's server gives. */
  public static final String PROBABILITIES = "probabilities";

  /** The output of logits, FP32 [N, K], that pixelguard's server gives when the model has them. */
  public static final String LOGITS = "logits";

  private V2Json() {}

  /**
   * One tensor of a request or response.
   *
   * @param name the input or output name
   * @param datatype the protocol's datatype: FP32, FP64, INT32, INT64, BOOL, BYTES, ...
   * @param shape its shape
   * @param numbers the values of a numeric or BOOL tensor, flat, row-major (empty for BYTES)
   * @param strings the values of a BYTES tensor (empty otherwise)
   */
  public record Tensor(String name, String datatype, long[] shape, float[] numbers, List<String> strings) {
    public Tensor {
      shape = shape.clone();
      strings = List.copyOf(strings);
    }

    /** A numeric tensor. */
    public static Tensor of(String name, String datatype, long[] shape, float[] numbers) {
      return new Tensor(name, datatype, shape, numbers, List.of());
    }

    /** A BYTES tensor of strings, of shape [n]. */
    public static Tensor ofStrings(String name, List<String> values) {
      return new Tensor(name, "BYTES", new long[] {values.size()}, new float[0], values);
    }

    /** The number of elements the shape holds, or -1 when a dimension is negative. */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        if (d < 0) {
          return -1;
        }
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    /** How many values the data holds. */
    public int size() {
      return "BYTES".equals(datatype) ? strings.size() : numbers.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && name.equals(t.name) && datatype.equals(t.datatype) && Arrays.equals(shape, t.shape)
          && Arrays.equals(numbers, t.numbers) && strings.equals(t.strings);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return "Tensor[" + name + " " + datatype + " " + Arrays.toString(shape) + "]";
    }
  }

  /**
   * A request or response body.
   *
   * @param id the request id, or null
   * @param modelName the model name (responses), or null
   * @param modelVersion the model version (responses), or null
   * @param tensors the inputs (requests) or outputs (responses)
   * @param requestedOutputs the outputs a request names, or empty for all
   * @param binaryOutputs the outputs a request wants as binary data (the binary tensor extension): those it
   *     names with {@code "parameters": {"binary_data": true}}
   * @param allBinary whether a request asks for every output as binary data ({@code "parameters":
   *     {"binary_data_output": true}})
   */
  public record Message(String id, String modelName, String modelVersion, List<Tensor> tensors,
      List<String> requestedOutputs, java.util.Set<String> binaryOutputs, boolean allBinary) {
    public Message {
      tensors = List.copyOf(tensors);
      requestedOutputs = List.copyOf(requestedOutputs);
      binaryOutputs = java.util.Set.copyOf(binaryOutputs);
    }

    /** Whether the output of that name is wanted as binary data. */
    public boolean wantsBinary(String output) {
      return allBinary || binaryOutputs.contains(output);
    }

    /** The tensor of that name, or null. */
    public Tensor tensor(String name) {
      for (Tensor t : tensors) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return null;
    }
  }

  /** The body is not a valid v2 inference message; the message says why, in one line. */
  public static final class FormatException extends Exception {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  /**
   * Reads a request (tensors under {@code "inputs"}) or a response (under {@code "outputs"}).
   *
   * @param tensorsField "inputs" or "outputs"
   * @throws FormatException if the body is not JSON, not an object, or a tensor is malformed
   */
  public static Message read(byte[] body, String tensorsField) throws FormatException {
    return read(body, -1, tensorsField);
  }

  /**
   * Reads a body that may use the binary tensor data extension: a JSON header of {@code jsonLength} bytes (the
   * {@code Inference-Header-Content-Length} header), then each tensor's data whose parameters give a
   * {@code binary_data_size}, in order, little-endian.
   *
   * @param jsonLength the JSON header's length, or -1 when the whole body is JSON
   * @throws FormatException also when the binary part does not hold what the header says
   */
  public static Message read(byte[] body, int jsonLength, String tensorsField) throws FormatException {
    if (jsonLength > body.length) {
      throw new FormatException("Inference-Header-Content-Length is " + jsonLength + " but the body has only "
          + body.length + " bytes");
    }
    int json = jsonLength < 0 ? body.length : jsonLength;
    Binary binary = new Binary(body, json);
    Message m = parse(body, json, tensorsField, binary);
    if (binary.at != body.length) {
      throw new FormatException("the body has " + (body.length - binary.at) + " bytes past its tensors' "
          + "binary data");
    }
    return m;
  }

  /** The binary part of a body and how far it has been read. */
  private static final class Binary {
    final byte[] body;
    int at;

    Binary(byte[] body, int at) {
      this.body = body;
      this.at = at;
    }
  }

  private static Message parse(byte[] body, int json, String tensorsField, Binary binary) throws FormatException {
    try (JsonParser p = MAPPER.getFactory().createParser(body, 0, json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new FormatException("the body is not a JSON object");
      }
      String id = null;
      String modelName = null;
      String modelVersion = null;
      List<Tensor> tensors = null;
      List<String> requested = new ArrayList<>();
      java.util.Set<String> binaryOutputs = new java.util.HashSet<>();
      boolean allBinary = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if (field.equals(tensorsField)) {
          if (t != JsonToken.START_ARRAY) {
            throw new FormatException("'" + tensorsField + "' must be a list of tensors");
          }
          tensors = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            tensors.add(readTensor(p, tensorsField, binary));
          }
        } else if (field.equals("outputs") && tensorsField.equals("inputs")) {
          if (t != JsonToken.START_ARRAY) {
            throw new FormatException("'outputs' must be a list of {\"name\": ...} objects");
          }
          while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode o = p.readValueAsTree();
            if (o == null || !o.isObject() || !o.path("name").isTextual()) {
              throw new FormatException("each requested output must be an object with a \"name\"");
            }
            requested.add(o.get("name").asText());
            if (o.path("parameters").path("binary_data").asBoolean(false)) {
              binaryOutputs.add(o.get("name").asText());
            }
          }
        } else if (field.equals("parameters") && t == JsonToken.START_OBJECT) {
          JsonNode params = p.readValueAsTree();
          allBinary = params.path("binary_data_output").asBoolean(false);
        } else if (field.equals("id")) {
          id = p.getValueAsString();
        } else if (field.equals("model_name")) {
          modelName = p.getValueAsString();
        } else if (field.equals("model_version")) {
          modelVersion = p.getValueAsString();
        } else {
          p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new FormatException("the body is not a JSON object");
      }
      if (p.nextToken() != null) {
        throw new FormatException("the body has content after its JSON object");
      }
      if (tensors == null) {
        throw new FormatException("the body has no '" + tensorsField + "'");
      }
      return new Message(id, modelName, modelVersion, tensors, requested, binaryOutputs, allBinary);
    } catch (JsonParseException e) {
      throw new FormatException("malformed JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new FormatException("unreadable JSON: " + firstLine(e.getMessage()));
    }
  }

  private static Tensor readTensor(JsonParser p, String field, Binary binary) throws IOException, FormatException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new FormatException("each of '" + field + "' must be a tensor object");
    }
    String name = null;
    String datatype = null;
    long[] shape = null;
    Numbers numbers = new Numbers();
    List<String> strings = new ArrayList<>();
    boolean hasData = false;
    long binarySize = -1;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken t = p.nextToken();
      switch (f) {
        case "parameters" -> {
          JsonNode params = p.readValueAsTree();
          JsonNode size = params == null ? null : params.get("binary_data_size");
          if (size != null) {
            if (!size.canConvertToLong() || size.asLong() < 0) {
              throw new FormatException("a tensor's binary_data_size must be a whole number of bytes, was " + size);
            }
            binarySize = size.asLong();
          }
        }
        case "name" -> name = t == JsonToken.VALUE_STRING ? p.getText() : null;
        case "datatype" -> datatype = t == JsonToken.VALUE_STRING ? p.getText() : null; // case-sensitive, as the protocol says
        case "shape" -> {
          if (t != JsonToken.START_ARRAY) {
            throw new FormatException("a tensor's 'shape' must be a list of integers");
          }
          List<Long> dims = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
              throw new FormatException("a tensor's 'shape' must be a list of integers");
            }
            dims.add(p.getLongValue());
          }
          shape = dims.stream().mapToLong(Long::longValue).toArray();
        }
        case "data" -> {
          hasData = true;
          readData(p, numbers, strings, 0);
        }
        default -> p.skipChildren();
      }
    }
    if (name == null) {
      throw new FormatException("a tensor of '" + field + "' has no \"name\"");
    }
    if (datatype == null) {
      throw new FormatException("tensor '" + name + "' has no \"datatype\"");
    }
    if (shape == null) {
      throw new FormatException("tensor '" + name + "' has no \"shape\"");
    }
    if (binarySize >= 0) {
      if (hasData) {
        throw new FormatException("tensor '" + name + "' has both \"data\" and binary_data_size");
      }
      readBinary(name, datatype, binarySize, binary, numbers, strings);
    } else if (!hasData) {
      throw new FormatException("tensor '" + name + "' has no \"data\" and no binary_data_size");
    }
    if (datatype.equals("BYTES") ? numbers.size > 0 : !strings.isEmpty()) {
      throw new FormatException("tensor '" + name + "' has datatype " + datatype + " but "
          + (datatype.equals("BYTES") ? "numbers" : "strings") + " in its data");
    }
    return new Tensor(name, datatype, shape, numbers.toArray(), strings);
  }

  private static void readData(JsonParser p, Numbers numbers, List<String> strings, int depth)
      throws IOException, FormatException {
    JsonToken t = p.currentToken();
    if (t != JsonToken.START_ARRAY) {
      readScalar(p, numbers, strings);
      return;
    }
    if (depth > 16) {
      throw new FormatException("tensor data is nested more than 16 deep");
    }
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.START_ARRAY) {
        readData(p, numbers, strings, depth + 1);
      } else {
        readScalar(p, numbers, strings);
      }
    }
  }

  private static void readScalar(JsonParser p, Numbers numbers, List<String> strings)
      throws IOException, FormatException {
    switch (p.currentToken()) {
      case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> numbers.add(parseFloat(p));
      case VALUE_TRUE -> numbers.add(1f);
      case VALUE_FALSE -> numbers.add(0f);
      case VALUE_STRING -> {
        String s = p.getText();
        // JSON has no NaN or infinity; servers that write them as strings are read, so that they can be refused.
        switch (s) {
          case "NaN", "nan" -> numbers.add(Float.NaN);
          case "Infinity", "inf" -> numbers.add(Float.POSITIVE_INFINITY);
          case "-Infinity", "-inf" -> numbers.add(Float.NEGATIVE_INFINITY);
          default -> strings.add(s);
        }
      }
      case VALUE_NULL -> throw new FormatException("tensor data holds null");
      default -> throw new FormatException("tensor data holds an object; it must be numbers, booleans or strings");
    }
  }

  /**
   * The number token as the nearest float, exactly as {@link Float#parseFloat} would read it, but without
   * building a string for the common case (up to 17 significant digits, a small exponent): the digits make an
   * exact long, divided or multiplied by an exact power of ten in double arithmetic (one correct rounding); that
   * double rounds to the same float as the decimal does unless it lies exactly halfway between two floats, which
   * is then read the slow way.
   */
  static float parseFloat(JsonParser p) throws IOException {
    char[] c = p.getTextCharacters();
    int at = p.getTextOffset();
    int end = at + p.getTextLength();
    boolean negative = at < end && c[at] == '-';
    int i = negative ? at + 1 : at;
    long digits = 0;
    int significant = 0;
    int exponent = 0;
    boolean dot = false;
    for (; i < end; i++) {
      char ch = c[i];
      if (ch >= '0' && ch <= '9') {
        if (significant < 18) {
          if (digits != 0 || ch != '0') {
            significant++;
          }
          digits = digits * 10 + (ch - '0');
          if (dot) {
            exponent--;
          }
        } else if (!dot) {
          exponent++;
        }
      } else if (ch == '.' && !dot) {
        dot = true;
      } else {
        break;
      }
    }
    if (i < end) {
      if (c[i] != 'e' && c[i] != 'E') {
        return p.getFloatValue();
      }
      i++;
      boolean expNegative = i < end && c[i] == '-';
      if (i < end && (c[i] == '-' || c[i] == '+')) {
        i++;
      }
      int e = 0;
      if (i == end) {
        return p.getFloatValue();
      }
      for (; i < end; i++) {
        if (c[i] < '0' || c[i] > '9' || e > 1000) {
          return p.getFloatValue();
        }
        e = e * 10 + (c[i] - '0');
      }
      exponent += expNegative ? -e : e;
    }
    if (significant > 17 || digits > (1L << 53) || exponent < -22 || exponent > 22) {
      return p.getFloatValue();
    }
    double d = exponent < 0 ? digits / POWERS[-exponent] : digits * POWERS[exponent];
    if (exponent > 0 && digits * POWERS[exponent] > 9007199254740992.0) {
      return p.getFloatValue(); // the product was rounded: not one correct rounding of the decimal
    }
    float f = (float) d;
    if (isFloatMidpoint(d)) {
      return p.getFloatValue();
    }
    return negative ? -f : f;
  }

  private static final double[] POWERS = new double[23];

  static {
    double v = 1;
    for (int i = 0; i < POWERS.length; i++) {
      POWERS[i] = v;
      v *= 10;
    }
  }

  /** Whether a double lies exactly halfway between two adjacent floats (or is out of float's normal range). */
  private static boolean isFloatMidpoint(double d) {
    if (d == 0) {
      return false;
    }
    double a = Math.abs(d);
    if (a < Float.MIN_NORMAL || a > Float.MAX_VALUE) {
      return true; // subnormal or overflowing: leave it to the slow path
    }
    long bits = Double.doubleToRawLongBits(d);
    // A float keeps 23 of the double's 52 fraction bits; halfway means the other 29 are exactly 1000...0.
    return (bits & ((1L << 29) - 1)) == (1L << 28);
  }

  /** Bytes per element of a fixed-size datatype, or 0 for BYTES, or -1 for one pixelguard does not read. */
  private static int width(String datatype) {
    return switch (datatype) {
      case "BOOL", "INT8", "UINT8" -> 1;
      case "INT16", "UINT16" -> 2;
      case "FP32", "INT32", "UINT32" -> 4;
      case "FP64", "INT64", "UINT64" -> 8;
      case "BYTES" -> 0;
      default -> -1;
    };
  }

  private static void readBinary(String name, String datatype, long size, Binary b, Numbers numbers,
      List<String> strings) throws FormatException {
    if (size > b.body.length - b.at) {
      throw new FormatException("tensor '" + name + "' declares " + size + " bytes of binary data, but the body has "
          + (b.body.length - b.at) + " left");
    }
    int end = b.at + (int) size;
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b.body, b.at, (int) size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int w = width(datatype);
    if (w < 0) {
      throw new FormatException("tensor '" + name + "' has datatype " + datatype + ", which pixelguard does not read");
    }
    if (w > 0 && size % w != 0) {
      throw new FormatException("tensor '" + name + "' has " + size + " bytes of " + datatype + " data, not a multiple "
          + "of " + w);
    }
    while (buf.position() < end) {
      switch (datatype) {
        case "FP32" -> numbers.add(buf.getFloat());
        case "FP64" -> numbers.add((float) buf.getDouble());
        case "INT32" -> numbers.add(buf.getInt());
        case "UINT32" -> numbers.add(Integer.toUnsignedLong(buf.getInt()));
        case "INT64", "UINT64" -> numbers.add(buf.getLong());
        case "INT16" -> numbers.add(buf.getShort());
        case "UINT16" -> numbers.add(Short.toUnsignedInt(buf.getShort()));
        case "INT8" -> numbers.add(buf.get());
        case "BOOL", "UINT8" -> numbers.add(Byte.toUnsignedInt(buf.get()));
        case "BYTES" -> {
          if (end - buf.position() < 4) {
            throw new FormatException("tensor '" + name + "': truncated BYTES element");
          }
          int len = buf.getInt();
          if (len < 0 || len > end - buf.position()) {
            throw new FormatException("tensor '" + name + "': a BYTES element of " + len + " bytes overruns its data");
          }
          strings.add(new String(b.body, buf.position(), len, java.nio.charset.StandardCharsets.UTF_8));
          buf.position(buf.position() + len);
        }
        default -> throw new FormatException("tensor '" + name + "' has datatype " + datatype);
      }
    }
    b.at = end;
  }

  /** A tensor's data in the binary tensor extension's form: little-endian values, BYTES as length + UTF-8. */
  static byte[] binary(Tensor t) {
    if (t.datatype().equals("BYTES")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (String v : t.strings()) {
        byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b.length & 0xff);
        out.write((b.length >>> 8) & 0xff);
        out.write((b.length >>> 16) & 0xff);
        out.write((b.length >>> 24) & 0xff);
        out.writeBytes(b);
      }
      return out.toByteArray();
    }
    int w = width(t.datatype());
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(t.numbers().length * w).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : t.numbers()) {
      switch (t.datatype()) {
        case "FP32" -> buf.putFloat(v);
        case "FP64" -> buf.putDouble(v);
        case "INT32", "UINT32" -> buf.putInt((int) v);
        case "INT64", "UINT64" -> buf.putLong((long) v);
        default -> throw new IllegalArgumentException("no binary form for " + t.datatype() + " here");
      }
    }
    return buf.array();
  }

  /** A growable float list. */
  private static final class Numbers {
    float[] values = new float[1024];
    int size;

    void add(float v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  /**
   * Writes an inference request with one FP32 input.
   *
   * @param data the input values, from its position to its limit (not moved)
   * @param outputs the outputs to ask for, or empty for all
   */
  public static byte[] request(String id, String input, long[] shape, FloatBuffer data, List<String> outputs) {
    return request(id, input, shape, data, outputs, null);
  }

  /**
   * Writes an inference request with one FP32 input as the binary tensor extension has it: the JSON header,
   * then the input's values as little-endian floats (4 bytes each, no decimal text to write or parse).
   *
   * @return the body; its first {@code headerLength[0]} bytes are the JSON header, which the request must state
   *     in the {@code Inference-Header-Content-Length} header
   */
  public static byte[] binaryRequest(String id, String input, long[] shape, FloatBuffer data, List<String> outputs,
      int[] headerLength) {
    return request(id, input, shape, data, outputs, headerLength);
  }

  private static byte[] request(String id, String input, long[] shape, FloatBuffer data, List<String> outputs,
      int[] headerLength) {
    boolean binary = headerLength != null;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.remaining() * (binary ? 4 : 10) + 256);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes)) {
      g.writeStartObject();
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("inputs");
      g.writeStartObject();
      g.writeStringField("name", input);
      writeShape(g, shape);
      g.writeStringField("datatype", "FP32");
      if (binary) {
        g.writeObjectFieldStart("parameters");
        g.writeNumberField("binary_data_size", 4L * data.remaining());
        g.writeEndObject();
      } else {
        g.writeArrayFieldStart("data");
        for (int i = data.position(); i < data.limit(); i++) {
          g.writeNumber(data.get(i));
        }
        g.writeEndArray();
      }
      g.writeEndObject();
      g.writeEndArray();
      if (!outputs.isEmpty()) {
        g.writeArrayFieldStart("outputs");
        for (String o : outputs) {
          g.writeStartObject();
          g.writeStringField("name", o);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (binary) {
      headerLength[0] = bytes.size();
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 * data.remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      buf.asFloatBuffer().put(data.duplicate());
      bytes.writeBytes(buf.array());
    }
    return bytes.toByteArray();
  }

  /** Writes an inference response, all JSON. */
  public static void response(OutputStream out, String id, String model, String version, List<Tensor> outputs) {
    response(out, id, model, version, outputs, name -> false);
  }

  /**
   * Writes an inference response, the outputs {@code binary} picks as binary data after the JSON header.
   *
   * @return the JSON header's length (for {@code Inference-Header-Content-Length}), or -1 when no output is binary
   */
  public static int response(OutputStream out, String id, String model, String version, List<Tensor> outputs,
      java.util.function.Predicate<String> binary) {
    List<byte[]> tail = new ArrayList<>();
    CountingStream counted = new CountingStream(out);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(counted)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("model_name", model);
      if (version != null) {
        g.writeStringField("model_version", version);
      }
      if (id != null) {
        g.writeStringField("id", id);
      }
      g.writeArrayFieldStart("outputs");
      for (Tensor t : outputs) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        writeShape(g, t.shape());
        g.writeStringField("datatype", t.datatype());
        if (binary.test(t.name())) {
          byte[] b = binary(t);
          tail.add(b);
          g.writeObjectFieldStart("parameters");
          g.writeNumberField("binary_data_size", b.length);
          g.writeEndObject();
          g.writeEndObject();
          continue;
        }
        g.writeArrayFieldStart("data");
        if (t.datatype().equals("BYTES")) {
          for (String s : t.strings()) {
            g.writeString(s);
          }
        } else if (t.datatype().startsWith("INT") || t.datatype().startsWith("UINT")) {
          for (float v : t.numbers()) {
            g.writeNumber((long) v);
          }
        } else {
          for (float v : t.numbers()) {
            g.writeNumber(v);
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (tail.isEmpty()) {
      return -1;
    }
    int header = (int) counted.count;
    try {
      for (byte[] b : tail) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return header;
  }

  /** Counts what passes through, without closing the stream below. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  private static void writeShape(JsonGenerator g, long[] shape) throws IOException {
    g.writeArrayFieldStart("shape");
    for (long d : shape) {
      g.writeNumber(d);
    }
    g.writeEndArray();
  }

  /** The protocol's error body: {@code {"error": "..."}}. */
  public static byte[] error(String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", message);
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
