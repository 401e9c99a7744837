package io.meridian.http.logs;

import io.meridian.http.ApiFamily;
import io.meridian.http.ProjectAccessException;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** The log-excerpt API's paths ({@code /v1/log_excerpts} and below) and its 503 error body. */
final class LogsFamily implements ApiFamily {

  static final String PREFIX = "/v1/log_excerpts";

  private final LogResponses responses;

  LogsFamily(LogResponses responses) {
    this.responses = responses;
  }

  @Override
  public String name() {
    return "logs";
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
    return responses.error(refusal.status(), refusal.getMessage());
  }
}
