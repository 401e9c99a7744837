package io.meridian.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.server.RequestGate;
import io.meridian.node.metrics.NodeMetrics;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Tags every HTTP request and writes the three request logs an operator troubleshoots with, as the
 * Circonus API does: every request gets a tag (a random UUID), sent back in the {@value
 * #TAG_HEADER} header and, in an error answer, in the error body ({@code tag} beside the family's
 * message: in OpenTSDB's and the plain {@code error} object, in the OpenMetrics {@code header}, at
 * the top of a Prometheus or log-excerpt error), so that a user can quote it and an operator find
 * it in the logs.
 *
 * <ul>
 *   <li>{@code meridian.access}: one line per request once its response is sent (method, path,
 *       query with credentials masked, status, body bytes, duration, tenant, remote address, tag);
 *   <li>{@code meridian.error}: one line per error answer (4xx, 5xx, or a failure the API answers
 *       with 200 as the OpenMetrics API does), with the tag and the error body as sent;
 *   <li>{@code meridian.exception}: the stack trace of every unexpected failure, with the tag.
 * </ul>
 *
 * <p>Nothing secret is logged: no header but the user agent, and query parameters named like a
 * credential are masked. It wraps the {@link RequestGate} that admits requests, so answers the gate
 * gives itself (503 when overloaded or shutting down) are tagged and logged too.
 *
 * <p>It also records every request in the node's self-monitoring metrics when its access line is
 * written: {@code meridian_http_requests_total} and {@code meridian_http_request_duration_seconds}
 * by the request's {@link ApiFamily} and {@link RouteTemplates route template}, and each 503 in
 * {@code meridian_http_unavailable_total} by its {@link Unavailability}.
 */
public final class RequestLog implements RequestGate {

  /** The response header carrying the request's tag. */
  public static final String TAG_HEADER = "X-Meridian-Tag";

  /** Attribute of every request: its tag, and the tenant the route resolved. */
  public static final AttributeKey<Notes> NOTES =
      AttributeKey.create("meridian-request-notes", Notes.class);

  /**
   * Attribute of a response answering an unexpected failure: the failure, whose stack trace goes to
   * the exception log with the request's tag.
   */
  public static final AttributeKey<Throwable> CAUSE =
      AttributeKey.create("meridian-failure-cause", Throwable.class);

  /**
   * Attribute of a response that reports a failure with a status below 400 (the OpenMetrics API
   * answers refused requests with 200 and a result code): it is tagged and logged as an error.
   */
  public static final AttributeKey<Boolean> FAILED =
      AttributeKey.create("meridian-failed", Boolean.class);

  private static final Logger ACCESS = LoggerFactory.getLogger("meridian.access");
  private static final Logger ERRORS = LoggerFactory.getLogger("meridian.error");
  private static final Logger EXCEPTIONS = LoggerFactory.getLogger("meridian.exception");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LOGGED_CHARS = 2048;
  private static final Pattern CREDENTIAL_PARAMETER =
      Pattern.compile("(?i)((?:^|&)[^=&]*(?:token|key|secret|password|passwd|auth)[^=&]*=)[^&]*");

  private final RequestGate gate;
  private final ApiFamilies families;
  private final NodeMetrics metrics;

  /**
   * @param families the families whose names the metrics of a request carry
   * @param metrics where requests are counted
   */
  public RequestLog(RequestGate gate, ApiFamilies families, NodeMetrics metrics) {
    this.gate = gate;
    this.families = families;
    this.metrics = metrics;
  }

  /** What the route learns about a request that its access log line needs. */
  public static final class Notes {
    private final String tag;
    private final String family;
    private final String route;
    private volatile String tenant;

    Notes(String tag, String family, String route) {
      this.tag = tag;
      this.family = family;
      this.route = route;
    }

    public String tag() {
      return tag;
    }

    /** Records the tenant the request reads or writes. */
    public void tenant(String tenant) {
      this.tenant = tenant;
    }

    Optional<String> tenant() {
      return Optional.ofNullable(tenant);
    }
  }

  /** {@code inner}, with {@code tenant} noted as the tenant of the request for its log lines. */
  public static Route notingTenant(String tenant, Supplier<Route> inner) {
    return Directives.optionalAttribute(
        NOTES,
        notes -> {
          notes.ifPresent(n -> n.tenant(tenant));
          return inner.get();
        });
  }

  @Override
  public CompletionStage<HttpResponse> serve(
      HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> route) {
    Notes notes = notes(request);
    long start = System.nanoTime();
    CompletionStage<HttpResponse> answer;
    try {
      answer = gate.serve(request.addAttribute(NOTES, notes), route);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (response, failure) -> {
          if (failure != null) {
            // The sealed route answers every failure itself; this is a bug in the layers around.
            log(EXCEPTIONS, Level.ERROR, request, notes)
                .setCause(Handlers.cause(failure))
                .log(
                    "Request failed without an answer: "
                        + request.method().value()
                        + " "
                        + path(request));
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
          }
          return finish(request, notes, response, start);
        });
  }

  @Override
  public HttpResponse shuttingDown(HttpRequest request) {
    long start = System.nanoTime();
    return finish(request, notes(request), gate.shuttingDown(request), start);
  }

  private Notes notes(HttpRequest request) {
    String path = request.getUri().path();
    return new Notes(newTag(), families.forPath(path).name(), RouteTemplates.of(path));
  }

