package io.meridian.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * How every API family runs a request handler: whether the handler throws or its stage fails, the
 * family's own failure mapping answers, never a bare 500 from Pekko HTTP.
 */
public final class Handlers {

  private Handlers() {}

  /** The failure a stage reports, without the {@link CompletionException} wrapping it. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /** Completes with {@code handler}'s response, or with {@code failure}'s answer to its failure. */
  public static Route guarded(
      Supplier<CompletionStage<HttpResponse>> handler, Function<Throwable, HttpResponse> failure) {
    CompletionStage<HttpResponse> response;
    try {
      response = handler.get();
    } catch (RuntimeException e) {
      response = CompletableFuture.failedFuture(e);
    }
    return completeWithFuture(response.exceptionally(failure));
  }
}
