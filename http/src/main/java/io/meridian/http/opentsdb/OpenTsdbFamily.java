package io.meridian.http.opentsdb;

import io.meridian.http.ApiFamily;
import io.meridian.http.ProjectAccessException;
import io.meridian.node.auth.Scope;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The OpenTSDB API's paths ({@code /api} and below) and its 503: OpenTSDB's error object with
 * {@code Retry-After}, the same answer as when the store does not acknowledge in time.
 */
final class OpenTsdbFamily implements ApiFamily {

  /** The endpoints whose POSTs read: queries, suggestions and lookups with a JSON body. */
  private static final Pattern READING_POSTS =
      Pattern.compile(
          "/api(/v\\d+)?/(query(/last|/exp|/gexp)?|suggest|search/lookup|search/[a-z]+)/?");

  private final TsdbResponses responses;

  OpenTsdbFamily(TsdbResponses responses) {
    this.responses = responses;
  }

  @Override
  public String name() {
    return "opentsdb";
  }

  @Override
  public boolean serves(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  @Override
  public HttpResponse unavailable(String message, String details) {
    return responses.unavailable(message, details, null);
  }

  @Override
  public HttpResponse refused(ProjectAccessException refusal) {
    return responses.error(refusal.status(), refusal.getMessage(), null, null);
  }

  /**
   * Queries may come as POSTs with a body; and {@code ?method_override=} turns a GET into the
   * method it names, so that a GET overridden to DELETE needs the writing scope.
   */
  @Override
  public Scope scope(HttpRequest request) {
    HttpMethod method = request.method();
    if (method.equals(HttpMethods.GET)) {
      Optional<String> override = request.getUri().query().get("method_override");
      if (override.isPresent() && !override.get().equalsIgnoreCase("get")) {
        return Scope.WRITE;
      }
    }
    if (ApiFamily.readingMethod(method)) {
      return Scope.READ;
    }
    String path = request.getUri().path();
    return method.equals(HttpMethods.POST) && READING_POSTS.matcher(path).matches()
        ? Scope.READ
        : Scope.WRITE;
  }
}
