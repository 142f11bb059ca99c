package dev.pixelguard.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pixelguard.InputException;
import dev.pixelguard.image.ImageBatch;
import dev.pixelguard.model.ModelInfo;
import dev.pixelguard.protocol.V2Json;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Serves one model, or a gate in front of models, as an Open Inference Protocol v2 REST server (the protocol of
 * KServe, Triton and MLServer), on Javalin and Jetty 12:
 *
 * <pre>{@code
 * try (Gate gate = GateFile.read(Path.of("gate.json")).open(classes, shape);
 *     ModelServer server = ModelServer.builder(ServedModel.of(gate)).name("guarded").port(8000).build().start()) {
 *   server.awaitStop();
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code GET /v2/health/live}, {@code GET /v2/health/ready}, {@code GET /v2} (server metadata),
 * {@code GET /v2/models/NAME} (model metadata), {@code GET /v2/models/NAME/ready},
 * {@code POST /v2/models/NAME/infer} (the last three also under {@code /versions/VERSION}), and
 * {@code GET /metrics} (Prometheus). Inference takes one FP32 input {@code input} of shape [N, C, H, W], NCHW,
 * values in [0, 1], as JSON numbers or as little-endian binary data after a JSON header (the protocol's binary
 * tensor extension, header {@value V2Json#INFERENCE_HEADER}); the outputs are {@link ServedModel}'s, binary when the
 * request asks so.
 *
 * <p>Concurrent requests are grouped into model batches ({@link MicroBatcher}: up to {@code maxBatch} images,
 * waiting at most {@code maxWait} for company). The queue is bounded in images; when it is full a request is
 * answered 503 with {@code Retry-After} as soon as its headers are in, before its body is read. Bodies are read
 * asynchronously ({@link BodyIntake}): a client sending slowly holds no request thread, and a body must arrive
 * within the body timeout (else 408) and the size limit (else 413). A malformed request (not JSON, wrong shape
 * or datatype, non-finite or out-of-range values) is answered 400 with {@code {"error": ...}} saying what is
 * wrong, and the server carries on; every error, Jetty's own included, is such JSON: 404 for an unknown path,
 * 405 with {@code Allow} for a wrong method. {@link #close()} is graceful: readiness turns false, new requests
 * are refused with 503, requests already taken are answered, then the server stops.
 */
public final class ModelServer implements AutoCloseable {
  /** The only input's name. */
  public static final String INPUT = "input";

  private final ServedModel model;
  private final Builder settings;
  private final ServerMetrics metrics;
  private final MicroBatcher<ServedModel.Row> batcher;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object stopLock = new Object();
  private volatile boolean draining;
  private volatile boolean stopped;
  /** The routes, as path patterns and their methods: what a 405 lists in {@code Allow}. */
  private final List<Route> routes = new ArrayList<>();
  private Javalin app;
  private int boundPort = -1;

  private record Route(Pattern path, HandlerType method) {}

  /** The request attribute that marks an error this server answered itself (not Javalin's "not found"). */
  private static final String ANSWERED = "pixelguard.answered";

  private ModelServer(Builder b) {
    this.model = b.model;
    this.settings = b;
    this.metrics = new ServerMetrics();
    this.batcher = new MicroBatcher<>(model::answer, b.maxBatch, b.maxWait.toNanos() / 1000, b.queue, b.workers,
        metrics::batch);
    metrics.gaugeQueue(batcher::queued);
  }

  /** A builder for serving {@code model}. */
  public static Builder builder(ServedModel model) {
    return new Builder(model);
  }

  /**
   * Starts listening.
   *
   * @throws InputException if the address cannot be bound (in use, or no such host)
   */
  public ModelServer start() {
    ModelInfo info = model.info();
    BodyIntake intake = new BodyIntake(settings.maxBody, settings.bodyTimeout.toMillis(),
        4 * info.channels() * info.height() * info.width(), this::refusal, code -> metrics.request("infer", code));
    Javalin a = Javalin.create(config -> {
      config.http.maxRequestSize = settings.maxBody;
      config.http.defaultContentType = "application/json";
      config.startup.showJavalinBanner = false;
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(settings.drainTimeout.toMillis());
        server.setErrorHandler(new JsonErrors());
        server.insertHandler(intake);
      });
      route(config, HandlerType.GET, "/v2/health/live", ctx -> json(ctx, "health", 200, object().put("live", true)));
      route(config, HandlerType.GET, "/v2/health/ready", ctx -> json(ctx, "health", draining ? 503 : 200,
          object().put("ready", !draining)));
      route(config, HandlerType.GET, "/v2", ctx -> json(ctx, "metadata", 200, serverMetadata()));
      route(config, HandlerType.GET, "/v2/models/{model}", this::modelMetadata);
      route(config, HandlerType.GET, "/v2/models/{model}/versions/{version}", this::modelMetadata);
      route(config, HandlerType.GET, "/v2/models/{model}/ready", this::modelReady);
      route(config, HandlerType.GET, "/v2/models/{model}/versions/{version}/ready", this::modelReady);
      route(config, HandlerType.POST, "/v2/models/{model}/infer", this::infer);
      route(config, HandlerType.POST, "/v2/models/{model}/versions/{version}/infer", this::infer);
      route(config, HandlerType.GET, "/metrics", ctx -> {
        ctx.contentType(ServerMetrics.contentType());
        ctx.result(metrics.scrape());
      });
      config.routes.error(404, this::notFound);
      config.routes.exception(Exception.class, (e, ctx) -> {
        ctx.status(500).contentType("application/json").result(V2Json.error("internal error: " + e));
        metrics.request("other", 500);
      });
    });
    try {
      a.start(settings.host, settings.port);
    } catch (RuntimeException e) {
      batcher.close(0);
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      throw new InputException("cannot serve on " + settings.host + ":" + settings.port + ": "
          + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    }
    this.app = a;
    this.boundPort = a.port();
    return this;
  }

  /** The port listened on (the one the system chose when built with port 0). */
  public int port() {
    return boundPort;
  }

  /** The model's URL, for {@code --model}: {@code http://HOST:PORT/v2/models/NAME}. */
  public String url() {
    String h = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
    return "http://" + h + ":" + port() + "/v2/models/" + settings.name;
  }

  /** What is served. */
  public ServedModel model() {
    return model;
  }

  /** Blocks until {@link #close()} has stopped the server (from another thread or a shutdown hook). */
  public void awaitStop() throws InterruptedException {
    synchronized (stopLock) {
      while (!stopped) {
        stopLock.wait();
      }
    }
  }

  /**
   * Stops gracefully: readiness turns false and new inference requests get 503 at once; requests already
   * taken are answered (waiting up to the drain timeout); then the listener closes. Does not close the model.
   */
  @Override
  public void close() {
    synchronized (stopLock) {
      if (stopped) {
        return;
      }
    }
    draining = true;
    long deadline = System.nanoTime() + settings.drainTimeout.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (app != null) {
      app.stop();
    }
    batcher.close(settings.drainTimeout.toMillis());
    synchronized (stopLock) {
      stopped = true;
      stopLock.notifyAll();
    }
  }

  /** Registers a route, and remembers it for the {@code Allow} of a 405. */
  private void route(JavalinConfig config, HandlerType method, String path, Handler handler) {
    config.routes.addHttpHandler(method, path, handler);
    routes.add(new Route(Pattern.compile(path.replaceAll("\\{[^}]+}", "[^/]+") + "/?"), method));
    if (method == HandlerType.GET) {
      routes.add(new Route(routes.get(routes.size() - 1).path(), HandlerType.HEAD));
    }
  }

  /**
   * What Javalin found no route for: 405 with {@code Allow} when the path has routes for other methods, else 404;
   * both as the protocol's JSON. An error this server answered itself (an unknown model) is left as it is.
   */
  private void notFound(Context ctx) {
    if (ctx.attribute(ANSWERED) != null) {
      return;
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (Route r : routes) {
      if (r.path().matcher(ctx.path()).matches()) {
        allowed.add(r.method().name());
      }
    }
    if (allowed.isEmpty()) {
      error(ctx, "other", 404, "no such endpoint: " + ctx.method() + " " + ctx.path() + "; see GET /v2/models/"
          + settings.name);
    } else {
      ctx.header("Allow", String.join(", ", allowed));
      error(ctx, "other", 405, "method " + ctx.method() + " is not allowed on " + ctx.path() + "; it takes "
          + String.join(", ", allowed));
    }
  }

  /** Why a request announcing {@code images} images is refused from its headers alone, or null to take it. */
  private String refusal(int images) {
    return draining || batcher.full(images) ? busyMessage() : null;
  }

  private String busyMessage() {
    return draining ? "the server is shutting down"
        : "the server is at capacity (" + settings.queue + " images queued); try again shortly";
  }

  private static ObjectNode object() {
    return V2Json.MAPPER.createObjectNode();
  }

  private void json(Context ctx, String endpoint, int code, ObjectNode body) throws IOException {
    ctx.status(code).contentType("application/json").result(V2Json.MAPPER.writeValueAsBytes(body));
    metrics.request(endpoint, code);
  }

  private void error(Context ctx, String endpoint, int code, String message) {
    ctx.attribute(ANSWERED, true);
    ctx.status(code).contentType("application/json").result(V2Json.error(message));
    metrics.request(endpoint, code);
  }

  private ObjectNode serverMetadata() {
    ObjectNode o = object();
    o.put("name", "pixelguard");
    String v = ModelServer.class.getPackage().getImplementationVersion();
    o.put("version", v == null ? "0.1.0-SNAPSHOT" : v);
    o.putArray("extensions").add(V2Json.BINARY_EXTENSION);
    return o;
  }

  /** Whether the request names the served model (and version); answers 404 when not. */
  private boolean known(Context ctx, String endpoint) {
    String name = ctx.pathParam("model");
    String version = ctx.pathParamMap().get("version");
    if (!name.equals(settings.name)) {
      error(ctx, endpoint, 404, "unknown model '" + name + "'; this server serves '" + settings.name + "'");
      return false;
    }
    if (version != null && !version.equals(settings.version)) {
      error(ctx, endpoint, 404, "model '" + name + "' has no version '" + version + "'; it has version '"
          + settings.version + "'");
      return false;
    }
    return true;
  }

  private void modelMetadata(Context ctx) throws IOException {
    if (!known(ctx, "metadata")) {
      return;
    }
    ModelInfo info = model.info();
    ObjectNode o = object();
    o.put("name", settings.name);
    o.putArray("versions").add(settings.version);
    o.put("platform", "pixelguard");
    ObjectNode in = o.putArray("inputs").addObject();
    in.put("name", INPUT);
    in.put("datatype", "FP32");
    in.putArray("shape").add(-1).add(info.channels()).add(info.height()).add(info.width());
    ArrayNode outs = o.putArray("outputs");
    for (ServedModel.Output out : model.outputs()) {
      ObjectNode t = outs.addObject();
      t.put("name", out.name());
      t.put("datatype", out.datatype());
      ArrayNode shape = t.putArray("shape");
      for (long d : out.shape()) {
        shape.add(d);
      }
    }
    ObjectNode p = o.putObject("parameters");
    p.put("classes", V2Json.MAPPER.writeValueAsString(info.classNames()));
    p.put("layout", "NCHW");
    p.put("range", "[0, 1]");
    p.put("served", model.describe());
    if (!model.filters().isEmpty()) {
      p.put("filters", V2Json.MAPPER.writeValueAsString(model.filters()));
    }
    p.put("max_batch", settings.maxBatch);
    json(ctx, "metadata", 200, o);
  }

  private void modelReady(Context ctx) throws IOException {
    if (known(ctx, "health")) {
      json(ctx, "health", draining ? 503 : 200, object().put("name", settings.name).put("ready", !draining));
    }
  }

  private void infer(Context ctx) {
    // Latency counts from the end of the headers, the body's arrival included.
    Long headers = ctx.attribute(BodyIntake.TAKEN);
    long start = headers != null ? headers : System.nanoTime();
    if (!known(ctx, "infer")) {
      return;
    }
    // Counted from here, before the draining check, so that a stop waits for every request it did not refuse.
    inFlight.incrementAndGet();
    boolean handedOver = false;
    try {
      handedOver = infer(ctx, start);
    } finally {
      if (!handedOver) {
        inFlight.decrementAndGet();
      }
    }
  }

  /** Answers or hands the request to the batcher; returns whether the batcher's answer will end it. */
  private boolean infer(Context ctx, long start) {
    if (draining) {
      busy(ctx);
      return false;
    }
    ImageBatch images;
    V2Json.Message request;
    try {
      if (ctx.attribute(BodyIntake.TAKEN) == null) {
        throw new BadRequest("the request path " + ctx.path() + " is not in canonical form; send "
            + "/v2/models/" + settings.name + "/infer");
      }
      byte[] body = ctx.bodyAsBytes(); // in memory already: BodyIntake read it
      if (batcher.full(1)) {
        // Full since its headers came: refuse before the costly part (parsing), so overload does not starve the model.
        busy(ctx);
        return false;
      }
      request = V2Json.read(body, headerLength(ctx), "inputs");
      images = images(request);
    } catch (BadRequest | V2Json.FormatException e) {
      error(ctx, "infer", 400, e.getMessage());
      return false;
    }
    CompletableFuture<List<ServedModel.Row>> rows = batcher.offer(images);
    if (rows == null) {
      busy(ctx);
      return false;
    }
    ctx.future(() -> rows.handle((r, failure) -> {
      try {
        if (failure != null) {
          Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          error(ctx, "infer", 500, "the model failed: " + InputException.firstLine(String.valueOf(t.getMessage())));
        } else {
          ByteArrayOutputStream out = new ByteArrayOutputStream(r.size() * 256 + 256);
          int header = V2Json.response(out, request.id(), settings.name, settings.version,
              model.tensors(r, request.requestedOutputs()), request::wantsBinary);
          if (header >= 0) {
            ctx.header(V2Json.INFERENCE_HEADER, Integer.toString(header));
          }
          ctx.status(200).contentType(header >= 0 ? "application/octet-stream" : "application/json")
              .result(out.toByteArray());
          metrics.request("infer", 200);
          if (model.gated()) {
            r.forEach(row -> metrics.decision(row.decision().accepted()));
          }
          metrics.inferred((System.nanoTime() - start) / 1e9);
        }
        return null;
      } finally {
        inFlight.decrementAndGet();
      }
    }));
    return true;
  }

  /** The JSON header's length of a body in the binary tensor extension's form, or -1 for a JSON body. */
  private static int headerLength(Context ctx) throws BadRequest {
    String h = ctx.header(V2Json.INFERENCE_HEADER);
    if (h == null) {
      return -1;
    }
    try {
      int n = Integer.parseInt(h.trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequest(V2Json.INFERENCE_HEADER + " must be a whole number of bytes, was '" + h + "'");
    }
  }

  private void busy(Context ctx) {
    ctx.header("Retry-After", "1");
    error(ctx, "infer", 503, busyMessage());
  }

  /** A request the client must fix: answered 400 with the message. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  /** Checks the request's one input and makes it a batch. */
  private ImageBatch images(V2Json.Message m) throws BadRequest {
    ModelInfo info = model.info();
    if (m.tensors().size() != 1) {
      throw new BadRequest("the request has " + m.tensors().size() + " inputs; send one, named '" + INPUT + "'");
    }
    V2Json.Tensor t = m.tensors().get(0);
    if (!t.name().equals(INPUT)) {
      throw new BadRequest("unknown input '" + t.name() + "'; the model's input is '" + INPUT + "'");
    }
    if (!t.datatype().equals("FP32")) {
      throw new BadRequest("input '" + INPUT + "' must have datatype FP32, not " + t.datatype());
    }
    long[] s = t.shape();
    String want = "[N, " + info.channels() + ", " + info.height() + ", " + info.width() + "]";
    if (s.length != 4 || s[1] != info.channels() || s[2] != info.height() || s[3] != info.width()) {
      throw new BadRequest("input '" + INPUT + "' has shape " + java.util.Arrays.toString(s) + "; the model takes "
          + want + " (NCHW, values in [0, 1])");
    }
    if (s[0] < 1 || s[0] > settings.queue) {
      throw new BadRequest("input '" + INPUT + "' holds " + s[0] + " images; send from 1 to " + settings.queue);
    }
    int per = info.channels() * info.height() * info.width();
    long expected = s[0] * per;
    if (t.size() != expected) {
      throw new BadRequest("input '" + INPUT + "' has shape " + java.util.Arrays.toString(s) + ", which holds "
          + expected + " values, but its data has " + t.size());
    }
    float[] data = t.numbers();
    for (int i = 0; i < data.length; i++) {
      float v = data[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new BadRequest(String.format(Locale.ROOT, "input '%s' value %d (image %d) is %s; values must be finite, "
            + "in [0, 1]", INPUT, i, i / per, Float.isNaN(v) ? "NaN" : Float.toString(v)));
      }
    }
    for (String o : m.requestedOutputs()) {
      if (model.outputs().stream().noneMatch(x -> x.name().equals(o))) {
        throw new BadRequest("unknown output '" + o + "'; the model's outputs are "
            + String.join(", ", model.outputs().stream().map(ServedModel.Output::name).toList()));
      }
    }
    return ImageBatch.wrap((int) s[0], info.channels(), info.height(), info.width(), data);
  }

  /** Settings of a {@link ModelServer}. */
  public static final class Builder {
    private final ServedModel model;
    private String name;
    private String version = "1";
    private String host = "127.0.0.1";
    private int port = 8000;
    private int maxBatch = 64;
    private Duration maxWait = Duration.ofMillis(2);
    private int queue = 1024;
    private long maxBody = 32L << 20;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration bodyTimeout = Duration.ofSeconds(10);
    private int workers = 2;

    private Builder(ServedModel model) {
      this.model = model;
      this.name = model.info().name().replaceAll("\\.[A-Za-z]+$", "").replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    /** The model name in URLs (default: the model's file name without extension). */
    public Builder name(String v) {
      if (!v.matches("[A-Za-z0-9_.-]+")) {
        throw new InputException("the served model's name may hold letters, digits, '_', '.' and '-', was '" + v + "'");
      }
      name = v;
      return this;
    }

    /** The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface). */
    public Builder host(String v) {
      host = v;
      return this;
    }

    /** The port (default 8000; 0 lets the system choose). */
    public Builder port(int v) {
      if (v < 0 || v > 65535) {
        throw new InputException("the port must be from 0 to 65535, was " + v);
      }
      port = v;
      return this;
    }

    /** The most images one model batch holds (default 64). */
    public Builder maxBatch(int v) {
      if (v < 1) {
        throw new InputException("the largest batch must be at least 1 image, was " + v);
      }
      maxBatch = v;
      return this;
    }

    /** How long a request may wait for others to share its batch (default 2 ms; 0 never waits). */
    public Builder maxWait(Duration v) {
      if (v.isNegative()) {
        throw new InputException("the batching wait must not be negative");
      }
      maxWait = v;
      return this;
    }

    /** The most images waiting before requests are answered 503 (default 1024); also the most per request. */
    public Builder queue(int v) {
      if (v < 1) {
        throw new InputException("the queue must hold at least 1 image, was " + v);
      }
      queue = v;
      return this;
    }

    /** The largest request body in bytes (default 32 MiB); a larger one is answered 413. */
    public Builder maxBody(long v) {
      if (v < 1024) {
        throw new InputException("the body limit must be at least 1024 bytes, was " + v);
      }
      maxBody = v;
      return this;
    }

    /**
     * How many model batches may run at once (default 2): while one runs, the next is gathered. With ONNX Runtime
     * give each run fewer threads ({@code --threads 1}) so that the runs share the cores.
     */
    public Builder workers(int v) {
      if (v < 1 || v > 64) {
        throw new InputException("model workers must be from 1 to 64, was " + v);
      }
      workers = v;
      return this;
    }

    /**
     * How long a request body may take to arrive, counted from the end of its headers (default 10 s); a slower
     * body is answered 408 and its connection closed. While it arrives no request thread waits for it.
     */
    public Builder bodyTimeout(Duration v) {
      if (v.toMillis() < 1) {
        throw new InputException("the body timeout must be at least 1 ms, was " + v.toMillis() + " ms");
      }
      bodyTimeout = v;
      return this;
    }

    /** How long a graceful stop waits for requests in flight (default 30 s). */
    public Builder drainTimeout(Duration v) {
      drainTimeout = v;
      return this;
    }

    public ModelServer build() {
      return new ModelServer(this);
    }
  }
}
