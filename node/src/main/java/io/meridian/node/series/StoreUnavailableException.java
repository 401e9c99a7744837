package io.meridian.node.series;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The store could not complete a request in time: an entity did not answer within the ask timeout
 * or its journal write failed. APIs answer 503 with Retry-After; retrying the same write is safe
 * because a sample rewritten at the same timestamp replaces itself.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code what} failed because of {@code failure} (unwrapped from its CompletionException). */
  public static StoreUnavailableException because(String what, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return new StoreUnavailableException(what + ": " + cause.getMessage(), cause);
  }

  /** The stage, failing with this exception (saying {@code what}) where it fails at all. */
  public static <R> CompletionStage<R> unlessAnswered(CompletionStage<R> stage, String what) {
    return stage.handle(
        (answer, failure) -> {
          if (failure != null) {
            throw because(what, failure);
          }
          return answer;
        });
  }
}
