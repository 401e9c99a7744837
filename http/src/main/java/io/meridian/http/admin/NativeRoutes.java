package io.meridian.http.admin;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.optionalAttribute;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.ApiFamilies;
import io.meridian.http.ApiFamily;
import io.meridian.http.Authentication;
import io.meridian.http.Handlers;
import io.meridian.http.HttpSettings;
import io.meridian.http.ProjectAccessException;
import io.meridian.http.RequestLog;
import io.meridian.http.telnet.BuildInfo;
import io.meridian.node.ClusterOverview;
import io.meridian.node.MeridianNode;
import io.meridian.node.auth.AuthService;
import io.meridian.node.auth.AuthService.Credential;
import io.meridian.node.auth.AuthService.Issued;
import io.meridian.node.auth.Principal;
import io.meridian.node.auth.Scope;
import io.meridian.node.series.StoreUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Meridian's own API: {@code /info}, the administration of credentials ({@code /keys}, {@code
 * /clients}) and of the cluster's membership ({@link ClusterRoutes}), versioned by content
 * negotiation ({@link Versions}); every path is also served under {@code /v1/}, by the same code.
 * Managing credentials needs the admin scope, in the credential's project (a cluster
 * administrator's: any project). Secrets are in the answer that creates or rotates them, and
 * nowhere else. Errors are {@code {"error":{"code":…,"message":…,"tag":…}}}.
 *
 * <p>{@link OAuthRoutes} serves {@code /v1/oauth2/token} and {@code /v1/oauth2/revoke}, {@link
 * MetricsRoute} the node's self-monitoring metrics at {@code /metrics}.
 */