  private HttpResponse finish(HttpRequest request, Notes notes, HttpResponse response, long start) {
    HttpResponse answer = response.addHeader(RawHeader.create(TAG_HEADER, notes.tag()));
    int status = response.status().intValue();
    if (status >= 400 || response.getAttribute(FAILED).isPresent()) {
      answer = logError(request, notes, answer);
    }
    response
        .getAttribute(CAUSE)
        .ifPresent(
            cause ->
                log(EXCEPTIONS, Level.ERROR, request, notes)
                    .addKeyValue("status", status)
                    .setCause(cause)
                    .log(
                        "Unexpected failure answering "
                            + request.method().value()
                            + " "
                            + path(request)));
    return accessLogged(request, notes, answer, start);
  }

  /** Puts the tag into a JSON error body and writes the error log line with the body as sent. */
  private static HttpResponse logError(HttpRequest request, Notes notes, HttpResponse response) {
    HttpResponse answer = response;
    Object body = null;
    if (response.entity() instanceof HttpEntity.Strict strict) {
      Optional<ObjectNode> json = jsonObject(strict);
      if (json.isPresent()) {
        ObjectNode tagged = json.get();
        errorObject(tagged).put("tag", notes.tag());
        answer = response.withEntity(strict.getContentType(), ByteString.fromArray(bytes(tagged)));
        body = tagged;
      } else {
        body = truncated(strict.getData().utf8String());
      }
    }
    int status = response.status().intValue();
    LoggingEventBuilder line =
        log(ERRORS, status >= 500 ? Level.ERROR : Level.WARN, request, notes)
            .addKeyValue("status", status);
    if (body != null) {
      line = line.addKeyValue("response", body);
    }
    line.log(request.method().value() + " " + path(request) + " answered " + status);
    return answer;
  }

  /** The object an error body's {@code tag} goes into: its error object, else the body itself. */
  private static ObjectNode errorObject(ObjectNode body) {
    for (String field : new String[] {"error", "header"}) {
      if (body.get(field) instanceof ObjectNode object) {
        return object;
      }
    }
    return body;
  }

  private static Optional<ObjectNode> jsonObject(HttpEntity.Strict entity) {
    MediaType type = entity.getContentType().mediaType();
    if (!type.subType().contains("json")) {
      return Optional.empty();
    }
    try {
      return JSON.readTree(entity.getData().toArray()) instanceof ObjectNode object
          ? Optional.of(object)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes the access line once the body is sent: at once for a body already in memory, at the end
   * of a streamed one (a long poll, a large query), counting its bytes.
   */
  private HttpResponse accessLogged(
      HttpRequest request, Notes notes, HttpResponse response, long start) {
    ResponseEntity entity = response.entity();
    if (entity instanceof HttpEntity.Strict strict) {
      answered(request, notes, response, strict.getData().size(), start);
      return response;
    }
    AtomicLong sent = new AtomicLong();
    Flow<ByteString, ByteString, Object> counted =
        Flow.of(ByteString.class)
            .map(
                chunk -> {
                  sent.addAndGet(chunk.size());
                  return chunk;
                })
            .<Object>watchTermination(
                (unused, done) -> {
                  done.whenComplete(
                      (ok, failure) -> answered(request, notes, response, sent.get(), start));
                  return unused;
                });
    // Every entity is a Scala one, whose transformDataBytes keeps its kind (sized, chunked, …).
    return response.withEntity(
        ((org.apache.pekko.http.scaladsl.model.ResponseEntity) entity)
            .transformDataBytes(counted.asScala()));
  }

  /**
   * The answer's body is sent: the request is counted in the metrics and its access line written.
   */
  private void answered(
      HttpRequest request, Notes notes, HttpResponse response, long bytes, long start) {
    int status = response.status().intValue();
    metrics.httpRequest(
        notes.family, notes.route, request.method().value(), status, System.nanoTime() - start);
    if (status == 503) {
      metrics.unavailable(
          response.getAttribute(Unavailability.CAUSE).orElse(Unavailability.OTHER).label());
    }
    if (!ACCESS.isInfoEnabled()) {
      return;
    }
    log(ACCESS, Level.INFO, request, notes)
        .addKeyValue("status", status)
        .addKeyValue("bytes", bytes)
        .addKeyValue(
            "duration_ms", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / 1000.0)
        .addKeyValue(
            "user_agent",
            request.getHeader("User-Agent").map(h -> truncated(h.value())).orElse(null))
        .log(request.method().value() + " " + path(request) + " " + status);
  }

  /** A line of {@code logger} with the fields every request log line has. */
  private static LoggingEventBuilder log(
      Logger logger, Level level, HttpRequest request, Notes notes) {
    LoggingEventBuilder line =
        logger
            .atLevel(level)
            .addKeyValue("tag", notes.tag())
            .addKeyValue("method", request.method().value())
            .addKeyValue("path", path(request));
    Optional<String> query = request.getUri().rawQueryString();
    if (query.isPresent()) {
      line = line.addKeyValue("query", masked(query.get()));
    }
    if (notes.tenant().isPresent()) {
      line = line.addKeyValue("tenant", notes.tenant().get());
    }
    Optional<RemoteAddress> remote = request.getAttribute(AttributeKeys.remoteAddress);
    if (remote.isPresent()) {
      line = line.addKeyValue("remote", remote.get().toString());
    }
    return line;
  }

  private static String path(HttpRequest request) {
    return truncated(request.getUri().path());
  }

  /** {@code query} with the values of parameters named like a credential replaced by ***. */
  static String masked(String query) {
    return truncated(CREDENTIAL_PARAMETER.matcher(query).replaceAll("$1***"));
  }

  private static String truncated(String text) {
    return text.length() <= MAX_LOGGED_CHARS
        ? text
        : text.substring(0, MAX_LOGGED_CHARS) + "…(" + text.length() + " chars)";
  }

  /** A random (version 4) UUID from a generator that does not contend between threads. */
  static String newTag() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
