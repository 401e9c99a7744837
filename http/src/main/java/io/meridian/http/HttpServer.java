package io.meridian.http;

import io.meridian.http.opentsdb.OpenTsdbRoutes;
import io.meridian.node.MeridianNode;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
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

  public static CompletionStage<ServerBinding> start(MeridianNode node, HttpSettings settings) {
    ActorSystem<?> system = node.system();
    return Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .bind(routes(node, settings))
        .thenApply(
            binding -> {
              binding.addToCoordinatedShutdown(settings.shutdownDeadline(), system);
              system.log().info("HTTP API listening on http://{}", hostAndPort(binding));
              return binding;
            });
  }

  public static String hostAndPort(ServerBinding binding) {
    return binding.localAddress().getHostString() + ":" + binding.localAddress().getPort();
  }
}
