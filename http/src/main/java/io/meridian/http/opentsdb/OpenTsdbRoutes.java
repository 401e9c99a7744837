package io.meridian.http.opentsdb;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.decodeRequest;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.mapRequest;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMultiMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeaders;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeoutResponse;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.ApiFamily;
import io.meridian.http.ApiStats;
import io.meridian.http.Handlers;
import io.meridian.http.HttpSettings;
import io.meridian.http.Projects;
import io.meridian.http.RequestLog;
import io.meridian.node.MeridianNode;
import io.meridian.node.query.QueryService;
import io.meridian.node.series.ReadLimitException;
import io.meridian.node.series.StoreUnavailableException;
import io.meridian.protocol.regex.RegexTooComplexException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaRange;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Accept;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestEncodingRejection;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;

/**
 * The OpenTSDB 2.x HTTP API under {@code /api}, with OpenTSDB's conventions around every endpoint:
 * optional version segment ({@code /api/v1/…}; any version is served by the latest), {@code
 * method_override}, {@code serializer=}, gzip request bodies, CORS from a domain list, and every
 * error as OpenTSDB's error object.
 */
public final class OpenTsdbRoutes {

  private static final Pattern VERSION = Pattern.compile("v\\d+");

  private final Projects projects;
  private final TsdbResponses responses;
  private final ApiStats stats;
  private final Cors cors;
  private final PutHandler puts;
  private final QueryHandler queries;
  private final MetaHandler meta;
  private final StatsHandler statsHandler;
  private final UidHandler uids;
  private final AnnotationHandler annotations;
  private final SearchHandler search;
  private final SuggestHandler suggest;
  private final LastHandler last;
  private final ExpressionHandler expressions;

  public OpenTsdbRoutes(MeridianNode node, HttpSettings settings) {
    this.stats = ApiStats.get(node.system());
    ObjectMapper mapper =
        JacksonObjectMapperProvider.get(node.system())
            .getOrCreate("jackson-json", Optional.empty());
    var config = node.system().settings().config();
    this.projects = Projects.fromConfig(config);
    this.responses = new TsdbResponses(mapper, settings);
    this.cors =
        new Cors(
            config.getStringList("meridian.http.cors.domains"),
            config.getString("meridian.http.cors.allowed-headers"));
    this.puts = new PutHandler(node, mapper, responses, stats);
    this.queries = new QueryHandler(node, mapper, responses);
    this.meta = new MetaHandler(mapper, responses, config, settings);
    this.statsHandler = new StatsHandler(node, mapper, responses, stats);
    this.uids = new UidHandler(node, mapper, responses);
    this.annotations = new AnnotationHandler(node, mapper, responses);
    this.search = new SearchHandler(node, mapper, responses);
    this.suggest = new SuggestHandler(node, mapper, responses);
    this.last = new LastHandler(node, mapper, responses);
    this.expressions = new ExpressionHandler(node, mapper, responses);
  }

  /** The OpenTSDB API as an {@link ApiFamily}: every path under {@code /api}. */
  public ApiFamily family() {
    return new OpenTsdbFamily(responses);
  }

  /**
   * OpenTSDB's paths name no project: a request reads and writes its credential's project (in open
   * mode the default tenant's). The tenant is resolved inside the exception and rejection handling,
   * so that a failure to resolve it is still answered as OpenTSDB's error object.
   */
  public Route route() {
    return pathPrefix(
        "api",
        () ->
            handleExceptions(
                exceptionHandler(),
                () ->
                    handleRejections(
                        rejectionHandler(),
                        () ->
                            withRequestTimeoutResponse(
                                this::timedOut,
                                () ->
                                    projects.withCredentialTenant(
                                        tenant ->
                                            methodOverride(
                                                () -> cors(() -> versionedEndpoints(tenant))))))));
  }

  /** {@code /api/v1/put} and {@code /api/put} are the same endpoint; any version means latest. */
  private Route versionedEndpoints(String tenant) {
    return concat(pathPrefix(segment(VERSION), version -> endpoints(tenant)), endpoints(tenant));
  }

