package io.meridian.http.openmetrics;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.typesafe.config.Config;
import io.meridian.http.ApiFamily;
import io.meridian.http.ApiStats;
import io.meridian.http.Handlers;
import io.meridian.http.HttpSettings;
import io.meridian.http.ProjectAccessException;
import io.meridian.http.Projects;
import io.meridian.http.RequestLog;
import io.meridian.http.Unavailability;
import io.meridian.node.scrape.ScrapeCatalogException;
import io.meridian.node.scrape.ScrapeService;
import io.meridian.node.scrape.ScrapeSettings;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.scrape.ResultCode;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * System Monitoring's OpenMetrics dashboard API: jobs ("workspaces") and their scrape targets under
 * {@code /v1.0/projects/{projectId}/jobs}, and the servers targets point at under {@code
 * /v1.0/projects/{projectId}/servers} (listing them as documented; registering and removing them is
 * this API's extension). The {@code projectId} is the tenant, authorized by {@code X-TC-APP-KEY}
 * ({@link Projects}); {@code X-SYSMON-REGION}, when sent, must name this installation's region.
 *
 * <p>Every answer is the API's envelope ({@link OmResponses}). As System Monitoring does, refused
 * requests are HTTP 200 with a negative {@code resultCode}; only the appkey checks (401, 403),
 * paths and methods the API does not have (404, 405), oversized bodies (413) and an unavailable
 * cluster (503 with {@code Retry-After}) use other HTTP statuses.
 */
public final class OpenMetricsRoutes {

  private static final String REQUESTS = "openmetrics.http.requests";

  private final ActorSystem<?> system;
  private final ScrapeService scrape;
  private final ApiStats stats;
  private final OmResponses responses;
  private final OmJson json;
  private final OpenMetricsFamily family;
  private final Projects projects;
  private final String region;

  public OpenMetricsRoutes(ActorSystem<?> system, ScrapeService scrape, HttpSettings settings) {
    Config config = system.settings().config();
    ScrapeSettings scrapeSettings = ScrapeSettings.fromConfig(config);
    this.system = system;
    this.scrape = scrape;
    this.stats = ApiStats.get(system);
    this.responses = new OmResponses(settings.retryAfter());
    this.json = new OmJson(scrapeSettings.timeZone());
    this.family = new OpenMetricsFamily(responses);
    this.projects = Projects.fromConfig(config);
    this.region = scrapeSettings.region();
    // A typo here would refuse every request that names its region: fail at start instead.
    if (!region.isEmpty() && !OmRequests.REGIONS.contains(region.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "meridian.scrape.region must be empty or one of "
              + String.join(", ", OmRequests.REGIONS)
              + ", not \""
              + region
              + "\"");
    }
  }

  /** The OpenMetrics jobs API as an {@link ApiFamily}. */
  public ApiFamily family() {
    return family;
  }

  public Route route() {
    return extractUnmatchedPath(
        path ->
            family.serves(path)
                ? pathPrefix(
                    segment("v1.0").slash("projects"),
                    () ->
                        handleExceptions(
                            ExceptionHandler.newBuilder()
                                .matchAny(e -> complete(failure(e)))
                                .build(),
                            () ->
                                handleRejections(
                                    rejectionHandler(),
                                    () ->
                                        withRequestTimeoutResponse(
                                            this::timedOut,
                                            () -> pathPrefix(segment(), this::project)))))
                : reject());
  }

  /** The resources of one project, once its appkey and region are accepted. */
  private Route project(String projectId) {
    return projects.withTenant(
        Optional.of(projectId),
        tenant ->
            optionalHeaderValueByName(
                OmRequests.REGION_HEADER,
                requestRegion -> {
                  OmRequests.checkRegion(requestRegion, region);
                  return concat(
                      pathPrefix("jobs", () -> jobs(tenant)),
                      pathPrefix("servers", () -> servers(tenant)));
                }));
  }

  private Route jobs(String tenant) {
    return concat(
        endpoint(
            "jobs",
            () ->
                concat(
                    get(
                        () ->
                            guarded(
                                () ->
                                    scrape
                                        .jobs(tenant)
                                        .thenApply(
                                            jobs ->
                                                responses.success(out -> json.jobs(out, jobs))))),
                    post(
                        () ->
                            withJsonBody(
                                (request, body) ->
                                    scrape
                                        .createJob(
                                            tenant,
                                            OmBodies.jobSpec(body),
                                            OmRequests.memberId(request, false))
                                        .thenApply(
                                            job ->
                                                responses.success(out -> json.job(out, job))))))),
        pathPrefix(segment(), jobId -> job(tenant, jobId)));
  }

  private Route job(String tenant, String jobId) {
    return concat(
        endpoint(
            "job",
            () ->
                concat(
                    get(
                        () ->
                            guarded(
                                () ->
                                    scrape
                                        .job(tenant, jobId)
                                        .thenApply(
                                            job -> responses.success(out -> json.job(out, job))))),
                    put(
                        () ->
                            withJsonBody(
                                (request, body) ->
                                    scrape
                                        .updateJob(
                                            tenant,
                                            jobId,
                                            OmBodies.jobChange(body),
                                            OmRequests.memberId(request, false))
                                        .thenApply(
                                            job -> responses.success(out -> json.job(out, job))))),
                    delete(
                        () ->
                            withRequest(
                                request ->
                                    scrape
                                        .deleteJob(
                                            tenant, jobId, OmRequests.memberId(request, true))
                                        .thenApply(responses::successId))))),
        pathPrefix("targets", () -> targets(tenant, jobId)));
  }

  private Route targets(String tenant, String jobId) {
    return concat(
        endpoint(
            "targets",
            () ->
                concat(
                    get(
                        () ->
                            guarded(
                                () ->
                                    scrape
                                        .targets(tenant, jobId)
                                        .thenApply(
                                            targets ->
                                                responses.success(
                                                    out -> json.targets(out, targets))))),
                    post(
                        () ->
                            withJsonBody(
                                (request, body) ->
                                    scrape
                                        .createTarget(
                                            tenant,
                                            jobId,
                                            OmBodies.targetSpec(body),
                                            OmRequests.memberId(request, false))
                                        .thenApply(responses::successId))))),
        pathPrefix(
            segment(),
            targetId ->
                endpoint(
                    "target",
                    () ->
                        concat(
                            get(
                                () ->
                                    guarded(
                                        () ->
                                            scrape
                                                .target(tenant, jobId, targetId)
                                                .thenApply(
                                                    target ->
                                                        responses.success(
                                                            out -> json.target(out, target))))),
                            delete(
                                () ->
                                    withRequest(
                                        request ->
                                            scrape
                                                .deleteTarget(
                                                    tenant,
                                                    jobId,
                                                    targetId,
                                                    OmRequests.memberId(request, true))
                                                .thenApply(responses::successId)))))));
  }

  private Route servers(String tenant) {
    return concat(
        endpoint(
            "servers",
            () ->
                concat(
                    get(
                        () ->
                            guarded(
                                () ->
                                    scrape
                                        .servers(tenant)
                                        .thenApply(
                                            servers ->
                                                responses.success(
                                                    out -> json.servers(out, servers))))),
                    post(
                        () ->
                            withJsonBody(
                                (request, body) ->
                                    scrape
                                        .registerServer(tenant, OmBodies.serverSpec(body))
                                        .thenApply(
                                            server ->
                                                responses.success(
                                                    out -> json.server(out, server))))))),
        pathPrefix(
            segment(),
            hostId ->
                endpoint(
                    "server",
                    () ->
                        delete(
                            () ->
                                guarded(
                                    () ->
                                        scrape
                                            .deregisterServer(tenant, hostId)
                                            .thenApply(responses::successId))))));
  }

  /** The resource at the end of the path (a trailing slash allowed), counted by name. */
  private Route endpoint(String name, Supplier<Route> inner) {
    return pathEndOrSingleSlash(
        () -> {
          stats.increment(REQUESTS, Map.of("endpoint", name));
          return inner.get();
        });
  }

  private Route withRequest(Function<HttpRequest, CompletionStage<HttpResponse>> handler) {
    return extractRequest(request -> guarded(() -> handler.apply(request)));
  }

  /** Reads the whole body, then requires it to be declared JSON before the handler parses it. */
  private Route withJsonBody(
      BiFunction<HttpRequest, String, CompletionStage<HttpResponse>> handler) {
    return extractRequest(
        request ->
            entity(
                Unmarshaller.entityToString(),
                body ->
                    guarded(
                        () -> {
                          OmRequests.requireJson(request);
                          return handler.apply(request, body);
                        })));
  }

  /** Turns any failure of a handler, thrown or in its stage, into the envelope. */
  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    return Handlers.guarded(handler, this::failure);
  }

  /**
   * The answer to a failure: a refused request's result code (HTTP 200, as System Monitoring
   * answers), 401/403 for the appkey, 503 with {@code Retry-After} while the catalog does not
   * answer, else a logged INTERNAL_SERVER_ERROR (HTTP 200, as documented).
   */
  HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof ScrapeCatalogException refused) {
      return responses.error(StatusCodes.OK, refused.resultCode(), refused.getMessage());
    }
    if (cause instanceof ProjectAccessException access) {
      return responses.error(
          access.status(), ResultCode.INVALID_HOST_OR_PROJECT, access.getMessage());
    }
    if (cause instanceof StoreUnavailableException || cause instanceof TimeoutException) {
      return responses.unavailable(
          "The OpenMetrics job service is unavailable, retry later: " + cause.getMessage());
    }
    if (cause instanceof EntityStreamSizeException) {
      return responses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          ResultCode.BAD_INPUT_VALUE,
          cause.getMessage() + " (pekko.http.server.parsing.max-content-length)");
    }
    return responses
        .error(StatusCodes.OK, ResultCode.INTERNAL_SERVER_ERROR, "Internal server error: " + cause)
        .addAttribute(RequestLog.CAUSE, cause);
  }

  /**
   * A path the API does not have is a 404, a method a resource does not allow a 405 with {@code
   * Allow} (Pekko's), both as the envelope with BAD_INPUT_VALUE.
   */
  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        responses.error(
                            StatusCodes.NOT_FOUND,
                            ResultCode.BAD_INPUT_VALUE,
                            "No OpenMetrics API resource at "
                                + request.getUri().path()
                                + ": see /v1.0/projects/{projectId}/jobs and"
                                + " /v1.0/projects/{projectId}/servers"))))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(this::asEnvelope);
  }

  /** Pekko's own rejection answers are plain text; this API's clients expect the envelope. */
  private HttpResponse asEnvelope(HttpResponse response) {
    return Handlers.inErrorFormat(
        response,
        (status, text) ->
            responses.error(status, codeOf(status), text.isEmpty() ? status.reason() : text));
  }

  private static ResultCode codeOf(StatusCode status) {
    if (status.intValue() == 401 || status.intValue() == 403) {
      return ResultCode.INVALID_HOST_OR_PROJECT;
    }
    return status.isFailure() && status.intValue() < 500
        ? ResultCode.BAD_INPUT_VALUE
        : ResultCode.INTERNAL_SERVER_ERROR;
  }

  private HttpResponse timedOut(HttpRequest request) {
    return Unavailability.requestTimedOut(
        system,
        responses.unavailable(
            "The request did not complete within pekko.http.server.request-timeout"));
  }
}
