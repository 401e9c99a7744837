package io.meridian.http.server;

import io.meridian.http.telnet.TelnetStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.UniqueKillSwitch;

/**
 * The live connections of a {@link SharedPortServer} and their graceful termination, which Pekko
 * HTTP's own binding would otherwise provide: on {@link #terminate} no connection reads further,
 * HTTP responses in flight are still sent (with {@code Connection: close}), telnet batches in
 * flight are still answered, and whatever is left at the deadline is aborted.
 */
final class Connections {

  private final Set<Live> live = ConcurrentHashMap.newKeySet();
  private final SharedKillSwitch abort = KillSwitches.shared("meridian-port-abort");
  private final TelnetStats stats;
  private final RequestGate gate;
  private volatile boolean terminating;

  Connections(TelnetStats stats, RequestGate gate) {
    this.stats = stats;
    this.gate = gate;
  }

  /** Aborts every connection at once; used only when the termination deadline has passed. */
  SharedKillSwitch abortSwitch() {
    return abort;
  }

  boolean terminating() {
    return terminating;
  }

  Live open(InetSocketAddress remote) {
    Live connection = new Live(remote);
    live.add(connection);
    stats.connectionOpened();
    if (terminating) {
      // Accepted just before the socket was unbound: served nothing, closed at once.
      connection.stopWhenIdle();
    }
    return connection;
  }

  void closed(Live connection) {
    if (live.remove(connection)) {
      stats.connectionClosed();
    }
  }

  /**
   * Stops every connection from reading and waits until each has closed, at most {@code deadline};
   * then aborts the rest. New requests on a connection still open are answered with the gate's 503
   * and close it.
   */
  CompletionStage<Done> terminate(Duration deadline) {
    terminating = true;
    CompletableFuture<?>[] closing =
        live.stream()
            .map(
                connection -> {
                  connection.stopWhenIdle();
                  return connection.closed;
                })
            .toArray(CompletableFuture<?>[]::new);
    return CompletableFuture.allOf(closing)
        .completeOnTimeout(null, deadline.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (ignored, failure) -> {
              if (!live.isEmpty()) {
                abort.abort(new IllegalStateException("server terminated"));
              }
              return Done.getInstance();
            });
  }

  /** One accepted connection. */
  final class Live {
    private final InetSocketAddress remote;
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final CompletableFuture<Done> closed = new CompletableFuture<>();
    private UniqueKillSwitch input;
    private boolean http;
    private boolean stopRequested;

    private Live(InetSocketAddress remote) {
      this.remote = remote;
    }

    InetSocketAddress remote() {
      return remote;
    }

    /** The switch that ends the connection's input, once its stream is materialized. */
    synchronized void started(UniqueKillSwitch inputSwitch) {
      this.input = inputSwitch;
      if (stopRequested) {
        inputSwitch.shutdown();
      }
    }

    synchronized void speaksHttp() {
      http = true;
    }

    void finished() {
      closed.complete(Done.getInstance());
      Connections.this.closed(this);
    }

    /**
     * Ends the connection's input now, unless an HTTP request is being served: that connection
     * closes itself after the response, which carries {@code Connection: close}.
     */
    synchronized void stopWhenIdle() {
      if (http && requestsInFlight.get() > 0) {
        return;
      }
      stopRequested = true;
      if (input != null) {
        input.shutdown();
      }
    }

    /** Serves one HTTP request of this connection through the gate and {@code handler}. */
    CompletionStage<HttpResponse> serve(
        HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
      if (terminating) {
        return CompletableFuture.completedFuture(
            gate.shuttingDown(request).addHeader(Connection.create("close")));
      }
      requestsInFlight.incrementAndGet();
      CompletionStage<HttpResponse> response;
      try {
        response = gate.serve(request, handler);
      } catch (RuntimeException e) {
        response = CompletableFuture.failedFuture(e);
      }
      return response
          .thenApply(r -> terminating ? r.addHeader(Connection.create("close")) : r)
          .whenComplete(
              (r, failure) -> {
                // Termination may have begun after the header was decided: stop reading then.
                if (requestsInFlight.decrementAndGet() == 0 && terminating) {
                  stopWhenIdle();
                }
              });
    }
  }
}
