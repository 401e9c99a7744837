package io.meridian.http.server;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * What every HTTP request of a {@link SharedPortServer} passes before its route, and what it is
 * answered while the server terminates. Line-protocol connections do not pass here: they slow the
 * client down by backpressure instead.
 */
public interface RequestGate {

  /**
   * Serves {@code request} through {@code route}, or answers it at once without calling {@code
   * route} (for example when the node is overloaded).
   */
  CompletionStage<HttpResponse> serve(
      HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> route);

  /** The answer to a request that arrives on an open connection after termination began. */
  HttpResponse shuttingDown(HttpRequest request);
}
