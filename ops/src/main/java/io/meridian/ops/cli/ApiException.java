package io.meridian.ops.cli;

/**
 * A request the API refused or could not serve, or a node that could not be reached: reported with
 * the API's message and the request's {@code tag} (to quote when reporting a problem), exit code 1.
 */
final class ApiException extends RuntimeException {

  private final int status;
  private final String tag;

  ApiException(int status, String message, String tag) {
    super(message);
    this.status = status;
    this.tag = tag;
  }

  /** The HTTP status, 0 when no answer came. */
  int status() {
    return status;
  }

  /** The request's tag (header {@code X-Meridian-Tag}), or null. */
  String tag() {
    return tag;
  }
}
