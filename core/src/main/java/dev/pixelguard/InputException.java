package dev.pixelguard;

/**
 * A problem with what the user supplied (a file, a model, an option value), as opposed to a defect in
 * pixelguard. The message is one complete sentence meant to be shown as is; the command line prints it on
 * one line and exits with code 2.
 */
public class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first line of a (possibly multi-line, possibly null) engine message, for one-line errors. */
  public static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "unknown error";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
