package io.meridian.http;

import io.meridian.http.server.RequestGate;
import io.meridian.node.auth.AuthService;
import io.meridian.node.auth.Principal;
import io.meridian.node.auth.Scope;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.japi.function.Function;

/**
 * With {@code meridian.auth.mode = enforced}, lets a request reach its route only with a valid
 * credential that has the scope the request needs ({@link ApiFamily#scope}): an {@code
 * Authorization: Bearer …} (an access token or an API key) or an {@code X-TC-APP-KEY}. A request
 * without one, or with one that is unknown, expired or revoked, is answered 401 with {@code
 * WWW-Authenticate}; one lacking the scope 403; both in the error format of the request's API. The
 * verified {@link Principal} goes to the route as the {@link #PRINCIPAL} attribute, which decides
 * the request's project ({@link Projects}).
 *
 * <p>It runs before the node's overload admission, so that requests without credentials cost no
 * share of it. Only a CORS preflight (browsers send no credentials with it), the OAuth 2 endpoints,
 * where the client authenticates itself, and the requests the {@code open} predicate names (the web
 * console's page and files, whose own API calls carry the credential) pass without a credential.
 * Until this node has loaded the credentials, requests are answered 503.
 */
public final class Authentication implements RequestGate {

  /** Attribute of an authenticated request: who it acts as. */
  public static final AttributeKey<Principal> PRINCIPAL =
      AttributeKey.create("meridian-principal", Principal.class);

  /** Paths that authenticate their clients themselves (OAuth 2, RFC 6749 and 7009). */
  static final Set<String> SELF_AUTHENTICATING =
      Set.of("/v1/oauth2/token", "/oauth2/token", "/v1/oauth2/revoke", "/oauth2/revoke");

  private static final String CHALLENGE = "Bearer realm=\"meridian\"";

  private final AuthService auth;
  private final ApiFamilies families;
  private final Predicate<HttpRequest> open;
  private final RequestGate next;
  private final ClassicActorSystemProvider system;

  /**
   * @param open the requests anyone may make without a credential besides CORS preflights and OAuth
   *     2 (the web console's files)
   */
  public Authentication(
      AuthService auth,
      ApiFamilies families,
      Predicate<HttpRequest> open,
      RequestGate next,
      ClassicActorSystemProvider system) {
    this.auth = auth;
    this.families = families;
    this.open = open;
    this.next = next;
    this.system = system;
  }

  @Override
  public CompletionStage<HttpResponse> serve(
      HttpRequest request, Function<HttpRequest, CompletionStage<HttpResponse>> route) {
    if (!auth.enforced() || exempt(request)) {
      return next.serve(request, route);
    }
    ApiFamily family = families.forPath(request.getUri().path());
    if (!auth.isReady()) {
      return answer(
          request,
          Unavailability.CREDENTIALS_NOT_LOADED.on(
              family.unavailable(
                  "This node has not loaded the cluster's credentials yet: retry",
                  "the credentials registry has not answered")));
    }
    Optional<String> bearer = bearer(request);
    Optional<String> appKey = request.getHeader(Projects.APP_KEY_HEADER).map(h -> h.value().trim());
    if (bearer.isEmpty() && appKey.isEmpty()) {
      return unauthorized(
          request,
          family,
          "Credentials required: send Authorization: Bearer <token or API key> or "
              + Projects.APP_KEY_HEADER
              + ": <API key>");
    }
    Optional<Principal> principal =
        bearer.isPresent() ? auth.byBearer(bearer.get()) : auth.byKey(appKey.get());
    if (principal.isEmpty()) {
      return unauthorized(request, family, "Credentials invalid, expired or revoked");
    }
    Scope needed = family.scope(request);
    if (!principal.get().has(needed)) {
      return answer(
          request,
          family.refused(
              new ProjectAccessException(
                  StatusCodes.FORBIDDEN,
                  "forbidden",
                  "This credential lacks the \""
                      + needed.label()
                      + "\" scope this request needs")));
    }
    return next.serve(request.addAttribute(PRINCIPAL, principal.get()), route);
  }

  @Override
  public HttpResponse shuttingDown(HttpRequest request) {
    return next.shuttingDown(request);
  }

  /** A CORS preflight, an OAuth 2 endpoint, or an open request. */
  private boolean exempt(HttpRequest request) {
    if (open.test(request)) {
      return true;
    }
    if (request.method().equals(HttpMethods.OPTIONS)
        && request.getHeader("Origin").isPresent()
        && request.getHeader("Access-Control-Request-Method").isPresent()) {
      return true;
    }
    return SELF_AUTHENTICATING.contains(request.getUri().path());
  }

  /** The credential of an {@code Authorization: Bearer …} header, if the request has one. */
  public static Optional<String> bearer(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(h -> h.value().trim())
        .filter(v -> v.toLowerCase(Locale.ROOT).startsWith("bearer "))
        .map(v -> v.substring("bearer ".length()).trim())
        .filter(v -> !v.isEmpty());
  }

  private CompletionStage<HttpResponse> unauthorized(
      HttpRequest request, ApiFamily family, String message) {
    return answer(
        request,
        family
            .refused(new ProjectAccessException(StatusCodes.UNAUTHORIZED, "unauthorized", message))
            .addHeader(RawHeader.create("WWW-Authenticate", CHALLENGE)));
  }

  private CompletionStage<HttpResponse> answer(HttpRequest request, HttpResponse response) {
    return Handlers.afterBody(request, response, system);
  }
}
