package io.meridian.http.server;

import io.meridian.http.server.ProtocolSniffer.Protocol;
import io.meridian.http.telnet.TelnetHandler;
import io.meridian.http.telnet.TelnetStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.DurationConverters;
import scala.jdk.javaapi.FutureConverters;
import scala.runtime.BoxedUnit;

/**
 * Serves HTTP and OpenTSDB's telnet-style line protocol on one TCP port, as OpenTSDB does on 4242.
 *
 * <p>The port is bound with Pekko's plain {@link Tcp}; each connection's first bytes choose its
 * protocol ({@link ProtocolSniffer}). HTTP connections run Pekko HTTP's own server layer ({@link
 * Http#serverLayer}: parsing limits, request timeout, keep-alive, rendering) joined with the route,
 * so they behave as under {@code Http.newServerAt(…).bind(route)}; the two parts of that binding
 * which are not public API are rebuilt here: the connection idle timeout ({@code
 * pekko.http.server.idle-timeout}) and graceful termination ({@link Connections}). The result is a
 * real {@link ServerBinding}, so {@code addToCoordinatedShutdown} unbinds in {@code service-unbind}
 * and drains connections in {@code service-requests-done} exactly as before.
 */
public final class SharedPortServer {

  private final ActorSystem<?> system;
  private final ServerSettings serverSettings;
  private final Function<HttpRequest, CompletionStage<HttpResponse>> routeHandler;
  private final Optional<TelnetHandler> telnet;
  private final Connections connections;
  private final Duration httpIdleTimeout;
  private final LoggingAdapter httpLog;

  private SharedPortServer(
      ActorSystem<?> system, Route route, RequestGate gate, Optional<TelnetHandler> telnet) {
    this.system = system;
    this.serverSettings = ServerSettings.create(system.classicSystem());
    // The same sealed handler newServerAt(...).bind(route) runs (rejections and exceptions become
    // responses), one request at a time per connection as with pipelining-limit = 1.
    this.routeHandler = route.handler(system);
    this.telnet = telnet;
    this.connections = new Connections(TelnetStats.get(system), gate);
    scala.concurrent.duration.Duration idle = serverSettings.getTimeouts().idleTimeout();
    this.httpIdleTimeout =
        idle.isFinite() ? DurationConverters.toJava((FiniteDuration) idle) : Duration.ZERO;
    this.httpLog = system.classicSystem().log();
  }

