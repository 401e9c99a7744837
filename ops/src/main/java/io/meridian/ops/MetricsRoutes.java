package io.meridian.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import io.meridian.http.admin.MetricsRoute;
import io.meridian.node.metrics.NodeMetrics;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the management port (Pekko Management loads this from {@code
 * pekko.management.http.routes}): the node's self-monitoring metrics in the Prometheus text format,
 * or OpenMetrics when the {@code Accept} header asks for it, without credentials like the port's
 * other routes, so that Prometheus or Kubernetes can scrape every node where only operators and
 * orchestrators reach. The API port serves the same to a cluster administrator's credential.
 */
public final class MetricsRoutes implements ManagementRouteProvider {

  private final NodeMetrics metrics;

  /** Instantiated by Pekko Management with the node's actor system. */
  public MetricsRoutes(ExtendedActorSystem system) {
    this.metrics = NodeMetrics.get(Adapter.toTyped(system));
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    extractRequest(
                        request -> complete(MetricsRoute.exposition(metrics, request)))));
  }
}
