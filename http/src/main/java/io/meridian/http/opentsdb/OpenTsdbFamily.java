package io.meridian.http.opentsdb;

import io.meridian.http.ApiFamily;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The OpenTSDB API's paths ({@code /api} and below) and its 503: OpenTSDB's error object with
 * {@code Retry-After}, the same answer as when the store does not acknowledge in time.
 */
final class OpenTsdbFamily implements ApiFamily {

  private final TsdbResponses responses;

  OpenTsdbFamily(TsdbResponses responses) {
    this.responses = responses;
  }

  @Override
  public boolean serves(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  @Override
  public HttpResponse unavailable(String message, String details) {
    return responses.unavailable(message, details, null);
  }
}