  /** The endpoints, each reading and writing {@code tenant} only. */
  private Route endpoints(String tenant) {
    return serializerChecked(
        () ->
            decodeRequest(
                () ->
                    concat(
                        endpoint(
                            "put", () -> post(() -> withBody((p, b) -> puts.put(tenant, p, b)))),
                        endpoint(
                            "query",
                            () ->
                                concat(
                                    get(() -> withParams(p -> queries.get(tenant, p))),
                                    post(() -> withBody((p, b) -> queries.post(tenant, p, b))))),
                        pathPrefix(
                            "query",
                            () ->
                                concat(
                                    endpoint(
                                        "last",
                                        () ->
                                            concat(
                                                get(() -> withParams(p -> last.get(tenant, p))),
                                                post(
                                                    () ->
                                                        withBody(
                                                            (p, b) -> last.post(tenant, p, b))))),
                                    endpoint(
                                        "exp",
                                        () ->
                                            post(
                                                () ->
                                                    withBody(
                                                        (p, b) -> expressions.post(tenant, p, b)))),
                                    notImplemented("gexp", "query/gexp"))),
                        endpoint(
                            "suggest",
                            () ->
                                concat(
                                    get(() -> withParams(p -> suggest.get(tenant, p))),
                                    post(() -> withBody((p, b) -> suggest.post(tenant, p, b))))),
                        path(
                            segment("search").slash("lookup"),
                            () ->
                                extractRequest(
                                    r ->
                                        withBody(
                                            (p, b) -> search.lookup(tenant, r.method(), p, b)))),
                        underPath("search"),
                        endpoint(
                            "annotation",
                            () ->
                                extractRequest(
                                    r ->
                                        withBody(
                                            (p, b) ->
                                                annotations.single(tenant, r.method(), p, b)))),
                        path(
                            segment("annotation").slash("bulk"),
                            () ->
                                extractRequest(
                                    r ->
                                        withBody(
                                            (p, b) -> annotations.bulk(tenant, r.method(), p, b)))),
                        path(
                            segment("uid").slash("assign"),
                            () ->
                                extractRequest(
                                    r ->
                                        withBody((p, b) -> uids.assign(tenant, r.method(), p, b)))),
                        path(
                            segment("uid").slash("uidmeta"),
                            () ->
                                extractRequest(
                                    r ->
                                        withBody(
                                            (p, b) -> uids.uidmeta(tenant, r.method(), p, b)))),
                        underPath("uid"),
                        underPath("tree"),
                        underPath("histogram"),
                        endpoint("aggregators", () -> readOnly(meta::aggregators)),
                        endpoint("serializers", () -> readOnly(meta::serializers)),
                        endpoint("version", () -> readOnly(meta::version)),
                        endpoint("dropcaches", () -> readOnly(meta::dropCaches)),
                        endpoint("config", () -> get(() -> completeNow(meta::config))),
                        path(segment("config").slash("filters"), () -> readOnly(meta::filters)),
                        endpoint(
                            "stats", () -> get(() -> guarded(() -> statsHandler.stats(tenant)))),
                        path(
                            segment("stats").slash("jvm"),
                            () -> get(() -> completeNow(statsHandler::jvm))),
                        underPath("stats"))));
  }

  /** An endpoint at {@code /api/<name>} (with or without a trailing slash). */
  private Route endpoint(String name, Supplier<Route> inner) {
    return pathPrefix(
        name,
        () ->
            pathEndOrSingleSlash(
                () -> {
                  stats.increment("tsd.http.requests", Map.of("endpoint", name));
                  return inner.get();
                }));
  }

  private Route readOnly(Supplier<HttpResponse> handler) {
    return concat(get(() -> completeNow(handler)), post(() -> completeNow(handler)));
  }

  private Route completeNow(Supplier<HttpResponse> handler) {
    return guarded(() -> CompletableFuture.completedFuture(handler.get()));
  }

  private Route notImplemented(String segmentName, String endpoint) {
    return endpoint(segmentName, () -> notImplementedRoute(endpoint));
  }

