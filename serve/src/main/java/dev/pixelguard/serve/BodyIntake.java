package dev.pixelguard.serve;

import dev.pixelguard.protocol.V2Json;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Takes the body of every inference request ({@code POST .../infer}) before Javalin sees it, asynchronously: while
 * the bytes arrive no request thread waits for them, so clients that send slowly, or stall after their headers,
 * hold a connection and the bytes they sent, never a thread. Javalin then reads the body from memory.
 *
 * <p>What one client can hold is bounded: a body must arrive in full within the body timeout of its headers, or
 * the request is answered 408 and its connection closed; a body over the size limit is answered 413. A request
 * the server would refuse anyway (stopping, or the queue too full for the images its headers announce) is
 * answered 503 with {@code Retry-After} as soon as its headers are in, before its body; the body is then read
 * and dropped, within the same limits, so that the connection can carry the next request.
 */
final class BodyIntake extends Handler.Wrapper {
  /** Paths that may be inference requests: more than Javalin routes to inference, never fewer. */
  private static final Pattern INFER = Pattern.compile(".*/infer/?");

  /**
   * The request attribute that says the body was read here (the inference handler reads no other): the
   * {@link System#nanoTime()} at which the request's headers had arrived, a {@code Long}.
   */
  static final String TAKEN = "pixelguard.body-taken";

  /** What the server decides from a request's headers alone. */
  interface Admission {
    /**
     * Whether to take a request announcing at least {@code images} images.
     *
     * @return null to take it, or why it is refused with 503
     */
    String refusal(int images);
  }

  private final long maxBody;
  private final long timeoutNanos;
  private final int bytesPerImage;
  private final Admission admission;
  private final IntConsumer answered;

