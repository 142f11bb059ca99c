package dev.pixelguard.serve;

import dev.pixelguard.protocol.V2Json;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The errors Jetty answers itself, before any route runs (a request line it cannot parse, an HTTP version it
 * does not speak, headers too large, ...), written as the protocol's {@code {"error": "..."}} rather than HTML
 * pages.
 */
final class JsonErrors extends ErrorHandler {
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(V2Json.error(describe(code, message))), callback);
  }

  private static String describe(int code, String message) {
    String status = HttpStatus.getMessage(code);
    return message == null || message.isBlank() || message.equals(status) ? "HTTP " + code + " " + status
        : "HTTP " + code + " " + status + ": " + message;
  }
}