  /** Any endpoint below {@code /api/<name>/}, not yet implemented. */
  private Route underPath(String name) {
    return pathPrefix(segment(name).slash(segment()), sub -> notImplementedRoute(name + "/" + sub));
  }

  private Route notImplementedRoute(String endpoint) {
    return complete(
        responses.error(
            StatusCodes.NOT_IMPLEMENTED,
            "Not implemented",
            "/api/" + endpoint + " is not implemented by Meridian yet",
            null));
  }

  private Route withParams(
      java.util.function.Function<Map<String, List<String>>, CompletionStage<HttpResponse>>
          handler) {
    return parameterMultiMap(params -> guarded(() -> handler.apply(params)));
  }

  /**
   * Hands the handler the query string and the body, except that a GET (also one overridden to GET)
   * never reads a body, as OpenTSDB documents: its handler sees an empty one.
   */
  private Route withBody(
      java.util.function.BiFunction<
              Map<String, List<String>>, byte[], CompletionStage<HttpResponse>>
          handler) {
    return parameterMultiMap(
        params ->
            extractRequest(
                request ->
                    request.method().equals(HttpMethods.GET)
                        ? guarded(() -> handler.apply(params, new byte[0]))
                        : entity(
                            Unmarshaller.entityToByteArray(),
                            body -> guarded(() -> handler.apply(params, body)))));
  }

