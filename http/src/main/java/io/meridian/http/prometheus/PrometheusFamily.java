package io.meridian.http.prometheus;

import io.meridian.http.ApiFamily;
import io.meridian.http.ProjectAccessException;
import io.meridian.node.auth.Scope;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The Prometheus API's paths and its 503: everything under {@code /prometheus/}, and the Prometheus
 * endpoint names under {@code /api/v1/} except {@code /api/v1/query}, which OpenTSDB serves too and
 * which is told apart by its parameters only after the request is admitted.
 */
final class PrometheusFamily implements ApiFamily {

  /** Prometheus endpoints under {@code /api/v1/} that OpenTSDB does not have. */
  static final Set<String> API_V1_NAMES =
      Set.of(
          "query_range",
          "series",
          "labels",
          "label",
          "metadata",
          "status",
          "query_exemplars",
          "format_query",
          "rules",
          "write");

  private final PromResponses responses;

  PrometheusFamily(PromResponses responses) {
    this.responses = responses;
  }

  @Override
  public String name() {
    return "prometheus";
  }

  @Override
  public boolean serves(String path) {
    if (path.equals("/prometheus") || path.startsWith("/prometheus/")) {
      return true;
    }
    if (!path.startsWith("/api/v1/")) {
      return false;
    }
    String rest = path.substring("/api/v1/".length());
    int slash = rest.indexOf('/');
    return API_V1_NAMES.contains(slash < 0 ? rest : rest.substring(0, slash));
  }

  @Override
  public HttpResponse unavailable(String message, String details) {
    return responses.withRetryAfter(
        responses.error(
            StatusCodes.SERVICE_UNAVAILABLE,
            "unavailable",
            details == null ? message : message + ": " + details));
  }

  @Override
  public HttpResponse refused(ProjectAccessException refusal) {
    return responses.error(refusal.status(), refusal.kind(), refusal.getMessage());
  }

  /** Every endpoint but remote write only reads, whatever the method (Grafana POSTs queries). */
  @Override
  public Scope scope(HttpRequest request) {
    return request.getUri().path().endsWith("/write") ? Scope.WRITE : Scope.READ;
  }
}
