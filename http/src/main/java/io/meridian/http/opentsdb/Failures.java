package io.meridian.http.opentsdb;

import io.meridian.http.Handlers;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Turns the node services' domain exceptions into {@link TsdbException}s, whether a call throws
 * them at once (validation) or fails its stage with them later (an entity's answer), so that every
 * handler answers OpenTSDB's status and message for them; other failures pass unchanged.
 */
final class Failures {

  private Failures() {}

  /**
   * Runs {@code call}, translating its failures with {@code translate}, which returns a {@link
   * TsdbException} for the failures it knows and null for the others.
   */
  static <T> CompletionStage<T> translated(
      Supplier<CompletionStage<T>> call, Function<Throwable, TsdbException> translate) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      TsdbException tsdb = translate.apply(e);
      throw tsdb != null ? tsdb : e;
    }
    return stage.handle(
        (value, failure) -> {
          if (failure == null) {
            return value;
          }
          Throwable cause = Handlers.cause(failure);
          TsdbException tsdb = translate.apply(cause);
          if (tsdb != null) {
            throw tsdb;
          }
          throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
  }

  /** OpenTSDB's answer to a method an endpoint does not serve. */
  static TsdbException methodNotAllowed(HttpMethod method) {
    return new TsdbException(
        StatusCodes.METHOD_NOT_ALLOWED,
        "Method not allowed",
        "The HTTP method [" + method.name() + "] is not permitted for this endpoint");
  }
}