  /**
   * @param maxBody the largest body taken, bytes
   * @param timeoutMillis how long a body may take to arrive after its headers, ms
   * @param bytesPerImage the bytes of one image as binary tensor data (4 C H W), to count the images a binary
   *     body announces
   * @param answered told the status of each request answered here
   */
  BodyIntake(long maxBody, long timeoutMillis, int bytesPerImage, Admission admission, IntConsumer answered) {
    this.maxBody = maxBody;
    this.timeoutNanos = timeoutMillis * 1_000_000L;
    this.bytesPerImage = bytesPerImage;
    this.admission = admission;
    this.answered = answered;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!HttpMethod.POST.is(request.getMethod()) || (!INFER.matcher(Request.getPathInContext(request)).matches()
        && !INFER.matcher(String.valueOf(request.getHttpURI().getPath())).matches())) {
      return super.handle(request, response, callback);
    }
    long length = request.getLength();
    if (length > maxBody) {
      answerAndClose(response, callback, 413, tooLarge(Long.toString(length)));
      return true;
    }
    String refusal = admission.refusal(announcedImages(request, length));
    Body body = new Body(request, response, callback, refusal == null);
    if (refusal != null) {
      // Answered now; the body is read afterwards only to keep the connection, and dropped.
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
      write(response, 503, refusal, Callback.from(body::run, callback::failed));
    } else {
      body.run();
    }
    return true;
  }

  /** The images a request's headers announce: a binary body's count, else 1. */
  private int announcedImages(Request request, long length) {
    String header = request.getHeaders().get(V2Json.INFERENCE_HEADER);
    if (header == null || length < 0) {
      return 1;
    }
    try {
      long binary = length - Long.parseLong(header.trim());
      return binary > 0 ? (int) Math.min(Integer.MAX_VALUE, Math.max(1, binary / bytesPerImage)) : 1;
    } catch (NumberFormatException e) {
      return 1; // the inference handler says what is wrong with it
    }
  }

  private String tooLarge(String size) {
    return String.format(Locale.ROOT, "the request body is %s bytes, over this server's limit of %d bytes (%d MiB); "
        + "send fewer images per request", size, maxBody, maxBody >> 20);
  }

  /** Answers with an error and closes the connection, whose unread body cannot carry another request. */
  private void answerAndClose(Response response, Callback callback, int status, String message) {
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    write(response, status, message, callback);
  }

  private void write(Response response, int status, String message, Callback callback) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(V2Json.error(message)), callback);
    answered.accept(status);
  }

  /**
   * One body being read, chunk by chunk as the bytes arrive: kept for the next handler, or dropped after a
   * refusal. Runs on whichever thread Jetty calls it on when content is there, and returns when none is.
   */
  private final class Body implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final boolean keep;
    private final long deadline;
    private final EndPoint endPoint;
    private final long idleTimeout;
    private byte[] bytes;
    private int size;
    private long seen;

    Body(Request request, Response response, Callback callback, boolean keep) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.keep = keep;
      this.deadline = request.getHeadersNanoTime() + timeoutNanos;
      this.endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
      this.idleTimeout = endPoint.getIdleTimeout();
      long declared = request.getLength();
      // Grown as bytes arrive, never sized by what a client merely declares.
      this.bytes = new byte[keep ? (int) Math.min(64 * 1024, Math.max(declared, 1024)) : 0];
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            timedOut();
            return;
          }
          // A client that stalls is caught by the idle timeout, which never outlasts the deadline.
          endPoint.setIdleTimeout(Math.max(1, Math.min(idleTimeout, left / 1_000_000L)));
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          if (chunk.isLast()) {
            endPoint.setIdleTimeout(idleTimeout);
            callback.failed(chunk.getFailure()); // the connection broke
          } else {
            timedOut(); // an idle timeout
          }
          return;
        }
        int n = chunk.remaining();
        seen += n;
        if (keep && seen <= maxBody) {
          append(chunk.getByteBuffer(), n);
        }
        chunk.release();
        if (seen > maxBody) {
          finish(413, tooLarge("more than " + maxBody));
          return;
        }
        if (chunk.isLast()) {
          endPoint.setIdleTimeout(idleTimeout);
          if (keep) {
            pass();
          } else {
            callback.succeeded();
          }
          return;
        }
        if (System.nanoTime() - deadline > 0) {
          timedOut();
          return;
        }
      }
    }

    private void append(ByteBuffer b, int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, (int) Math.min(maxBody, Math.max(size + n, 2L * bytes.length)));
      }
      b.get(bytes, size, n);
      size += n;
    }

    private void timedOut() {
      finish(408, String.format(Locale.ROOT, "the request body did not arrive within %.1f s of its headers "
          + "(%d bytes came); send it at once", timeoutNanos / 1e9, seen));
    }

    /** Ends the exchange with an error after a body that cannot be kept; the connection closes. */
    private void finish(int status, String message) {
      endPoint.setIdleTimeout(idleTimeout);
      if (keep) {
        answerAndClose(response, callback, status, message);
      } else {
        callback.succeeded(); // the refusal is already written; Jetty closes the connection it cannot reuse
      }
    }

    /** Hands the request on, its body read from memory. */
    private void pass() {
      Request replay = new Replay(request, Content.Chunk.from(ByteBuffer.wrap(bytes, 0, size), true));
      replay.setAttribute(TAKEN, request.getHeadersNanoTime());
      try {
        if (!BodyIntake.super.handle(replay, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable t) {
        callback.failed(t);
      }
    }
  }

  /** A request whose body is already in memory. */
  private static final class Replay extends Request.Wrapper {
    private Content.Chunk body;

    Replay(Request request, Content.Chunk body) {
      super(request);
      this.body = body;
    }

    @Override
    public synchronized Content.Chunk read() {
      Content.Chunk c = body;
      body = Content.Chunk.EOF;
      return c;
    }

    @Override
    public void demand(Runnable onContent) {
      onContent.run();
    }

    @Override
    public boolean consumeAvailable() {
      read();
      return true;
    }
  }
}
