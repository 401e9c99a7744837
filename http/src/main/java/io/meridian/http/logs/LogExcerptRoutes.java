package io.meridian.http.logs;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import io.meridian.http.ApiFamily;
import io.meridian.http.Handlers;
import io.meridian.http.HttpSettings;
import io.meridian.http.ProjectAccessException;
import io.meridian.http.Projects;
import io.meridian.http.RequestLog;
import io.meridian.http.Unavailability;
import io.meridian.node.logs.LogEntryTooLargeException;
import io.meridian.node.logs.LogService;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.logs.LogEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import scala.concurrent.duration.FiniteDuration;

/**
 * The Ocean log-excerpt API: {@code GET} and {@code DELETE /v1/log_excerpts/<from>/<to>} and {@code
 * POST /v1/log_excerpts}, per project by {@code X-TC-APP-KEY} ({@link Projects}), every error
 * answered with the Ocean body {@code {"_api_error":[…]}}.
 */
public final class LogExcerptRoutes {

  /** Added to a long poll's wait for the request timeout, so the poll's own empty answer wins. */
  private static final Duration LONG_POLL_SLACK = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final LogResponses responses;
  private final LogsFamily family;
  private final Projects projects;
  private final LogSettings settings;
  private final ExcerptHandler excerpts;

  public LogExcerptRoutes(ActorSystem<?> system, LogService logs, HttpSettings http) {
    this.system = system;
    this.responses = new LogResponses(http.retryAfter());
    this.family = new LogsFamily(responses);
    this.projects = Projects.fromConfig(system.settings().config());
    this.settings = LogSettings.fromConfig(system.settings().config());
    this.excerpts = new ExcerptHandler(logs, settings, System::currentTimeMillis);
  }

  /** The log-excerpt API as an {@link ApiFamily}. */
  public ApiFamily family() {
    return family;
  }

  public Route route() {
    return pathPrefix(
        segment("v1").slash("log_excerpts"),
        () ->
            handleExceptions(
                ExceptionHandler.newBuilder().matchAny(e -> complete(failure(e))).build(),
                () ->
                    handleRejections(
                        rejectionHandler(),
                        () ->
                            withRequestTimeoutResponse(
                                this::timedOut,
                                () -> projects.withTenant(Optional.empty(), this::endpoints)))));
  }

  private Route endpoints(String tenant) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                post(
                    () ->
                        extractRequest(
                            request ->
                                entity(
                                    Unmarshaller.entityToString(),
                                    body ->
                                        guarded(
                                            () ->
                                                excerpts.post(tenant, entries(request, body))))))),
        path(
            segment().slash(segment()),
            (from, to) ->
                concat(
                    get(
                        () ->
                            extractRequest(
                                request -> {
                                  ExcerptHandler.Range range = ExcerptHandler.Range.parse(from, to);
                                  Map<String, String> params = request.getUri().query().toMap();
                                  Supplier<Route> answer =
                                      () ->
                                          guarded(
                                              () -> excerpts.get(tenant, range, params, request));
                                  // A long poll may wait as long as configured, beyond the
                                  // server's request timeout.
                                  return excerpts.longPolls(range, params)
                                      ? withRequestTimeout(
                                          FiniteDuration.create(
                                              settings
                                                  .longPollTimeout()
                                                  .plus(LONG_POLL_SLACK)
                                                  .toMillis(),
                                              TimeUnit.MILLISECONDS),
                                          answer)
                                      : answer.get();
                                })),
                    delete(
                        () ->
                            guarded(
                                () ->
                                    excerpts.delete(
                                        tenant, ExcerptHandler.Range.parse(from, to)))))));
  }

  /** The entries of a POST body, by its media type: NDJSON, or JSON (an object or an array). */
  private static List<LogEntry> entries(HttpRequest request, String body) {
    MediaType type = request.entity().getContentType().mediaType();
    return type.mainType().equals("application") && type.subType().equals("x-ndjson")
        ? LogBodies.ndjson(body)
        : LogBodies.json(body);
  }

  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    return Handlers.guarded(handler, this::failure);
  }

  /** The answer to a failure: its own status for known ones, else a logged 500. */
  HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof LogApiException api) {
      return responses.error(api.status(), api.messages());
    }
    if (cause instanceof ProjectAccessException access) {
      return responses.error(access.status(), access.getMessage());
    }
    if (cause instanceof StoreUnavailableException) {
      return responses.unavailable("Log storage unavailable, retry later: " + cause.getMessage());
    }
    if (cause instanceof LogEntryTooLargeException) {
      return responses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          cause.getMessage() + " (meridian.logs.max-append-bytes); nothing was stored");
    }
    if (cause instanceof EntityStreamSizeException) {
      return responses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          cause.getMessage() + " (pekko.http.server.parsing.max-content-length)");
    }
    return responses
        .error(StatusCodes.INTERNAL_SERVER_ERROR, String.valueOf(cause))
        .addAttribute(RequestLog.CAUSE, cause);
  }

  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejections ->
                complete(
                    responses.error(
                        StatusCodes.METHOD_NOT_ALLOWED,
                        "Method not allowed here; allowed: "
                            + String.join(
                                ", ",
                                rejections.stream()
                                    .map(r -> r.supported().name())
                                    .distinct()
                                    .toList()))))
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        responses.error(
                            StatusCodes.NOT_FOUND,
                            "No log-excerpt resource at "
                                + request.getUri().path()
                                + ": use /v1/log_excerpts/<from>/<to> or POST"
                                + " /v1/log_excerpts"))))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(this::asErrorBody);
  }

  /** Pekko's own rejection answers are plain text; Ocean clients expect the error body. */
  private HttpResponse asErrorBody(HttpResponse response) {
    return Handlers.inErrorFormat(
        response,
        (status, text) -> responses.error(status, text.isEmpty() ? status.reason() : text));
  }

  private HttpResponse timedOut(HttpRequest request) {
    return Unavailability.requestTimedOut(
        system,
        responses.unavailable(
            "The request did not complete within pekko.http.server.request-timeout"));
  }
}
