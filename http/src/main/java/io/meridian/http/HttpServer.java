package io.meridian.http;

import io.meridian.http.opentsdb.OpenTsdbRoutes;
import io.meridian.http.server.SharedPortServer;
import io.meridian.http.telnet.TelnetHandler;
import io.meridian.http.telnet.TelnetSettings;
import io.meridian.node.MeridianNode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds every API family of a node to one HTTP port and unbinds it, letting in-flight requests
 * finish, when the actor system shuts down.
 */
public final class HttpServer {

  private HttpServer() {}

  /** All routes of the node, for binding or for tests. */
  public static Route routes(MeridianNode node, HttpSettings settings) {
    return Directives.concat(new OpenTsdbRoutes(node, settings).route());
  }

  /**
   * Binds the node's port: HTTP for every API family and, unless {@code meridian.telnet.enabled} is
   * off, OpenTSDB's telnet-style line protocol on the same port (told apart by a connection's first
   * bytes, as OpenTSDB does). The binding unbinds in CoordinatedShutdown's {@code service-unbind}
   * phase and gives in-flight requests {@code shutdown-deadline} to finish.
   */
  public static CompletionStage<ServerBinding> start(MeridianNode node, HttpSettings settings) {
    ActorSystem<?> system = node.system();
    TelnetSettings telnet = TelnetSettings.fromConfig(system.settings().config());
    Optional<TelnetHandler> lines =
        telnet.enabled() ? Optional.of(new TelnetHandler(node, telnet)) : Optional.empty();
    return SharedPortServer.bind(
            system, settings.host(), settings.port(), routes(node, settings), lines)
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
              system
                  .log()
                  .info(
                      "HTTP API listening on http://{}{}",
                      hostAndPort(binding),
                      telnet.enabled() ? " (and OpenTSDB's telnet-style protocol)" : "");
              return binding;
            });
  }

  public static String hostAndPort(ServerBinding binding) {
    return binding.localAddress().getHostString() + ":" + binding.localAddress().getPort();
  }
}
