package io.meridian.node.series;

/**
 * The store could not complete a request in time: an entity did not answer within the ask timeout
 * or its journal write failed. APIs answer 503 with Retry-After; retrying the same write is safe
 * because a sample rewritten at the same timestamp replaces itself.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
