package io.meridian.http;

import io.meridian.node.auth.Scope;
import java.time.Duration;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * One API family served on the node's port (OpenTSDB; later Prometheus, log excerpts, OpenMetrics
 * jobs), as far as the HTTP layer must know it to turn a request away: which paths are the
 * family's, and how the family says "not now" in its own error format, so that its clients can
 * parse the 503 they get when the node sheds load, is shutting down or is not an Up member.
 */
public interface ApiFamily {

  /** Whether a request for {@code path} (the URI path, without query) belongs to this family. */
  boolean serves(String path);

  /**
   * The family's name in the self-monitoring metrics ({@code family} label of {@code
   * meridian_http_requests_total}): {@code opentsdb}, {@code prometheus}, {@code logs}, {@code
   * openmetrics}, {@code native}, or {@code other} for paths no family serves.
   */
  default String name() {
    return "other";
  }

  /**
   * A 503 in this family's error format with a {@code Retry-After} header ({@code
   * meridian.http.retry-after}); {@code details} may be null.
   */
  HttpResponse unavailable(String message, String details);

  /** A request refused for its credentials (401) or its project or scope (403), in this format. */
  HttpResponse refused(ProjectAccessException refusal);

  /**
   * The scope a request needs: reading for GET, HEAD and OPTIONS, writing for everything else.
   * Families whose POSTs read (queries with a body) say so.
   */
  default Scope scope(HttpRequest request) {
    return readingMethod(request.method()) ? Scope.READ : Scope.WRITE;
  }

  static boolean readingMethod(HttpMethod method) {
    return method.equals(HttpMethods.GET)
        || method.equals(HttpMethods.HEAD)
        || method.equals(HttpMethods.OPTIONS);
  }

  /** {@code Retry-After} in whole seconds, at least 1 so that clients do not retry at once. */
  static HttpHeader retryAfter(Duration wait) {
    return RawHeader.create("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
  }
}
