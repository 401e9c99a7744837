package io.meridian.http.prometheus;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.toStrictEntity;
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
import io.meridian.node.MeridianNode;
import io.meridian.node.metrics.NodeMetrics;
import io.meridian.node.promql.PromQlException;
import io.meridian.node.series.ReadLimitException;
import io.meridian.node.series.SamplesRefusedException;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.promql.PromQlParseException;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import scala.concurrent.duration.FiniteDuration;

/**
 * The Prometheus HTTP API ({@code query}, {@code query_range}, {@code series}, {@code labels},
 * {@code label/<name>/values}, {@code metadata}, {@code status/buildinfo}, {@code query_exemplars},
 * {@code rules}) and remote write ({@code write}), served at three prefixes: {@code
 * /prometheus/api/v1/} (the URL Grafana is given), {@code /prometheus/projects/<project>/api/v1/}
 * (naming the project explicitly) and {@code /api/v1/} (where Prometheus itself serves). Every
 * request is authorized by its {@code X-TC-APP-KEY} ({@link Projects}) and every answer is
 * Prometheus' JSON envelope.
 *
 * <p>{@code /api/v1/query} is also OpenTSDB's versioned query endpoint: it is Prometheus' when the
 * request carries a {@code query} parameter (in the URL or a form-encoded POST body), else this
 * route declines it and OpenTSDB's route serves it.
 */
public final class PrometheusRoutes {

  /** How long reading a form body to tell the two {@code /api/v1/query} apart may take. */
  private static final FiniteDuration FORM_READ_TIMEOUT =
      FiniteDuration.create(10, TimeUnit.SECONDS);

  private final MeridianNode node;
  private final ApiStats stats;
  private final PromResponses responses;
  private final PrometheusFamily family;
  private final Projects projects;
  private final QueryHandler queries;
  private final SeriesHandler series;
  private final RemoteWriteHandler writes;
  private final InfoHandler info;

  public PrometheusRoutes(MeridianNode node, HttpSettings settings) {
    Config config = node.system().settings().config();
    this.node = node;
    this.stats = ApiStats.get(node.system());
    this.responses = new PromResponses(settings.retryAfter());
    this.family = new PrometheusFamily(responses);
    this.projects = Projects.fromConfig(config);
    this.queries = new QueryHandler(node.promql(), responses, System::currentTimeMillis);
    this.series = new SeriesHandler(node.series(), responses);
    this.writes =
        new RemoteWriteHandler(
            node.series(),
            config.getBytes("meridian.prometheus.remote-write.max-uncompressed-bytes"),
            config.getInt("meridian.prometheus.remote-write.key-cache-size"),
            node.metrics().samplesIngested(NodeMetrics.REMOTE_WRITE));
    this.info = new InfoHandler(responses);
  }

  /** The Prometheus API as an {@link ApiFamily}, to come before OpenTSDB's. */
  public ApiFamily family() {
    return family;
  }

  public Route route() {
    return concat(
        pathPrefix(
            "prometheus",
            () ->
                handled(
                    () ->
                        concat(
                            pathPrefix(
                                segment("projects").slash(segment()),
                                project ->
                                    pathPrefix(
                                        segment("api").slash("v1"),
                                        () -> endpoints(Optional.of(project)))),
                            pathPrefix(
                                segment("api").slash("v1"), () -> endpoints(Optional.empty()))))),
        pathPrefix(
            segment("api").slash("v1"),
            () ->
                extractUnmatchedPath(
                    rest -> {
                      if (rest.equals("/query") || rest.equals("/query/")) {
                        return whenPrometheusQuery(
                            () -> handled(() -> endpoints(Optional.empty())));
                      }
                      return family.serves("/api/v1" + rest)
                          ? handled(() -> endpoints(Optional.empty()))
                          : reject();
                    })));
  }

