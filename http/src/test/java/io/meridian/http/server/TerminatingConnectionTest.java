package io.meridian.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.telnet.TelnetStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A request that arrives on a connection still open after termination began is not served: it gets
 * the gate's shutdown answer (its API's 503) and closes the connection.
 */
class TerminatingConnectionTest {

  private static final ActorTestKit KIT = ActorTestKit.create("TerminatingConnectionTest");

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aRequestAfterTerminationBeganGetsTheGatesShutdownAnswerAndCloses() throws Exception {
    Connections connections = new Connections(TelnetStats.get(KIT.system()), new ShutdownOnly());
    Connections.Live connection = connections.open(new InetSocketAddress("127.0.0.1", 4242));
    connections.terminate(Duration.ofSeconds(30));

    HttpResponse response =
        connection
            .serve(
                HttpRequest.create("/api/put"),
                request -> {
                  throw new AssertionError("served during termination");
                })
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(response.status()).isEqualTo(StatusCodes.SERVICE_UNAVAILABLE);
    assertThat(((HttpEntity.Strict) response.entity()).getData().utf8String())
        .isEqualTo("shutting down: /api/put");
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("5");
    assertThat(response.getHeader("Connection").map(h -> h.value())).hasValue("close");
    connection.finished();
  }

  /** A gate whose only answer is the one for requests during shutdown. */
  private static final class ShutdownOnly implements RequestGate {
    @Override
    public CompletionStage<HttpResponse> serve(
        HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> route) {
      throw new AssertionError("passed the gate during termination");
    }

    @Override
    public HttpResponse shuttingDown(HttpRequest request) {
      return HttpResponse.create()
          .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
          .withEntity("shutting down: " + request.getUri().path())
          .addHeader(RawHeader.create("Retry-After", "5"));
    }
  }
}
