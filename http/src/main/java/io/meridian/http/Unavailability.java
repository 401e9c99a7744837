package io.meridian.http;

import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.promql.PromQlException;
import io.meridian.node.series.StoreUnavailableException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Why a request was answered 503, the {@code cause} label of {@code
 * meridian_http_unavailable_total}: whoever answers 503 notes the cause on the response ({@link
 * #CAUSE}); {@link RequestLog} counts it, as {@link #OTHER} when none was noted.
 */
public enum Unavailability {
  /** The node's in-flight limits ({@code meridian.http.overload}) were reached. */
  OVERLOAD("overload"),
  /** The node is shutting down. */
  SHUTTING_DOWN("shutting-down"),
  /** The node is not an Up member of the cluster (joining or leaving). */
  NOT_MEMBER("not-member"),
  /** The storage (a series group, the journal, Cassandra) did not complete the request. */
  STORE_UNAVAILABLE("store-unavailable"),
  /** The request (a query, an entity's answer) took longer than its timeout. */
  TIMEOUT("timeout"),
  /** The node has not loaded the cluster's credentials yet. */
  CREDENTIALS_NOT_LOADED("credentials-not-loaded"),
  /** Any other 503. */
  OTHER("other");

  /** Attribute of a 503 response: why it is one. */
  public static final AttributeKey<Unavailability> CAUSE =
      AttributeKey.create("meridian-unavailable-cause", Unavailability.class);

  private final String label;

  Unavailability(String label) {
    this.label = label;
  }

  /** The cause's label value. */
  public String label() {
    return label;
  }

  /** {@code response} with this cause noted. */
  public HttpResponse on(HttpResponse response) {
    return response.addAttribute(CAUSE, this);
  }

  /**
   * {@code response}, a 503 answering a request that exceeded {@code
   * pekko.http.server.request-timeout}, counted as a {@link #TIMEOUT} at once: the server sends it
   * in place of the route's answer, so {@link RequestLog} never sees it.
   */
  public static HttpResponse requestTimedOut(ActorSystem<?> system, HttpResponse response) {
    NodeMetrics.get(system).unavailable(TIMEOUT.label());
    return TIMEOUT.on(response);
  }

  /** The cause of a failure that a family answers with 503. */
  public static Unavailability of(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof StoreUnavailableException) {
      return STORE_UNAVAILABLE;
    }
    if (cause instanceof TimeoutException
        || (cause instanceof PromQlException promql
            && promql.kind() == PromQlException.Kind.TIMEOUT)) {
      return TIMEOUT;
    }
    return OTHER;
  }

  /**
   * {@code response} to {@code failure}, with the failure's cause noted if it is a 503 that has
   * none yet.
   */
  static HttpResponse noted(HttpResponse response, Throwable failure) {
    if (response.status().intValue() != 503 || response.getAttribute(CAUSE).isPresent()) {
      return response;
    }
    return of(failure).on(response);
  }
}