  /**
   * Passes the request on when it carries a {@code query} parameter, else declines it for OpenTSDB.
   * A form body is made strict first, so that OpenTSDB can still read it.
   */
  private Route whenPrometheusQuery(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          if (request.getUri().query().get("query").isPresent()) {
            return inner.get();
          }
          if (!isForm(request)) {
            return reject();
          }
          return toStrictEntity(
              FORM_READ_TIMEOUT,
              () ->
                  extractRequest(
                      strict -> formOf(strict).containsKey("query") ? inner.get() : reject()));
        });
  }

  private static boolean isForm(HttpRequest request) {
    return request.method().equals(HttpMethods.POST)
        && request
            .entity()
            .getContentType()
            .mediaType()
            .equals(MediaTypes.APPLICATION_X_WWW_FORM_URLENCODED);
  }

  private static Map<String, List<String>> formOf(HttpRequest request) {
    if (request.entity() instanceof HttpEntity.Strict strict && isForm(request)) {
      return Query.create(strict.getData().utf8String()).toMultiMap();
    }
    return Map.of();
  }

  private Route handled(Supplier<Route> inner) {
    return handleExceptions(
        exceptionHandler(),
        () ->
            handleRejections(
                rejectionHandler(), () -> withRequestTimeoutResponse(this::timedOut, inner)));
  }

  private Route endpoints(Optional<String> project) {
    return projects.withTenant(
        project,
        tenant ->
            concat(
                endpoint("query", () -> withParams(p -> queries.instant(tenant, p))),
                endpoint("query_range", () -> withParams(p -> queries.range(tenant, p))),
                endpoint("series", () -> withParams(p -> series.series(tenant, p))),
                endpoint("labels", () -> withParams(p -> series.labels(tenant, p))),
                path(
                    segment("label").slash(segment()).slash("values"),
                    name -> {
                      stats.increment("prometheus.http.requests", Map.of("endpoint", "label"));
                      return get(() -> withParams(p -> series.labelValues(tenant, name, p)));
                    }),
                endpoint("metadata", () -> get(() -> completeNow(info::metadata))),
                endpoint(
                    "rules",
                    () ->
                        get(
                            () ->
                                withParams(p -> CompletableFuture.completedFuture(info.rules(p))))),
                path(
                    segment("status").slash("buildinfo"),
                    () -> get(() -> completeNow(info::buildInfo))),
                endpoint(
                    "query_exemplars",
                    () -> withParams(p -> CompletableFuture.completedFuture(info.exemplars()))),
                endpoint(
                    "write",
                    () ->
                        post(
                            () ->
                                extractRequest(
                                    request ->
                                        entity(
                                            Unmarshaller.entityToByteArray(),
                                            body ->
                                                guarded(
                                                    () ->
                                                        writes.write(tenant, request, body))))))));
  }

  /** An endpoint at {@code <prefix>/<name>}, counted by name. */
  private Route endpoint(String name, Supplier<Route> inner) {
    return pathPrefix(
        name,
        () ->
            pathEndOrSingleSlash(
                () -> {
                  stats.increment("prometheus.http.requests", Map.of("endpoint", name));
                  return inner.get();
                }));
  }

  private Route completeNow(Supplier<HttpResponse> answer) {
    return guarded(() -> CompletableFuture.completedFuture(answer.get()));
  }

  /**
   * GET and POST with the parameters of both the URL and a form-encoded body, the body's first
   * (Go's {@code r.Form}).
   */
  private Route withParams(Function<PromParams, CompletionStage<HttpResponse>> handler) {
    return concat(
        get(
            () ->
                extractRequest(
                    request ->
                        guarded(
                            () ->
                                handler.apply(
                                    new PromParams(request.getUri().query().toMultiMap()))))),
        post(
            () ->
                extractRequest(
                    request ->
                        entity(
                            Unmarshaller.entityToString(),
                            body -> {
                              Map<String, List<String>> merged = new HashMap<>();
                              if (isForm(request)) {
                                Query.create(body).toMultiMap().forEach(merged::put);
                              }
                              request
                                  .getUri()
                                  .query()
                                  .toMultiMap()
                                  .forEach(
                                      (name, values) ->
                                          merged.merge(
                                              name,
                                              values,
                                              (form, url) -> {
                                                List<String> all = new ArrayList<>(form);
                                                all.addAll(url);
                                                return all;
                                              }));
                              return guarded(() -> handler.apply(new PromParams(merged)));
                            }))));
  }

  /** Turns any failure of a handler, thrown or in its stage, into Prometheus' error body. */
  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    return Handlers.guarded(handler, this::failure);
  }

  /** The answer to a failure: its own status and error type for known ones, else a logged 500. */
  HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof PromApiException api) {
      return responses.error(api.status(), api.errorType(), api.getMessage());
    }
    if (cause instanceof ProjectAccessException access) {
      return responses.error(access.status(), access.kind(), access.getMessage());
    }
    if (cause instanceof PromQlParseException parse) {
      return responses.error(StatusCodes.BAD_REQUEST, "bad_data", parse.getMessage());
    }
    if (cause instanceof PromQlException promql) {
      return switch (promql.kind()) {
        case EXECUTION ->
            responses.error(StatusCodes.UNPROCESSABLE_ENTITY, "execution", promql.getMessage());
        case TIMEOUT ->
            responses.error(StatusCodes.SERVICE_UNAVAILABLE, "timeout", promql.getMessage());
        case BAD_DATA -> responses.error(StatusCodes.BAD_REQUEST, "bad_data", promql.getMessage());
      };
    }
    if (cause instanceof ReadLimitException) {
      return responses.error(StatusCodes.UNPROCESSABLE_ENTITY, "execution", cause.getMessage());
    }
    if (cause instanceof RegexTooComplexException) {
      // The client's regular expression, not the data, is at fault: like an invalid one.
      return responses.error(StatusCodes.BAD_REQUEST, "bad_data", cause.getMessage());
    }
    if (cause instanceof SamplesRefusedException) {
      return responses.error(StatusCodes.BAD_REQUEST, "bad_data", cause.getMessage());
    }
    if (cause instanceof StoreUnavailableException) {
      return responses.withRetryAfter(
          responses.error(
              StatusCodes.SERVICE_UNAVAILABLE,
              "unavailable",
              "Storage unavailable, retry later: " + cause.getMessage()));
    }
    if (cause instanceof EntityStreamSizeException) {
      return responses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "bad_data",
          cause.getMessage() + " (pekko.http.server.parsing.max-content-length)");
    }
    return responses
        .error(StatusCodes.INTERNAL_SERVER_ERROR, "internal", String.valueOf(cause))
        .addAttribute(RequestLog.CAUSE, cause);
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder().matchAny(e -> complete(failure(e))).build();
  }

  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejections ->
                complete(
                    responses.error(
                        StatusCodes.METHOD_NOT_ALLOWED,
                        "bad_data",
                        "method not allowed on this endpoint")))
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        responses.error(
                            StatusCodes.NOT_FOUND,
                            "not_found",
                            "no Prometheus API endpoint at " + request.getUri().path()))))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(this::asErrorBody);
  }

  /** Pekko's own rejection answers are plain text; Prometheus clients expect the error body. */
  private HttpResponse asErrorBody(HttpResponse response) {
    return Handlers.inErrorFormat(
        response,
        (status, text) ->
            responses.error(status, "bad_data", text.isEmpty() ? status.reason() : text));
  }

  private HttpResponse timedOut(HttpRequest request) {
    return Unavailability.requestTimedOut(
        node.system(),
        responses.error(
            StatusCodes.SERVICE_UNAVAILABLE,
            "timeout",
            "the request did not complete within pekko.http.server.request-timeout"));
  }
}
