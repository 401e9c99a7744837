package io.meridian.ops;

import io.meridian.http.HttpServer;
import io.meridian.http.HttpSettings;
import io.meridian.node.MeridianNode;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * Starts a Meridian node with its HTTP API on an actor system that is already configured. The
 * command line and the integration tests both start nodes through here.
 */
public final class Main {

  private Main() {}

  /** A started node and the HTTP binding serving its APIs. */
  public record Running(MeridianNode node, ServerBinding http) {

    public String httpAddress() {
      return HttpServer.hostAndPort(http);
    }
  }

  public static CompletionStage<Running> init(ActorSystem<?> system) {
    MeridianNode node = MeridianNode.start(system);
    HttpSettings http = HttpSettings.fromConfig(system.settings().config());
    return HttpServer.start(node, http).thenApply(binding -> new Running(node, binding));
  }
}