public final class NativeRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PATHS =
      Pattern.compile("(/v1)?/(info|keys|clients|oauth2|cluster)(/.*)?|(/v1)?/metrics/?");
  private static final int MAX_DESCRIPTION = 200;
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}|\\*");

  private final MeridianNode node;
  private final AuthService auth;
  private final NativeFamily family;
  private final OAuthRoutes oauth;
  private final ClusterRoutes cluster;
  private final HttpSettings settings;
  private final MetricsRoute metrics;

  public NativeRoutes(MeridianNode node, HttpSettings settings) {
    this.node = node;
    this.auth = node.auth();
    this.family = new NativeFamily(settings);
    this.settings = settings;
    this.oauth = new OAuthRoutes(auth, this::failure);
    this.cluster =
        new ClusterRoutes(
            new ClusterOverview(node.system()),
            text -> parse(text.getBytes(StandardCharsets.UTF_8)),
            this::guarded);
    this.metrics = new MetricsRoute(node.metrics());
  }

  public ApiFamily family() {
    return family;
  }

  public Route route() {
    return extractUnmatchedPath(
        path ->
            family.serves(path)
                ? handleExceptions(
                    ExceptionHandler.newBuilder().matchAny(e -> complete(failure(e))).build(),
                    () ->
                        handleRejections(
                            RejectionHandler.defaultHandler()
                                .mapRejectionResponse(
                                    response ->
                                        Handlers.inErrorFormat(
                                            response,
                                            (status, text) ->
                                                ApiFamilies.error(
                                                    status,
                                                    text.isEmpty() ? status.reason() : text,
                                                    null))),
                            () -> concat(pathPrefix("v1", this::resources), resources())))
                : reject());
  }

  private Route resources() {
    return concat(
        oauth.route(),
        path("info", () -> get(() -> extractRequest(request -> complete(info(request))))),
        pathPrefix("metrics", () -> pathEndOrSingleSlash(() -> withPrincipal(metrics::route))),
        pathPrefix(
            "cluster",
            () ->
                withPrincipal(
                    principal -> extractRequest(request -> cluster.route(principal, request)))),
        pathPrefix(
            "keys",
            () ->
                credentials(
                    "key",
                    "createkeyrequest",
                    "createkeyresponse",
                    new Kind(
                        auth::keys,
                        auth::key,
                        auth::createKey,
                        auth::rotateKey,
                        auth::deleteKey,
                        "id",
                        "key"))),
        pathPrefix(
            "clients",
            () ->
                credentials(
                    "client",
                    "createclientrequest",
                    "createclientresponse",
                    new Kind(
                        auth::clients,
                        auth::client,
                        auth::createClient,
                        auth::rotateClient,
                        auth::deleteClient,
                        "client_id",
                        "client_secret"))));
  }

  /** What the key and client endpoints do with their kind of credential. */
  private record Kind(
      Function<Optional<String>, List<Credential>> list,
      Function<String, Optional<Credential>> one,
      Creator create,
      Function<String, CompletionStage<Optional<Issued>>> rotate,
      Function<String, CompletionStage<Boolean>> delete,
      String idField,
      String secretField) {}

  private interface Creator {
    CompletionStage<Issued> create(String project, Set<Scope> scopes, String description);
  }

  private Route credentials(String resource, String createRequest, String created, Kind kind) {
    return withPrincipal(
        principal ->
            extractRequest(
                request ->
                    concat(
                        pathEndOrSingleSlash(
                            () ->
                                concat(
                                    get(
                                        () ->
                                            parameterOptional(
                                                "project",
                                                project ->
                                                    complete(
                                                        list(
                                                            request, principal, project, kind,
                                                            resource)))),
                                    post(
                                        () ->
                                            entity(
                                                Unmarshaller.entityToByteArray(),
                                                body ->
                                                    guarded(
                                                        () ->
                                                            create(
                                                                request, principal, body, kind,
                                                                created)))))),
                        path(
                            segment(),
                            id ->
                                concat(
                                    get(
                                        () ->
                                            complete(one(request, principal, id, kind, resource))),
                                    delete(() -> guarded(() -> remove(principal, id, kind))))),
                        path(
                            segment().slash("rotate"),
                            id ->
                                post(
                                    () ->
                                        guarded(
                                            () ->
                                                rotate(request, principal, id, kind, created)))))));
  }

  /**
   * The request's principal; in open mode (no authentication) the request acts as a cluster
   * administrator, as every other request then acts without limits.
   */
  private static Route withPrincipal(Function<Principal, Route> inner) {
    return optionalAttribute(
        Authentication.PRINCIPAL,
        principal ->
            inner.apply(
                principal.orElse(
                    new Principal(
                        "open", "open", Principal.ALL_PROJECTS, EnumSet.allOf(Scope.class)))));
  }

  private HttpResponse list(
      HttpRequest request,
      Principal principal,
      Optional<String> project,
      Kind kind,
      String resource) {
    if (project.isPresent() && !principal.mayUse(project.get())) {
      throw forbidden(project.get());
    }
    Optional<String> scope =
        project.isPresent() || principal.allProjects() ? project : Optional.of(principal.project());
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    kind.list().apply(scope).forEach(c -> items.add(json(c, kind, null)));
    return answer(request, StatusCodes.OK, resource, items);
  }

  private HttpResponse one(
      HttpRequest request, Principal principal, String id, Kind kind, String resource) {
    Credential credential = owned(principal, kind.one().apply(id), id);
    return answer(request, StatusCodes.OK, resource, json(credential, kind, null));
  }

  private CompletionStage<HttpResponse> create(
      HttpRequest request, Principal principal, byte[] body, Kind kind, String resource) {
    JsonNode json = parse(body);
    String project =
        text(json, "project")
            .orElseGet(
                () -> {
                  if (principal.allProjects()) {
                    throw badRequest("\"project\" is required: the project the credential is for");
                  }
                  return principal.project();
                });
    if (!PROJECT.matcher(project).matches()) {
      throw badRequest(
          "\"project\" must be 1 to 64 letters, digits, '_', '.' or '-' (or \"*\" for every"
              + " project), not \""
              + project
              + "\"");
    }
    if (!principal.mayUse(project)) {
      throw forbidden(project);
    }
    Set<Scope> scopes = scopes(json);
    if (!principal.scopes().containsAll(scopes)) {
      throw new ProjectAccessException(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "A credential cannot grant scopes it does not have: " + Scope.format(scopes));
    }
    String description = text(json, "description").orElse("");
    if (description.length() > MAX_DESCRIPTION) {
      throw badRequest("\"description\" is longer than " + MAX_DESCRIPTION + " characters");
    }
    return kind.create()
        .create(project, scopes, description)
        .thenApply(
            issued ->
                answer(
                    request,
                    StatusCodes.CREATED,
                    resource,
                    json(issued.credential(), kind, issued.secret())));
  }

  private CompletionStage<HttpResponse> rotate(
      HttpRequest request, Principal principal, String id, Kind kind, String resource) {
    owned(principal, kind.one().apply(id), id);
    return kind.rotate()
        .apply(id)
        .thenApply(
            issued ->
                issued
                    .map(
                        i ->
                            answer(
                                request,
                                StatusCodes.OK,
                                resource,
                                json(i.credential(), kind, i.secret())))
                    .orElseGet(() -> notFound(id)));
  }

  private CompletionStage<HttpResponse> remove(Principal principal, String id, Kind kind) {
    owned(principal, kind.one().apply(id), id);
    return kind.delete()
        .apply(id)
        .thenApply(
            deleted ->
                deleted ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT) : notFound(id));
  }

  /** The credential, if it exists and is of a project the principal may administer. */
  private static Credential owned(Principal principal, Optional<Credential> credential, String id) {
    if (credential.isEmpty() || !principal.mayUse(credential.get().project())) {
      // Another project's credential is as good as missing: its id says nothing more.
      throw new NotFound(id);
    }
    return credential.get();
  }

  private HttpResponse info(HttpRequest request) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("name", "meridian");
    body.put("version", BuildInfo.version());
    body.put("node", node.system().address().toString());
    Cluster cluster = Cluster.get(node.system());
    body.put("member_status", cluster.selfMember().status().toString());
    body.put("members", cluster.state().members().size());
    body.put("auth", auth.enforced() ? "enforced" : "open");
    ArrayNode apis = body.putArray("apis");
    for (String api : List.of("opentsdb", "prometheus", "log_excerpts", "openmetrics", "native")) {
      apis.add(api);
    }
    return answer(request, StatusCodes.OK, "info", body);
  }

  private static ObjectNode json(Credential credential, Kind kind, String secret) {
    ObjectNode item = JsonNodeFactory.instance.objectNode();
    item.put(kind.idField(), credential.id());
    if (secret != null) {
      item.put(kind.secretField(), secret);
    }
    item.put("project", credential.project());
    ArrayNode scopes = item.putArray("scopes");
    credential.scopes().stream().sorted().forEach(s -> scopes.add(s.label()));
    item.put("description", credential.description());
    item.put("created_at", Instant.ofEpochMilli(credential.createdMs()).toString());
    item.put("rotated_at", Instant.ofEpochMilli(credential.rotatedMs()).toString());
    return item;
  }

  /** A 200 answer holding {@code resource}, in the type and version the request negotiated. */
  static HttpResponse answer(HttpRequest request, String resource, JsonNode body) {
    return answer(request, StatusCodes.OK, resource, body);
  }

  private static HttpResponse answer(
      HttpRequest request, StatusCode status, String resource, JsonNode body) {
    ContentType type = Versions.answer(request, resource);
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(type, body.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw badRequest("The body must be a JSON object");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw badRequest("The body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw badRequest("The body is not valid JSON");
    }
  }

  private static Optional<String> text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw badRequest("\"" + field + "\" must be a string");
    }
    return Optional.of(value.asText());
  }

  private static Set<Scope> scopes(JsonNode json) {
    JsonNode value = json.get("scopes");
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw badRequest(
          "\"scopes\" is required: a non-empty array of \"read\", \"write\", \"admin\"");
    }
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (JsonNode scope : value) {
      if (!scope.isTextual()) {
        throw badRequest("\"scopes\" must hold strings");
      }
      try {
        scopes.add(Scope.of(scope.asText()));
      } catch (IllegalArgumentException e) {
        throw badRequest(e.getMessage());
      }
    }
    return scopes;
  }

  private Route guarded(Supplier<CompletionStage<HttpResponse>> handler) {
    return Handlers.guarded(handler, this::failure);
  }

  /** Known failures in their status; anything else a 500 whose cause the exception log gets. */
  HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof BadRequest bad) {
      return ApiFamilies.error(StatusCodes.BAD_REQUEST, bad.getMessage(), null);
    }
    if (cause instanceof NotFound missing) {
      return notFound(missing.getMessage());
    }
    if (cause instanceof ProjectAccessException refused) {
      return ApiFamilies.error(refused.status(), refused.getMessage(), null);
    }
    if (cause instanceof StoreUnavailableException) {
      return ApiFamilies.error(
              StatusCodes.SERVICE_UNAVAILABLE,
              "The credentials registry is unavailable, retry later",
              cause.getMessage())
          .addHeader(ApiFamily.retryAfter(settings.retryAfter()));
    }
    return ApiFamilies.error(
            StatusCodes.INTERNAL_SERVER_ERROR, "Internal error", String.valueOf(cause))
        .addAttribute(RequestLog.CAUSE, cause);
  }

  private static HttpResponse notFound(String id) {
    return ApiFamilies.error(StatusCodes.NOT_FOUND, "No credential " + id, null);
  }

  private static ProjectAccessException forbidden(String project) {
    return new ProjectAccessException(
        StatusCodes.FORBIDDEN,
        "forbidden",
        "Access to project \"" + project + "\" is not allowed with this credential");
  }

  static BadRequest badRequest(String message) {
    return new BadRequest(message);
  }

  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String id) {
      super(id);
    }
  }

  /** The native API's paths, their plain JSON errors, and the admin scope of credentials. */
  private static final class NativeFamily implements ApiFamily {
    private final HttpSettings settings;

    NativeFamily(HttpSettings settings) {
      this.settings = settings;
    }

    @Override
    public String name() {
      return "native";
    }

    @Override
    public boolean serves(String path) {
      return PATHS.matcher(path).matches();
    }

    @Override
    public HttpResponse unavailable(String message, String details) {
      return ApiFamilies.error(StatusCodes.SERVICE_UNAVAILABLE, message, details)
          .addHeader(ApiFamily.retryAfter(settings.retryAfter()));
    }

    @Override
    public HttpResponse refused(ProjectAccessException refusal) {
      return ApiFamilies.error(refusal.status(), refusal.getMessage(), null);
    }

    @Override
    public Scope scope(HttpRequest request) {
      String path = request.getUri().path();
      return path.endsWith("/info") ? Scope.READ : Scope.ADMIN;
    }
  }
}
