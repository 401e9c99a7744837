package io.meridian.http;

import io.meridian.http.server.RequestGate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;

/**
 * Admits HTTP requests only while this node can serve them: it must be an {@code Up} member of the
 * cluster (a joining or leaving node would only time out on shards it does not host yet or any
 * more) and its in-flight work must stay within {@link OverloadSettings}. Everything else is
 * answered at once, never queued, with the 503 and {@code Retry-After} of the request's {@link
 * ApiFamily}, and counted in {@link ApiStats} as {@code tsd.http.rejected} by {@code reason}.
 *
 * <p>Admitted work is counted until the route's answer completes or fails, whatever the client or
 * the request timeout did meanwhile; {@code tsd.http.inflight.requests} and {@code
 * tsd.http.inflight.bytes} show it.
 */
public final class OverloadGuard implements RequestGate {

  /**
   * Attribute of every admitted request: hands its share of the limits back early (once; the
   * response's completion then releases nothing). A long poll calls it when it starts to wait,
   * since a waiting poll costs only an entry in the node's bounded waiter registry, not the work
   * the in-flight limits protect.
   */
  public static final AttributeKey<Runnable> RELEASE_ADMISSION =
      AttributeKey.create("meridian-release-admission", Runnable.class);

  static final String REJECTED = "tsd.http.rejected";
  static final String INFLIGHT_REQUESTS = "tsd.http.inflight.requests";
  static final String INFLIGHT_BYTES = "tsd.http.inflight.bytes";

  private final OverloadSettings limits;
  private final ApiFamilies families;
  private final Supplier<MemberStatus> selfStatus;
  private final ApiStats stats;
  private final ClassicActorSystemProvider system;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * @param selfStatus this node's own member status; cheap, as it is asked for every request
   */
  public OverloadGuard(
      OverloadSettings limits,
      ApiFamilies families,
      Supplier<MemberStatus> selfStatus,
      ApiStats stats,
      ClassicActorSystemProvider system) {
    this.limits = limits;
    this.families = families;
    this.selfStatus = selfStatus;
    this.stats = stats;
    this.system = system;
  }

  @Override
  public CompletionStage<HttpResponse> serve(
      HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> route) {
    MemberStatus status = selfStatus.get();
    if (!MemberStatus.up().equals(status)) {
      return shed(
          request,
          Unavailability.NOT_MEMBER,
          "membership",
          "Node is joining/leaving the cluster: retry on another node",
          "This node's cluster member status is " + status);
    }
    if (requests.incrementAndGet() > limits.maxRequestsInFlight()) {
      requests.decrementAndGet();
      return shed(
          request,
          Unavailability.OVERLOAD,
          "requests",
          "Node overloaded: too many requests in flight, retry later",
          "meridian.http.overload.max-requests-in-flight = "
              + limits.maxRequestsInFlight()
              + " requests are already being served by this node");
    }
    long size = declaredSize(request);
    if (!reserveBytes(size)) {
      requests.decrementAndGet();
      return shed(
          request,
          Unavailability.OVERLOAD,
          "bytes",
          "Node overloaded: too many request bytes in flight, retry later",
          "meridian.http.overload.max-bytes-in-flight = "
              + limits.maxBytesInFlight()
              + " bytes of request bodies are already being served by this node; this request"
              + " declares "
              + size);
    }
    Admitted admitted = new Admitted(size);
    try {
      return route
          .apply(request.addAttribute(RELEASE_ADMISSION, admitted::release))
          .whenComplete((response, failure) -> admitted.release());
    } catch (Exception e) {
      admitted.release();
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public HttpResponse shuttingDown(HttpRequest request) {
    stats.increment(REJECTED, Map.of("reason", "shutdown"));
    return Unavailability.SHUTTING_DOWN.on(
        families
            .forPath(request.getUri().path())
            .unavailable("Node is shutting down: retry on another node", null));
  }

  /**
   * The body size a request counts with: its Content-Length, or {@code assumed-chunked-bytes} when
   * the length is unknown until the body has been read.
   */
  private long declaredSize(HttpRequest request) {
    return request.entity().getContentLengthOption().orElse(limits.assumedChunkedBytes());
  }

  /**
   * Takes {@code size} bytes of the budget. A request without a body always fits, and so does one
   * when no other bytes are in flight: a lone body larger than the budget (at most {@code
   * max-content-length}) could otherwise never be served, however often it is retried.
   */
  private boolean reserveBytes(long size) {
    if (size == 0) {
      return true;
    }
    while (true) {
      long current = bytes.get();
      if (current > 0 && current + size > limits.maxBytesInFlight()) {
        return false;
      }
      if (bytes.compareAndSet(current, current + size)) {
        return true;
      }
    }
  }

  private CompletionStage<HttpResponse> shed(
      HttpRequest request, Unavailability cause, String reason, String message, String details) {
    stats.increment(REJECTED, Map.of("reason", reason));
    return Handlers.afterBody(
        request,
        cause.on(families.forPath(request.getUri().path()).unavailable(message, details)),
        system);
  }

  /** The share of the limits one admitted request holds, given back exactly once. */
  private final class Admitted {
    private final long size;
    private final AtomicBoolean released = new AtomicBoolean();

    Admitted(long size) {
      this.size = size;
      stats.add(INFLIGHT_REQUESTS, Map.of(), 1);
      stats.add(INFLIGHT_BYTES, Map.of(), size);
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        requests.decrementAndGet();
        bytes.addAndGet(-size);
        stats.add(INFLIGHT_REQUESTS, Map.of(), -1);
        stats.add(INFLIGHT_BYTES, Map.of(), -size);
      }
    }
  }
}
