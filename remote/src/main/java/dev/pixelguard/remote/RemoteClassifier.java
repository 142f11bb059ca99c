package dev.pixelguard.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pixelguard.InputException;
import dev.pixelguard.image.Image;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.AdmitsColours;
import dev.pixelguard.model.Classifier;
import dev.pixelguard.model.ColourRanges;
import dev.pixelguard.model.InputShape;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.model.ModelSpec;
import dev.pixelguard.model.Scores;
import dev.pixelguard.model.TensorCodec;
import dev.pixelguard.protocol.V2Json;
import dev.pixelguard.transform.Transform;
import dev.pixelguard.transform.Transforms;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model behind an Open Inference Protocol v2 endpoint (KServe, Triton, MLServer, {@code pixelguard serve}) as
 * a {@link Classifier}: {@code http://host:port/v2/models/NAME}.
 *
 * <pre>{@code
 * try (Classifier c = Models.open("http://127.0.0.1:8000/v2/models/resnet20")) {
 *   Scores s = c.classify(batch);       // one or more POST .../infer, FP32 JSON tensors
 * }
 * }</pre>
 *
 * <p>Opening reads the model's metadata (its one input, its outputs, datatypes and shapes). The descriptor
 * still says what the server cannot: the input's layout (read from the shape when the channel axis is
 * unambiguous), value range, normalisation, output kind and class names. Class names may also come from the
 * metadata's {@code parameters.classes} (a JSON list, as {@code pixelguard serve} sends). When the model has
 * outputs named {@code probabilities} and {@code logits} (pixelguard's server), both are read, so scores equal
 * the served model's bit for bit; otherwise its first output is read as the descriptor says.
 *
 * <p>A batch is sent as requests of at most {@link RemoteSettings#batch()} images, up to
 * {@link RemoteSettings#inFlight()} of them at once, and reassembled in order. Images go as binary tensor data
 * when the server lists the extension ({@value V2Json#BINARY_EXTENSION}) or {@link RemoteSettings#binary()} asks,
 * else as JSON numbers. Network faults are retried
 * ({@link V2Client}) and counted in {@link #transport()}, never turned into scores; a request that still fails
 * throws {@link dev.pixelguard.TransientException}. Every image sent counts once as a query to whoever
 * counts queries above this class, however often the network made it be sent. Thread-safe.
 *
 * <p>A served gate names the filters it looks at the image through in {@code parameters.filters} (a JSON list of
 * transform specs, as {@code pixelguard serve} sends); the remote model then says what they let through
 * ({@link AdmitsColours}), so an attack over HTTP searches where a change reaches the gate's models, as an attacker
 * who knows the defence would.
 */
public final class RemoteClassifier implements Classifier, AdmitsColours {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final V2Endpoint endpoint;
  private final V2Client client;
  private final TensorCodec codec;
  private final String inputName;
  private final List<String> outputs;
  private final boolean pair;
  private final int batch;
  private final boolean binary;
  private final ExecutorService pool;
  /** The transforms the served system looks at the image through (its metadata's filters); often none. */
  private final List<Transform> filters;

  private RemoteClassifier(V2Endpoint endpoint, V2Client client, TensorCodec codec, String inputName,
      List<String> outputs, boolean pair, int batch, boolean binary, List<Transform> filters) {
    this.binary = binary;
    this.filters = filters;
    this.endpoint = endpoint;
    this.client = client;
    this.codec = codec;
    this.inputName = inputName;
    this.outputs = outputs;
    this.pair = pair;
    this.batch = batch;
    int threads = client.settings().inFlight();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "pixelguard-remote-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects: reads the model's metadata (with retries) and checks it is an image classifier.
   *
   * @throws InputException if the location is no v2 model URL, the server refuses (4xx), or the model is not
   *     an image classifier with one FP32 input of rank 4
   * @throws dev.pixelguard.TransientException if the server cannot be reached after every retry
   */
  public static RemoteClassifier open(String location, ModelSpec spec, RemoteSettings settings) {
    V2Endpoint endpoint = V2Endpoint.parse(location);
    V2Client client = new V2Client(settings);
    JsonNode meta = client.getJson(endpoint.metadata());
    String where = "remote model " + endpoint;
    JsonNode inputs = meta.path("inputs");
    if (!inputs.isArray() || inputs.size() != 1) {
      throw new InputException(where + " has " + (inputs.isArray() ? inputs.size() : 0)
          + " inputs in its metadata; an image classifier has one");
    }
    JsonNode in = inputs.get(0);
    String datatype = in.path("datatype").asText("");
    if (!datatype.equals("FP32")) {
      throw new InputException(where + ": input '" + in.path("name").asText() + "' is " + datatype
          + "; pixelguard sends FP32 tensors (serve the model with an FP32 input)");
    }
    long[] ishape = longs(in.path("shape"));
    if (ishape.length != 4) {
      throw new InputException(where + ": input '" + in.path("name").asText() + "' has shape "
          + Arrays.toString(ishape) + "; an image classifier takes [N, C, H, W] or [N, H, W, C]");
    }
    InputShape input = InputShape.read(ishape, spec, where, where + "'s",
        "give --input C,H,W (or \"input\" in a descriptor)");
    ModelSpec s = input.spec();
    int c = input.channels();
    int h = input.height();
    int w = input.width();
    if (c != 1 && c != 3) {
      throw new InputException(where + " takes " + c + " channels (shape " + Arrays.toString(ishape)
          + "); pixelguard handles 1 or 3 (give --layout if the channel axis was misread)");
    }
    JsonNode outs = meta.path("outputs");
    if (!outs.isArray() || outs.isEmpty()) {
      throw new InputException(where + " lists no outputs in its metadata");
    }
    List<String> outNames = new ArrayList<>();
    for (JsonNode o : outs) {
      outNames.add(o.path("name").asText());
    }
    boolean pair = outNames.contains(V2Json.PROBABILITIES) && outNames.contains(V2Json.LOGITS);
    JsonNode scores = outs.get(pair ? outNames.indexOf(V2Json.LOGITS) : 0);
    long[] oshape = longs(scores.path("shape"));
    if (oshape.length != 2) {
      throw new InputException(where + ": output '" + scores.path("name").asText() + "' has shape "
          + Arrays.toString(oshape) + "; a classifier outputs [N, classes]");
    }
    if (!scores.path("datatype").asText("").startsWith("FP")) {
      throw new InputException(where + ": output '" + scores.path("name").asText() + "' is "
          + scores.path("datatype").asText() + "; a classifier outputs floating-point scores");
    }
    int k = (int) oshape[1];
    if (s.classNames().isEmpty()) {
      List<String> named = metadataClasses(meta.path("parameters").path("classes"));
      if (named != null && (k <= 0 || named.size() == k)) {
        s = s.withClassNames(named);
      }
    }
    if (k <= 0) {
      k = s.classNames().size();
    }
    if (k <= 0) {
      throw new InputException(where + " does not state its class count; give --classes");
    }
    if (!s.classNames().isEmpty() && s.classNames().size() != k) {
      throw new InputException(where + " has " + k + " classes but " + s.classNames().size()
          + " class names were given");
    }
    int batch = client.settings().batch();
    if (ishape[0] > 0) {
      batch = (int) Math.min(batch, ishape[0]);
    }
    ModelInfo info = new ModelInfo(c, h, w, k, s.classNames(), endpoint.model());
    TensorCodec codec = new TensorCodec(s, info, scores.path("name").asText());
    List<String> wanted = pair ? List.of(V2Json.PROBABILITIES, V2Json.LOGITS) : List.of(scores.path("name").asText());
    Boolean binary = client.settings().binary();
    if (binary == null) {
      binary = hasBinaryExtension(client, endpoint);
    }
    List<Transform> filters = filters(meta.path("parameters").path("filters"));
    return new RemoteClassifier(endpoint, client, codec, in.path("name").asText(), wanted, pair, batch, binary,
        filters);
  }

  /**
   * Whether the server lists the binary tensor extension in its metadata. A server that does not answer
   * {@code GET /v2} with JSON (some gateways expose only the model's paths) gets JSON numbers.
   */
  private static boolean hasBinaryExtension(V2Client client, V2Endpoint endpoint) {
    try {
      for (JsonNode e : client.getJson(endpoint.server()).path("extensions")) {
        if (e.asText().equals(V2Json.BINARY_EXTENSION)) {
          return true;
        }
      }
      return false;
    } catch (InputException e) {
      return false;
    }
  }

  /** Whether images go as binary tensor data (asked for, or found in the server's extensions). */
  public boolean binary() {
    return binary;
  }

  private static long[] longs(JsonNode list) {
    if (!list.isArray()) {
      return new long[0];
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asLong(-1);
    }
    return out;
  }

  /** The filters a served gate names: a JSON list of transform specs, as text (the protocol's parameters are). */
  private static List<Transform> filters(JsonNode node) {
    List<Transform> out = new ArrayList<>();
    if (node.isTextual()) {
      try {
        JsonNode list = V2Json.MAPPER.readTree(node.asText());
        for (JsonNode spec : list.isArray() ? list : V2Json.MAPPER.createArrayNode()) {
          out.add(Transforms.parse(spec.asText()));
        }
      } catch (java.io.IOException | dev.pixelguard.InputException e) {
        // a server's own parameters we cannot read: attack as if it named no filter
      }
    }
    return List.copyOf(out);
  }

  private static List<String> metadataClasses(JsonNode node) {
    return ModelSpec.classNamesFromJson(node.isTextual() ? node.asText() : node.isArray() ? node.toString() : null);
  }

  /** What the served system's filters let through; every colour when it names none. */
  @Override
  public ColourRanges admitted(Image image) {
    ColourRanges r = ColourRanges.full(image.channels(), image.height(), image.width());
    for (Transform t : filters) {
      ColourRanges a = t.admitted(image);
      r = a == null ? r : r.intersect(a);
    }
    return r;
  }

  /** The endpoint queried. */
  public V2Endpoint endpoint() {
    return endpoint;
  }

  /** What the network has done so far: requests, retries, failures, latency. */
  public TransportStats.Snapshot transport() {
    return client.stats().snapshot();
  }

  @Override
  public ModelInfo info() {
    return codec.info();
  }

  @Override
  public Scores classify(ImageBatch images) {
    int n = images.size();
    FloatBuffer all = codec.encode(images);
    if (n <= batch) {
      return send(all, 0, n);
    }
    List<Future<Scores>> parts = new ArrayList<>();
    for (int from = 0; from < n; from += batch) {
      int f = from;
      int to = Math.min(n, from + batch);
      parts.add(pool.submit(() -> send(all, f, to)));
    }
    List<Scores> out = new ArrayList<>(parts.size());
    try {
      for (Future<Scores> p : parts) {
        out.add(p.get());
      }
    } catch (InterruptedException e) {
      parts.forEach(p -> p.cancel(true));
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying " + endpoint, e);
    } catch (ExecutionException e) {
      parts.forEach(p -> p.cancel(true));
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
    return Scores.concat(out);
  }

  /** Sends images [from, to) of the encoded batch as one request. */
  private Scores send(FloatBuffer all, int from, int to) {
    int n = to - from;
    int per = info().channels() * info().height() * info().width();
    FloatBuffer part = all.duplicate();
    part.limit(to * per).position(from * per);
    byte[] answer;
    if (binary) {
      int[] header = new int[1];
      byte[] body = V2Json.binaryRequest(null, inputName, codec.inputShape(n), part, outputs, header);
      answer = client.post(endpoint.infer(), body, header[0]);
    } else {
      answer = client.post(endpoint.infer(), V2Json.request(null, inputName, codec.inputShape(n), part, outputs));
    }
    V2Json.Message m;
    try {
      m = V2Json.read(answer, "outputs");
    } catch (V2Json.FormatException e) {
      throw new InputException("remote model " + endpoint + " answered with an invalid body: " + e.getMessage());
    }
    if (!pair) {
      V2Json.Tensor t = output(m, outputs.get(0), n);
      return codec.decode(t.shape(), t.numbers(), n);
    }
    float[][] p = rows(output(m, V2Json.PROBABILITIES, n), n);
    float[][] z = rows(output(m, V2Json.LOGITS, n), n);
    try {
      return Scores.of(p, z);
    } catch (IllegalArgumentException e) {
      throw new InputException("remote model " + endpoint + " answered inconsistent scores: " + e.getMessage());
    }
  }

  private V2Json.Tensor output(V2Json.Message m, String name, int n) {
    V2Json.Tensor t = m.tensor(name);
    if (t == null) {
      throw new InputException("remote model " + endpoint + " did not return its output '" + name + "'");
    }
    long[] s = t.shape();
    if (s.length != 2 || s[0] != n || s[1] != info().numClasses() || t.size() != n * info().numClasses()) {
      throw new InputException("remote model " + endpoint + " returned output '" + name + "' of shape "
          + Arrays.toString(s) + " with " + t.size() + " values, expected [" + n + ", " + info().numClasses() + "]");
    }
    return t;
  }

  private float[][] rows(V2Json.Tensor t, int n) {
    int k = info().numClasses();
    float[][] out = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(t.numbers(), i * k, out[i], 0, k);
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
