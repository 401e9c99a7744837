package io.meridian.ops;

import io.meridian.http.HttpServer;
import io.meridian.http.HttpSettings;
import io.meridian.node.MeridianNode;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Starts a Meridian node with its HTTP API and Pekko Management on an actor system that is already
 * configured. The command line and the integration tests both start nodes through here.
 */
public final class Main {

  private Main() {}

  /** A started node, the HTTP binding serving its APIs and the base URI of its management API. */
  public record Running(MeridianNode node, ServerBinding http, Uri management) {

    public String httpAddress() {
      return HttpServer.hostAndPort(http);
    }
  }

  /**
   * Starts management first, so that orchestrators can ask {@code /alive} and {@code /ready} while
   * the node joins, then Cluster Bootstrap when {@code meridian.cluster.bootstrap} is on (it probes
   * the other nodes' management ports and needs its own answering), then the node and its HTTP API;
   * {@code /ready} passes only once the API is listening ({@link HttpApiBoundCheck}).
   */
  public static CompletionStage<Running> init(ActorSystem<?> system) {
    return PekkoManagement.get(system)
        .start()
        .thenCompose(
            management -> {
              if (system.settings().config().getBoolean("meridian.cluster.bootstrap")) {
                ClusterBootstrap.get(system).start();
              }
              MeridianNode node = MeridianNode.start(system);
              HttpSettings http = HttpSettings.fromConfig(system.settings().config());
              return HttpServer.start(node, http)
                  .thenApply(
                      binding -> {
                        HttpApiBoundCheck.markBound(system.classicSystem());
                        return new Running(node, binding, management);
                      });
            });
  }
}
