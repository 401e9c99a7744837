package io.meridian.http.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;

import io.meridian.http.ProjectAccessException;
import io.meridian.node.auth.Principal;
import io.meridian.node.metrics.MetricsExposition;
import io.meridian.node.metrics.NodeMetrics;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /metrics} (and {@code /v1/metrics}) on the API port: the node's self-monitoring
 * metrics in the Prometheus text format, or OpenMetrics when the {@code Accept} header asks for it.
 * They describe the whole node (every project's series counts among them), so with credentials
 * enforced the request needs a cluster administrator's credential: the admin scope for every
 * project, such as the configured admin token. The management port serves the same without
 * credentials.
 */
public final class MetricsRoute {

  private final NodeMetrics metrics;

  MetricsRoute(NodeMetrics metrics) {
    this.metrics = metrics;
  }

  Route route(Principal principal) {
    return get(
        () -> {
          if (!principal.allProjects()) {
            throw new ProjectAccessException(
                StatusCodes.FORBIDDEN,
                "forbidden",
                "/metrics describes the whole node: it needs a cluster administrator's credential"
                    + " (the admin scope for every project), not one of project \""
                    + principal.project()
                    + "\"");
          }
          return extractRequest(request -> complete(exposition(metrics, request)));
        });
  }

  /** {@code metrics} now, in the format {@code request}'s {@code Accept} header asks for. */
  public static HttpResponse exposition(NodeMetrics metrics, HttpRequest request) {
    MetricsExposition.Body body =
        MetricsExposition.of(metrics, request.getHeader("Accept").map(h -> h.value()).orElse(null));
    return HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .withEntity(HttpEntities.create(ContentTypes.parse(body.contentType()), body.bytes()));
  }
}
