package io.meridian.http.admin;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meridian.http.Authentication;
import io.meridian.http.Handlers;
import io.meridian.node.auth.AuthService;
import io.meridian.node.auth.AuthService.AccessToken;
import io.meridian.node.auth.AuthService.TokenInfo;
import io.meridian.node.auth.AuthService.TokenRefusedException;
import io.meridian.node.auth.Principal;
import io.meridian.node.auth.Scope;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * OAuth 2 for API clients: {@code POST /v1/oauth2/token} issues an access token for the
 * client-credentials grant (RFC 6749 section 4.4), and {@code POST /v1/oauth2/revoke} revokes one
 * (RFC 7009). The client authenticates with HTTP Basic ({@code client_id:client_secret}) or with
 * {@code client_id} and {@code client_secret} in the body; the body is a form ({@code
 * application/x-www-form-urlencoded}, as the RFC has it) or a JSON object. Errors are RFC 6749's
 * {@code {"error":"invalid_client","error_description":…}}.
 */
final class OAuthRoutes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuthService auth;
  private final Function<Throwable, HttpResponse> otherFailures;

  OAuthRoutes(AuthService auth, Function<Throwable, HttpResponse> otherFailures) {
    this.auth = auth;
    this.otherFailures = otherFailures;
  }

  Route route() {
    return pathPrefix(
        "oauth2",
        () ->
            concat(
                path("token", () -> post(() -> withForm(this::token))),
                path("revoke", () -> post(() -> withForm(this::revoke)))));
  }

  private interface FormHandler {
    CompletionStage<HttpResponse> handle(HttpRequest request, Map<String, String> form);
  }

  private Route withForm(FormHandler handler) {
    return extractRequest(
        request ->
            entity(
                Unmarshaller.entityToByteArray(),
                body ->
                    Handlers.guarded(
                        () -> handler.handle(request, form(request, body)), this::failure)));
  }

  private CompletionStage<HttpResponse> token(HttpRequest request, Map<String, String> form) {
    String grant = form.get("grant_type");
    if (grant == null) {
      throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_request", "grant_type is required");
    }
    if (!grant.equals("client_credentials")) {
      throw new OAuthError(
          StatusCodes.BAD_REQUEST,
          "unsupported_grant_type",
          "Only the client_credentials grant is supported");
    }
    ClientCredentials client = client(request, form);
    Set<Scope> scopes;
    try {
      scopes = Scope.parse(form.getOrDefault("scope", ""));
    } catch (IllegalArgumentException e) {
      throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_scope", e.getMessage());
    }
    AccessToken token = auth.issue(client.id(), client.secret(), scopes);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("access_token", token.token());
    body.put("token_type", "Bearer");
    body.put("expires_in", Math.max(0, (token.expiresMs() - System.currentTimeMillis()) / 1000));
    body.put("scope", Scope.format(token.scopes()));
    return CompletableFuture.completedFuture(noStore(json(StatusCodes.OK, body)));
  }

  /**
   * Revokes a token for the client it was issued to, or for an administrator of its project. An
   * unknown, expired or forged token is answered 200 as well: there is nothing left to revoke.
   */
  private CompletionStage<HttpResponse> revoke(HttpRequest request, Map<String, String> form) {
    String token = form.get("token");
    if (token == null || token.isBlank()) {
      throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_request", "token is required");
    }
    Optional<Principal> admin =
        Authentication.bearer(request).flatMap(auth::byBearer).filter(p -> p.has(Scope.ADMIN));
    Optional<String> clientId =
        admin.isPresent() ? Optional.empty() : Optional.of(verifiedClient(request, form));
    Optional<TokenInfo> info = auth.inspect(token);
    if (info.isEmpty()) {
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.OK));
    }
    boolean allowed =
        admin.map(p -> p.mayUse(info.get().project())).orElse(false)
            || clientId.map(id -> id.equals(info.get().clientId())).orElse(false);
    if (!allowed) {
      throw new OAuthError(
          StatusCodes.BAD_REQUEST,
          "unauthorized_client",
          "The token was not issued to this client");
    }
    return auth.revoke(info.get())
        .thenApply(done -> HttpResponse.create().withStatus(StatusCodes.OK));
  }

  private record ClientCredentials(String id, String secret) {}

  private String verifiedClient(HttpRequest request, Map<String, String> form) {
    ClientCredentials client = client(request, form);
    if (!auth.clientSecretMatches(client.id(), client.secret())) {
      throw invalidClient("Unknown client or wrong secret");
    }
    return client.id();
  }

  /** The client's credentials, from HTTP Basic or else the body. */
  private static ClientCredentials client(HttpRequest request, Map<String, String> form) {
    Optional<String> basic =
        request
            .getHeader("Authorization")
            .map(h -> h.value().trim())
            .filter(v -> v.toLowerCase(Locale.ROOT).startsWith("basic "));
    if (basic.isPresent()) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(basic.get().substring("basic ".length()).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalidClient("The Basic credentials are not valid Base64");
      }
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw invalidClient("The Basic credentials must be client_id:client_secret");
      }
      return new ClientCredentials(
          URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    }
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    if (id == null || secret == null) {
      throw invalidClient(
          "Client authentication required: HTTP Basic client_id:client_secret, or client_id and"
              + " client_secret in the body");
    }
    return new ClientCredentials(id, secret);
  }

  /** The body's fields: a JSON object's string fields, or a form's. */
  private static Map<String, String> form(HttpRequest request, byte[] body) {
    String type = request.entity().getContentType().mediaType().toString();
    Map<String, String> fields = new HashMap<>();
    if (type.contains("json")) {
      try {
        JsonNode json = JSON.readTree(body);
        if (json == null || !json.isObject()) {
          throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_request", "not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> field = it.next();
          if (field.getValue().isTextual()) {
            fields.put(field.getKey(), field.getValue().asText());
          }
        }
      } catch (IOException e) {
        throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_request", "invalid JSON body");
      }
      return fields;
    }
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      try {
        String name =
            URLDecoder.decode(
                equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value =
            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        // RFC 6749 section 3.1: a parameter sent twice is an error.
        if (fields.put(name, value) != null) {
          throw new OAuthError(
              StatusCodes.BAD_REQUEST, "invalid_request", name + " is given more than once");
        }
      } catch (IllegalArgumentException e) {
        throw new OAuthError(StatusCodes.BAD_REQUEST, "invalid_request", "malformed form body");
      }
    }
    return fields;
  }

  private static OAuthError invalidClient(String description) {
    return new OAuthError(StatusCodes.UNAUTHORIZED, "invalid_client", description);
  }

  /** An OAuth 2 error answer. */
  private static final class OAuthError extends RuntimeException {
    private final StatusCode status;
    private final String error;

    OAuthError(StatusCode status, String error, String description) {
      super(description);
      this.status = status;
      this.error = error;
    }
  }

  private HttpResponse failure(Throwable failure) {
    Throwable cause = Handlers.cause(failure);
    if (cause instanceof TokenRefusedException refused) {
      cause =
          new OAuthError(
              refused.error().equals("invalid_client")
                  ? StatusCodes.UNAUTHORIZED
                  : StatusCodes.BAD_REQUEST,
              refused.error(),
              refused.getMessage());
    }
    if (cause instanceof OAuthError error) {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("error", error.error);
      body.put("error_description", error.getMessage());
      HttpResponse response = noStore(json(error.status, body));
      return error.status.intValue() == 401
          ? response.addHeader(RawHeader.create("WWW-Authenticate", "Basic realm=\"meridian\""))
          : response;
    }
    return otherFailures.apply(cause);
  }

  private static HttpResponse noStore(HttpResponse response) {
    return response.addHeaders(
        java.util.List.of(
            RawHeader.create("Cache-Control", "no-store"), RawHeader.create("Pragma", "no-cache")));
  }

  private static HttpResponse json(StatusCode status, ObjectNode body) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
  }
}
