package io.meridian.http.openmetrics;

import io.meridian.http.ApiFamily;
import io.meridian.http.ProjectAccessException;
import io.meridian.protocol.scrape.ResultCode;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The OpenMetrics jobs API's paths ({@code /v1.0/projects} and below) and its 503: the API's
 * envelope with INTERNAL_SERVER_ERROR and {@code Retry-After}.
 */
final class OpenMetricsFamily implements ApiFamily {

  static final String PREFIX = "/v1.0/projects";

  private final OmResponses responses;

  OpenMetricsFamily(OmResponses responses) {
    this.responses = responses;
  }

  @Override
  public String name() {
    return "openmetrics";
  }

  @Override
  public boolean serves(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  @Override
  public HttpResponse unavailable(String message, String details) {
    return responses.unavailable(details == null ? message : message + ": " + details);
  }

  @Override
  public HttpResponse refused(ProjectAccessException refusal) {
    return responses.error(
        refusal.status(), ResultCode.INVALID_HOST_OR_PROJECT, refusal.getMessage());
  }
}
