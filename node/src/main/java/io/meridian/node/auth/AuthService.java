package io.meridian.node.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meridian.node.auth.AuthRegistry.State;
import io.meridian.node.auth.AuthRegistry.StoredClient;
import io.meridian.node.auth.AuthRegistry.StoredKey;
import io.meridian.node.series.StoreUnavailableException;
import java.text.ParseException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * Verifies credentials on every request from this node's copy of the {@link AuthRegistry}'s state,
 * without asking anyone, and changes credentials through the registry.
 *
 * <p>The copy is the newest state the node has heard of: the registry publishes every change on a
 * topic all nodes listen on, and each node also asks for the state every {@code refresh-interval},
 * so a node that missed a change (a partition, a restart of the registry) is right again within
 * that time. Until the first state arrives, nothing but the configured credentials is known and the
 * API answers 503 ({@link #ready}).
 *
 * <p>Credentials:
 *
 * <ul>
 *   <li>API keys ({@code mk_…}), sent as {@code X-TC-APP-KEY} or as a bearer token: a project, or
 *       every project, and scopes;
 *   <li>access tokens from OAuth 2's client-credentials grant: JWTs signed (HS256) with the
 *       registry's key, carrying the client, project, scopes, expiry and the client's generation
 *       (rotating or removing the client ends them), revocable one by one until they expire;
 *   <li>from the configuration: {@code meridian.auth.admin-token} (every project, every scope) and
 *       {@code meridian.projects.appkeys} (read and write in one project).
 * </ul>
 */
public final class AuthService {

  /** What a new credential's secret starts with, so that it is recognized in a leak. */
  static final String KEY_PREFIX = "mk_";

  static final String CLIENT_PREFIX = "mc_";
  static final String SECRET_PREFIX = "ms_";
  private static final String ISSUER = "meridian";
  private static final Set<Scope> PROJECT_KEY_SCOPES = EnumSet.of(Scope.READ, Scope.WRITE);

  private final AuthSettings settings;

  /** The digest of {@code meridian.auth.admin-token}, computed once rather than per request. */
  private final Optional<String> adminTokenDigest;

  private final Function<
          Function<ActorRef<AuthRegistry.Reply>, AuthRegistry.Command>,
          CompletionStage<AuthRegistry.Reply>>
      registry;
  private final LongSupplier clock;
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private volatile View view = new View(State.empty());

  AuthService(
      AuthSettings settings,
      Function<
              Function<ActorRef<AuthRegistry.Reply>, AuthRegistry.Command>,
              CompletionStage<AuthRegistry.Reply>>
          registry,
      LongSupplier clock) {
    this.settings = settings;
    this.adminTokenDigest = settings.adminToken().map(Secrets::digest);
    this.registry = registry;
    this.clock = clock;
  }

  /** Starts this node's copy of the registry: listening to its topic, and asking it regularly. */
  public static AuthService start(ActorSystem<?> system, AuthSettings settings) {
    AuthRegistry.init(system);
    EntityRef<AuthRegistry.Command> entity =
        ClusterSharding.get(system).entityRefFor(AuthRegistry.ENTITY_KEY, AuthRegistry.ENTITY_ID);
    AuthService service =
        new AuthService(
            settings,
            command ->
                StoreUnavailableException.unlessAnswered(
                    entity.ask(command::apply, settings.askTimeout()),
                    "The credentials registry did not answer"),
            System::currentTimeMillis);
    system.systemActorOf(service.follower(), "meridianAuthFollower", Props.empty());
    return service;
  }

  /** Keeps {@link #view} current: every published state, and the registry's answer regularly. */
  private Behavior<Object> follower() {
    record Refresh() {}
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<State>> topic =
              context.spawn(Topic.create(State.class, AuthRegistry.TOPIC), "topic");
          topic.tell(Topic.subscribe(context.getSelf().narrow()));
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(
                    new Refresh(), Duration.ZERO, settings.refreshInterval());
                return Behaviors.receive(Object.class)
                    .onMessage(
                        State.class,
                        state -> {
                          heard(state);
                          return Behaviors.same();
                        })
                    .onMessage(
                        Refresh.class,
                        refresh -> {
                          refresh();
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }

  /** Asks the registry for its state (creating the signing key on the cluster's first start). */
  CompletionStage<State> refresh() {
    return registry
        .apply(replyTo -> new AuthRegistry.Init(Secrets.randomBytes(32), replyTo))
        .thenApply(
            reply -> {
              heard(reply.state());
              return reply.state();
            });
  }

  /** Keeps {@code state} if it is newer than what this node has. */
  void heard(State state) {
    synchronized (this) {
      if (state.version() > view.state().version() || view.state().signingKey() == null) {
        view = new View(state);
      }
    }
    if (state.signingKey() != null) {
      ready.complete(null);
    }
  }

  public AuthSettings settings() {
    return settings;
  }

  /** Whether every request needs a credential. */
  public boolean enforced() {
    return settings.enforced();
  }

  /** Completes once this node knows the registry's state, so that it can verify credentials. */
  public CompletionStage<Void> ready() {
    return ready;
  }

  public boolean isReady() {
    return ready.isDone();
  }

  // ---- Verifying ---------------------------------------------------------------------------

  /** The principal of an API key or a configured secret ({@code X-TC-APP-KEY}, bearer). */
  public Optional<Principal> byKey(String secret) {
    // One SHA-256 per request serves both the admin token and the stored keys.
    String digest = Secrets.digest(secret);
    if (adminTokenDigest.isPresent() && Secrets.sameDigest(digest, adminTokenDigest.get())) {
      return Optional.of(
          new Principal(
              "admin-token", "config", Principal.ALL_PROJECTS, EnumSet.allOf(Scope.class)));
    }
    String project = settings.appKeys().get(secret);
    if (project != null) {
      return Optional.of(new Principal("appkey", "config", project, PROJECT_KEY_SCOPES));
    }
    StoredKey key = view.keysByDigest().get(digest);
    return key == null
        ? Optional.empty()
        : Optional.of(new Principal("key", key.id(), key.project(), key.scopes()));
  }

  /**
   * The principal of a bearer token: an access token this cluster issued, still valid, not revoked,
   * of a client that still exists at the generation it was issued under; else an API key.
   */
  public Optional<Principal> byBearer(String token) {
    if (!looksLikeJwt(token)) {
      return byKey(token);
    }
    return verified(token)
        .flatMap(
            claims -> {
              StoredClient client = view.state().clients().get(claims.getSubject());
              Object generation = claims.getClaim("gen");
              if (client == null
                  || !(generation instanceof Number number)
                  || number.intValue() != client.generation()
                  || view.state().revokedTokens().containsKey(claims.getJWTID())) {
                return Optional.empty();
              }
              return Optional.of(
                  new Principal("token", client.id(), client.project(), scopes(claims)));
            });
  }

  private static boolean looksLikeJwt(String token) {
    return token.chars().filter(c -> c == '.').count() == 2;
  }

  /** The claims of a token whose signature, issuer and expiry are right. */
  private Optional<JWTClaimsSet> verified(String token) {
    byte[] key = view.state().signingKey();
    if (key == null) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new MACVerifier(key))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expiry = claims.getExpirationTime();
      if (!ISSUER.equals(claims.getIssuer())
          || expiry == null
          || expiry.getTime() <= clock.getAsLong()
          || claims.getJWTID() == null
          || claims.getSubject() == null) {
        return Optional.empty();
      }
      return Optional.of(claims);
    } catch (ParseException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Set<Scope> scopes(JWTClaimsSet claims) {
    try {
      String scope = claims.getStringClaim("scope");
      return scope == null ? Set.of() : Scope.parse(scope);
    } catch (ParseException | IllegalArgumentException e) {
      return Set.of();
    }
  }

  // ---- OAuth 2 ------------------------------------------------------------------------------

  /** An access token issued: the JWT, when it expires, and its scopes. */
  public record AccessToken(String token, String tokenId, long expiresMs, Set<Scope> scopes) {}

  /** Why a token request is refused, as OAuth 2 names it (RFC 6749 section 5.2). */
  public static final class TokenRefusedException extends RuntimeException {
    private final String error;

    public TokenRefusedException(String error, String description) {
      super(description);
      this.error = error;
    }

    /** {@code invalid_client} or {@code invalid_scope}. */
    public String error() {
      return error;
    }
  }

  /**
   * Issues an access token to a client with its secret (the client-credentials grant), for the
   * {@code requested} scopes (all of the client's when empty).
   *
   * @throws TokenRefusedException {@code invalid_client} for an unknown client or a wrong secret,
   *     {@code invalid_scope} for a scope the client does not have
   */
  public AccessToken issue(String clientId, String secret, Set<Scope> requested) {
    StoredClient client = view.state().clients().get(clientId);
    if (!clientSecretMatches(clientId, secret)) {
      throw new TokenRefusedException("invalid_client", "Unknown client or wrong secret");
    }
    Set<Scope> scopes = requested.isEmpty() ? client.scopes() : requested;
    if (!client.scopes().containsAll(scopes)) {
      throw new TokenRefusedException(
          "invalid_scope",
          "The client may have " + Scope.format(client.scopes()) + ", not " + Scope.format(scopes));
    }
    byte[] key = view.state().signingKey();
    if (key == null) {
      throw new StoreUnavailableException(
          "The credentials registry has not answered yet", new IllegalStateException());
    }
    long now = clock.getAsLong();
    long expires = now + settings.tokenTtl().toMillis();
    String tokenId = Secrets.newId("tok_");
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(client.id())
            .jwtID(tokenId)
            .issueTime(new Date(now))
            .expirationTime(new Date(expires))
            .claim("project", client.project())
            .claim("scope", Scope.format(scopes))
            .claim("gen", client.generation())
            .build();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
      jwt.sign(new MACSigner(key));
      return new AccessToken(jwt.serialize(), tokenId, expires, scopes);
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not sign the token", e);
    }
  }

  /** A valid access token's id, client, project and expiry. */
  public record TokenInfo(String tokenId, String clientId, String project, long expiresMs) {}

  /**
   * What an access token this cluster issued says, if it is valid now (signed by the cluster, not
   * expired; it may be revoked already). Empty for anything else.
   */
  public Optional<TokenInfo> inspect(String token) {
    return (looksLikeJwt(token) ? verified(token) : Optional.<JWTClaimsSet>empty())
        .map(
            claims -> {
              Object project = claims.getClaim("project");
              return new TokenInfo(
                  claims.getJWTID(),
                  claims.getSubject(),
                  project == null ? "" : project.toString(),
                  claims.getExpirationTime().getTime());
            });
  }

  /** Whether {@code secret} is the secret of client {@code clientId}. */
  public boolean clientSecretMatches(String clientId, String secret) {
    StoredClient client = view.state().clients().get(clientId);
    return client != null && Secrets.matches(secret, client.secretDigest());
  }

  /** Revokes a token until it expires, on every node. */
  public CompletionStage<Void> revoke(TokenInfo token) {
    long now = clock.getAsLong();
    return change(
            replyTo -> new AuthRegistry.Revoke(token.tokenId(), token.expiresMs(), now, replyTo))
        .thenApply(reply -> null);
  }

  // ---- Administering ------------------------------------------------------------------------

  /** A credential as listed: never its secret. */
  public record Credential(
      String id,
      String project,
      Set<Scope> scopes,
      String description,
      long createdMs,
      long rotatedMs) {}

  /** A credential just created or rotated, with its secret, which is shown this once. */
  public record Issued(Credential credential, String secret) {}

  /** Creates an API key of {@code project} ({@link Principal#ALL_PROJECTS} for every one). */
  public CompletionStage<Issued> createKey(String project, Set<Scope> scopes, String description) {
    return addKey(project, scopes, description, false).thenApply(Optional::orElseThrow);
  }

  /**
   * Creates the first administrator key of the cluster, unless one exists (another node may have
   * created it at the same time): the key, or empty when one existed.
   */
  public CompletionStage<Optional<Issued>> createFirstAdminKey() {
    return addKey(Principal.ALL_PROJECTS, EnumSet.allOf(Scope.class), "first start", true);
  }

  private CompletionStage<Optional<Issued>> addKey(
      String project, Set<Scope> scopes, String description, boolean onlyIfNoAdmin) {
    String secret = Secrets.newSecret(KEY_PREFIX);
    long now = clock.getAsLong();
    StoredKey key =
        new StoredKey(
            Secrets.newId("key_"),
            Secrets.digest(secret),
            project,
            EnumSet.copyOf(scopes),
            description,
            now,
            now);
    return registry
        .apply(replyTo -> new AuthRegistry.AddKey(key, onlyIfNoAdmin, replyTo))
        .thenApply(
            reply -> {
              heard(reply.state());
              if (!reply.done()) {
                if (onlyIfNoAdmin) {
                  return Optional.empty();
                }
                throw new IllegalStateException(reply.refusal());
              }
              return Optional.of(new Issued(credential(key), secret));
            });
  }

  /** Gives a key a new secret; the old one stops working at once. Empty: no such key. */
  public CompletionStage<Optional<Issued>> rotateKey(String id) {
    String secret = Secrets.newSecret(KEY_PREFIX);
    long now = clock.getAsLong();
    return change(replyTo -> new AuthRegistry.RotateKey(id, Secrets.digest(secret), now, replyTo))
        .thenApply(
            reply ->
                reply.done()
                    ? Optional.of(new Issued(credential(reply.state().keys().get(id)), secret))
                    : Optional.empty());
  }

  /** Removes a key. False: no such key. */
  public CompletionStage<Boolean> deleteKey(String id) {
    return change(replyTo -> new AuthRegistry.RemoveKey(id, replyTo))
        .thenApply(AuthRegistry.Reply::done);
  }

  /** The keys of {@code project} (every key when empty), oldest first. */
  public List<Credential> keys(Optional<String> project) {
    return view.state().keys().values().stream()
        .filter(k -> project.isEmpty() || k.project().equals(project.get()))
        .map(AuthService::credential)
        .sorted(Comparator.comparingLong(Credential::createdMs).thenComparing(Credential::id))
        .toList();
  }

  public Optional<Credential> key(String id) {
    return Optional.ofNullable(view.state().keys().get(id)).map(AuthService::credential);
  }

  /** Creates an OAuth 2 client of {@code project} with the scopes its tokens may have. */
  public CompletionStage<Issued> createClient(
      String project, Set<Scope> scopes, String description) {
    String secret = Secrets.newSecret(SECRET_PREFIX);
    long now = clock.getAsLong();
    StoredClient client =
        new StoredClient(
            Secrets.newId(CLIENT_PREFIX),
            Secrets.digest(secret),
            project,
            EnumSet.copyOf(scopes),
            description,
            now,
            now,
            0);
    return change(replyTo -> new AuthRegistry.AddClient(client, replyTo))
        .thenApply(
            reply -> {
              if (!reply.done()) {
                throw new IllegalStateException(reply.refusal());
              }
              return new Issued(credential(client), secret);
            });
  }

  /** Gives a client a new secret and ends every token it was issued. Empty: no such client. */
  public CompletionStage<Optional<Issued>> rotateClient(String id) {
    String secret = Secrets.newSecret(SECRET_PREFIX);
    long now = clock.getAsLong();
    return change(
            replyTo -> new AuthRegistry.RotateClient(id, Secrets.digest(secret), now, replyTo))
        .thenApply(
            reply ->
                reply.done()
                    ? Optional.of(new Issued(credential(reply.state().clients().get(id)), secret))
                    : Optional.empty());
  }

  /** Removes a client, ending its tokens. False: no such client. */
  public CompletionStage<Boolean> deleteClient(String id) {
    return change(replyTo -> new AuthRegistry.RemoveClient(id, replyTo))
        .thenApply(AuthRegistry.Reply::done);
  }

  /** The clients of {@code project} (every client when empty), oldest first. */
  public List<Credential> clients(Optional<String> project) {
    return view.state().clients().values().stream()
        .filter(c -> project.isEmpty() || c.project().equals(project.get()))
        .map(AuthService::credential)
        .sorted(Comparator.comparingLong(Credential::createdMs).thenComparing(Credential::id))
        .toList();
  }

  public Optional<Credential> client(String id) {
    return Optional.ofNullable(view.state().clients().get(id)).map(AuthService::credential);
  }

  private CompletionStage<AuthRegistry.Reply> change(
      Function<ActorRef<AuthRegistry.Reply>, AuthRegistry.Command> command) {
    return registry
        .apply(command)
        .thenApply(
            reply -> {
              heard(reply.state());
              return reply;
            });
  }

  private static Credential credential(StoredKey key) {
    return new Credential(
        key.id(), key.project(), key.scopes(), key.description(), key.createdMs(), key.rotatedMs());
  }

  private static Credential credential(StoredClient client) {
    return new Credential(
        client.id(),
        client.project(),
        client.scopes(),
        client.description(),
        client.createdMs(),
        client.rotatedMs());
  }

  /** A state with its keys indexed by digest, for the lookup every request makes. */
  private record View(State state, Map<String, StoredKey> keysByDigest) {
    View(State state) {
      this(state, index(state));
    }

    private static Map<String, StoredKey> index(State state) {
      Map<String, StoredKey> byDigest = new HashMap<>();
      state.keys().values().forEach(k -> byDigest.put(k.digest(), k));
      return Map.copyOf(byDigest);
    }
  }
}