  /**
   * {@code ?method_override=post|put|delete|get} lets clients that can only send GET reach the
   * other verbs; the override applies to GET requests only, as the request has no body to lose.
   */
  private Route methodOverride(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<String> override = request.getUri().query().get("method_override");
          if (override.isEmpty() || !request.method().equals(HttpMethods.GET)) {
            return inner.get();
          }
          Optional<HttpMethod> method =
              switch (override.get().toLowerCase(Locale.ROOT)) {
                case "get" -> Optional.of(HttpMethods.GET);
                case "post" -> Optional.of(HttpMethods.POST);
                case "put" -> Optional.of(HttpMethods.PUT);
                case "delete" -> Optional.of(HttpMethods.DELETE);
                default -> Optional.empty();
              };
          if (method.isEmpty()) {
            return complete(
                responses.badRequest(
                    "Unknown or unsupported method override value",
                    "method_override=" + override.get() + "; use get, post, put or delete"));
          }
          return mapRequest(r -> r.withMethod(method.get()), inner);
        });
  }

  /**
   * {@code serializer=} must name a serializer Meridian has (only {@code json}), and an {@code
   * Accept} header must allow JSON, else 406 (the response cannot be produced in that format).
   */
  private Route serializerChecked(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          Optional<String> serializer = request.getUri().query().get("serializer");
          if (serializer.isPresent() && !serializer.get().equals(TsdbResponses.SERIALIZER)) {
            return complete(
                responses.badRequest(
                    "Requested serializer was not found",
                    "Could not find a serializer with the name: " + serializer.get()));
          }
          Optional<Accept> accept = request.getHeader(Accept.class);
          if (accept.isPresent() && !acceptsJson(accept.get())) {
            return complete(
                responses.error(
                    StatusCodes.NOT_ACCEPTABLE,
                    "Requested response format not supported",
                    "Every response is application/json; the request accepts only "
                        + accept.get().value(),
                    null));
          }
          return inner.get();
        });
  }

  private static boolean acceptsJson(Accept accept) {
    for (MediaRange range : accept.getMediaRanges()) {
      if (range.qValue() > 0 && range.matches(MediaTypes.APPLICATION_JSON)) {
        return true;
      }
    }
    return false;
  }

  /**
   * OpenTSDB's CORS: with no domains configured an OPTIONS request is not allowed (405); with
   * domains configured, a request whose Origin is not allowed gets a 200 carrying the error object
   * and is not processed; an allowed one gets the allow headers, and its preflight an empty 200.
   */
  private Route cors(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          boolean preflight = request.method().equals(HttpMethods.OPTIONS);
          Optional<HttpHeader> origin = request.getHeader("Origin");
          if (!cors.enabled() || origin.isEmpty()) {
            return preflight ? methodNotAllowed() : inner.get();
          }
          String domain = origin.get().value();
          if (!cors.allows(domain)) {
            return complete(
                responses.error(
                    StatusCodes.OK,
                    "CORS domain not allowed",
                    "The domain [" + domain + "] is not permitted access",
                    null));
          }
          List<HttpHeader> headers =
              List.of(
                  RawHeader.create("Access-Control-Allow-Origin", domain),
                  RawHeader.create("Access-Control-Allow-Methods", Cors.ALLOWED_METHODS),
                  RawHeader.create("Access-Control-Allow-Headers", cors.allowedHeaders()));
          return respondWithHeaders(
              headers,
              () ->
                  preflight
                      ? complete(HttpResponse.create().withStatus(StatusCodes.OK))
                      : inner.get());
        });
  }

  private Route methodNotAllowed() {
    return complete(
        responses.error(
            StatusCodes.METHOD_NOT_ALLOWED,
            "Method not allowed",
            "The HTTP method is not supported on this endpoint",
            null));
  }

  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handleAll(MethodRejection.class, rejections -> methodNotAllowed())
        .handle(
            MalformedRequestContentRejection.class,
            rejection ->
                rejection.getCause() instanceof EntityStreamSizeException
                    ? complete(tooLarge(rejection.getCause()))
                    : complete(
                        responses.badRequest(
                            "Unable to read the request body", rejection.message())))
        .handle(
            UnsupportedRequestEncodingRejection.class,
            rejection ->
                complete(
                    responses.badRequest(
                        "Unsupported Content-Encoding",
                        "Supported encodings: gzip, deflate, identity")))
        .handleNotFound(
            extractRequest(
                request ->
                    complete(
                        responses.error(
                            StatusCodes.NOT_FOUND,
                            "Endpoint not found",
                            "No OpenTSDB endpoint at " + request.getUri().path(),
                            null))))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(this::asErrorObject);
  }

  /** Pekko's own rejection answers are plain text; OpenTSDB clients expect the error object. */
  private HttpResponse asErrorObject(HttpResponse response) {
    return Handlers.inErrorFormat(
        response, (status, text) -> responses.error(status, status.reason(), text, null));
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(tooLarge(e)))
        .matchAny(e -> complete(failure(e)))
        .build();
  }

  private HttpResponse tooLarge(Throwable cause) {
    return responses.error(
        StatusCodes.PAYLOAD_TOO_LARGE,
        "Request body too large",
        cause.getMessage() + " (pekko.http.server.parsing.max-content-length)",
        null);
  }

  private HttpResponse timedOut(HttpRequest request) {
    return responses.error(
        StatusCodes.REQUEST_TIMEOUT,
        "Request timed out",
        "The request did not complete within pekko.http.server.request-timeout",
        null);
  }

  /** Turns any failure of a handler into the OpenTSDB error object instead of a bare 500. */
  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    return Handlers.guarded(handler, this::failure);
  }

  /** The answer to a failed handler: its own status for known failures, else a logged 500. */
  HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof TsdbException tsdb) {
      return responses.error(tsdb.status(), tsdb.getMessage(), tsdb.details(), null);
    }
    if (cause instanceof StoreUnavailableException) {
      return responses.unavailable("Storage unavailable, retry later", cause.getMessage(), cause);
    }
    if (cause instanceof ReadLimitException) {
      // OpenTSDB answers its query limits (tsd.query.limits.*) with 413.
      return responses.error(
          StatusCodes.PAYLOAD_TOO_LARGE,
          "Sorry, you have attempted to fetch more than our limit allows",
          cause.getMessage(),
          null);
    }
    if (cause instanceof QueryService.NoSuchMetricException unknown) {
      return responses.badRequest(unknown.getMessage(), null);
    }
    if (cause instanceof RegexTooComplexException) {
      // As an invalid regexp filter is answered.
      return responses.badRequest(cause.getMessage(), null);
    }
    return responses
        .error(StatusCodes.INTERNAL_SERVER_ERROR, "Internal error", String.valueOf(cause), cause)
        .addAttribute(RequestLog.CAUSE, cause);
  }
}
