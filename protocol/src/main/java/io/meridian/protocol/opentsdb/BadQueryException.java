package io.meridian.protocol.opentsdb;

/**
 * Thrown when an OpenTSDB query (query string or JSON body) is malformed or refers to something
 * that does not exist, e.g. an unknown aggregator. The HTTP layer maps it to a 400 Bad Request
 * whose message is this exception's message, so messages follow OpenTSDB's wording where one
 * exists.
 */
public class BadQueryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BadQueryException(String message) {
    super(message);
  }

  public BadQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
