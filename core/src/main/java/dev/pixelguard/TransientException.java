package dev.pixelguard;

/**
 * A failure that may go away when the same thing is tried again: a remote model that timed out, a server
 * that answered 503 (busy) or closed the connection. Nothing in pixelguard throws it yet; a remote model
 * backend (an {@code http://} {@link dev.pixelguard.model.ModelBackend}) will, and callers may retry the call
 * that threw it, after a pause.
 *
 * <p>What the user supplied being wrong (a missing file, a model that is not an image classifier, a bad
 * option) stays an {@link InputException}: retrying does not help, and the command line exits with code 2.
 */
public class TransientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TransientException(String message) {
    super(message);
  }

  public TransientException(String message, Throwable cause) {
    super(message, cause);
  }
}