  /**
   * Binds {@code host:port}. HTTP requests pass {@code gate} and go to {@code route}; connections
   * that do not start with an HTTP request line go to {@code telnet} when present (otherwise to
   * HTTP, which rejects them).
   */
  public static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system,
      String host,
      int port,
      Route route,
      RequestGate gate,
      Optional<TelnetHandler> telnet) {
    return new SharedPortServer(system, route, gate, telnet).bind(host, port);
  }

  private CompletionStage<ServerBinding> bind(String host, int port) {
    CompletionStage<Tcp.ServerBinding> tcp =
        Tcp.get(system)
            .bind(
                host,
                port,
                serverSettings.getBacklog(),
                serverSettings.getSocketOptions(),
                false,
                // Idle connections are timed out per protocol below, as Pekko HTTP does itself.
                Optional.empty())
            // Accepting pauses while max-connections are open, as in Pekko HTTP's own binding.
            .mapAsyncUnordered(serverSettings.getMaxConnections(), this::handle)
            .to(Sink.ignore())
            .run(system);
    return tcp.thenApply(this::toHttpBinding);
  }

  /** Serves one connection; completes when it has closed, never with a failure. */
  private CompletionStage<Done> handle(Tcp.IncomingConnection incoming) {
    Connections.Live connection = connections.open(incoming.remoteAddress());
    Flow<ByteString, ByteString, Pair<UniqueKillSwitch, CompletionStage<Done>>> flow =
        Flow.of(ByteString.class)
            .viaMat(KillSwitches.single(), Keep.right())
            .via(connections.abortSwitch().flow())
            .via(firstByteTimeout())
            .via(new ProtocolSniffer())
            .flatMapPrefix(1, prefix -> protocolFlow(prefix, connection))
            .via(connections.abortSwitch().flow())
            .watchTermination(Keep.both());
    try {
      Pair<UniqueKillSwitch, CompletionStage<Done>> running = incoming.handleWith(flow, system);
      connection.started(running.first());
      // A connection that fails (reset by the peer, timed out) must not fail the binding.
      return running
          .second()
          .handle(
              (done, failure) -> {
                connection.finished();
                return Done.getInstance();
              });
    } catch (RuntimeException e) {
      connection.finished();
      system.log().error("Could not serve connection from {}", incoming.remoteAddress(), e);
      return CompletableFuture.completedFuture(Done.getInstance());
    }
  }

  /** A client that connects and sends nothing is closed after the HTTP idle timeout. */
  private Flow<ByteString, ByteString, NotUsed> firstByteTimeout() {
    Flow<ByteString, ByteString, NotUsed> flow = Flow.of(ByteString.class);
    return httpIdleTimeout.isZero() ? flow : flow.initialTimeout(httpIdleTimeout);
  }

  private Flow<ByteString, ByteString, NotUsed> protocolFlow(
      List<ByteString> prefix, Connections.Live connection) {
    Protocol protocol = prefix.isEmpty() ? Protocol.HTTP : ProtocolSniffer.decide(prefix.get(0));
    // flatMapPrefix hands the chosen flow only what follows the prefix: give the bytes back.
    Flow<ByteString, ByteString, NotUsed> input =
        Flow.of(ByteString.class).prepend(Source.from(prefix));
    if (protocol == Protocol.LINES && telnet.isPresent()) {
      return input.via(telnet.get().flow());
    }
    connection.speaksHttp();
    return input.via(httpFlow(connection));
  }

  private Flow<ByteString, ByteString, NotUsed> httpFlow(Connections.Live connection) {
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> layer =
        Http.get(system)
            .serverLayer(serverSettings, Optional.of(connection.remote()), httpLog)
            .atop(plainTransport());
    if (!httpIdleTimeout.isZero()) {
      layer = layer.atop(BidiFlow.bidirectionalIdleTimeout(httpIdleTimeout));
    }
    Flow<HttpRequest, HttpResponse, NotUsed> requests =
        Flow.of(HttpRequest.class).mapAsync(1, request -> connection.serve(request, routeHandler));
    return layer.reversed().join(requests);
  }

  /**
   * The TLS stage of a plain-text connection. Pekko's placebo emits {@code SessionBytes}, a subtype
   * of the {@code SslTlsInbound} the server layer takes; Java's invariant generics need the cast.
   */
  @SuppressWarnings("unchecked")
  private static BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>
      plainTransport() {
    return (BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed>)
        (BidiFlow<?, ?, ?, ?, ?>) TLSPlacebo.getInstance();
  }

  /**
   * Pekko HTTP's {@link ServerBinding} over the TCP binding, with unbinding and graceful
   * termination of this server, so callers use it exactly as one from {@code newServerAt}.
   */
  private ServerBinding toHttpBinding(Tcp.ServerBinding tcp) {
    AtomicReference<CompletionStage<BoxedUnit>> unbinding = new AtomicReference<>();
    // ServerBinding.terminate unbinds again after an explicit unbind; unbind the socket once.
    scala.Function0<scala.concurrent.Future<BoxedUnit>> unbind =
        () -> {
          unbinding.compareAndSet(null, tcp.unbind());
          return FutureConverters.asScala(unbinding.get());
        };
    scala.Function1<
            FiniteDuration,
            scala.concurrent.Future<org.apache.pekko.http.scaladsl.Http.HttpTerminated>>
        terminate =
            deadline ->
                FutureConverters.asScala(
                    connections
                        .terminate(DurationConverters.toJava(deadline))
                        .thenApply(
                            done ->
                                (org.apache.pekko.http.scaladsl.Http.HttpTerminated)
                                    org.apache.pekko.http.scaladsl.Http.HttpServerTerminated$
                                        .MODULE$));
    return new ServerBinding(
        new org.apache.pekko.http.scaladsl.Http.ServerBinding(
            tcp.localAddress(), unbind, terminate));
  }
}
