package io.meridian.http;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * How every API family runs a request handler: whether the handler throws or its stage fails, the
 * family's own failure mapping answers, never a bare 500 from Pekko HTTP.
 */
public final class Handlers {

  private Handlers() {}

  /**
   * {@code answer}, once the body of {@code request}, which no route will read, has been read and
   * dropped: Pekko HTTP closes a connection after an answer sent before its request's end, and a
   * client still sending the body then sees the connection reset instead of reading the answer.
   * Dropping the body streams it; nothing is buffered.
   */
  public static CompletionStage<HttpResponse> afterBody(
      HttpRequest request, HttpResponse answer, ClassicActorSystemProvider system) {
    return request.discardEntityBytes(system).completionStage().handle((done, failure) -> answer);
  }

  /** The failure a stage reports, without the {@link CompletionException} wrapping it. */
  public static Throwable cause(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }

  /**
   * Pekko's own rejection answers (405, 404, …) are plain text; this gives them to {@code error}
   * with their status and text (empty when there is none) so that each API family answers in its
   * own error format, keeping Pekko's headers (e.g. {@code Allow}). JSON answers pass unchanged.
   */
  public static HttpResponse inErrorFormat(
      HttpResponse response, BiFunction<StatusCode, String, HttpResponse> error) {
    if (response.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
      return response;
    }
    String text =
        response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    return error.apply(response.status(), text).addHeaders(response.getHeaders());
  }

  /**
   * Completes with {@code handler}'s response, or with {@code failure}'s answer to its failure (a
   * 503 answer with its {@link Unavailability} noted). A stack overflow is answered too (as an
   * unexpected failure): left to Pekko, it would end the connection's stream, and on a dispatcher
   * thread the actor system.
   */
  public static Route guarded(
      Supplier<CompletionStage<HttpResponse>> handler, Function<Throwable, HttpResponse> failure) {
    CompletionStage<HttpResponse> response;
    try {
      response = handler.get();
    } catch (RuntimeException | StackOverflowError e) {
      response = CompletableFuture.failedFuture(e);
    }
    return completeWithFuture(
        response.exceptionally(e -> Unavailability.noted(failure.apply(e), e)));
  }
}
