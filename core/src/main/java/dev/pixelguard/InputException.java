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
}
