package io.meridian.node.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials as the registry keeps them and a node verifies them: keys, clients and their access
 * tokens, expiry, revocation and rotation, on the registry entity with an in-memory journal.
 */
class AuthServiceTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));

  private static final String ADMIN_TOKEN = "configured-admin-token-0123456789abcdef";

  private final EventSourcedBehaviorTestKit<
          AuthRegistry.Command, AuthRegistry.Event, AuthRegistry.State>
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), AuthRegistry.create());

  private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
  private AuthService auth;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void start() throws Exception {
    kit.clear();
    auth = service(kit);
    auth.refresh().toCompletableFuture().get();
  }

  private AuthService service(
      EventSourcedBehaviorTestKit<AuthRegistry.Command, AuthRegistry.Event, AuthRegistry.State>
          registry) {
    return new AuthService(
        new AuthSettings(
            true,
            Optional.of(ADMIN_TOKEN),
            Map.of("static-appkey", "project-s"),
            Duration.ofHours(1),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5)),
        command ->
            CompletableFuture.completedFuture(
                registry.<AuthRegistry.Reply>runCommand(command::apply).reply()),
        now::get);
  }

  @Test
  void theFirstRefreshCreatesTheSigningKeyOnceAndTheNodeIsReady() throws Exception {
    byte[] key = kit.getState().signingKey();

    auth.refresh().toCompletableFuture().get();

    assertThat(key).hasSize(32);
    assertThat(kit.getState().signingKey()).isEqualTo(key);
    assertThat(auth.isReady()).isTrue();
  }

  @Test
  void aKeyIsFoundByItsSecretOnlyAndItsSecretIsNotStored() throws Exception {
    AuthService.Issued issued =
        auth.createKey("project-a", EnumSet.of(Scope.READ), "dashboards")
            .toCompletableFuture()
            .get();

    assertThat(issued.secret()).startsWith("mk_").hasSize(46);
    assertThat(auth.byKey(issued.secret()))
        .hasValueSatisfying(
            p -> {
              assertThat(p.project()).isEqualTo("project-a");
              assertThat(p.scopes()).containsExactly(Scope.READ);
              assertThat(p.id()).isEqualTo(issued.credential().id());
            });
    assertThat(auth.byKey(issued.secret() + "x")).isEmpty();
    assertThat(auth.byBearer(issued.secret())).isPresent();
    assertThat(kit.getState().toString()).doesNotContain(issued.secret());
    assertThat(auth.keys(Optional.of("project-a")))
        .extracting(AuthService.Credential::description)
        .containsExactly("dashboards");
    assertThat(auth.keys(Optional.of("project-b"))).isEmpty();
  }

  @Test
  void configuredCredentialsNeedNoRegistry() {
    assertThat(auth.byKey(ADMIN_TOKEN))
        .hasValueSatisfying(
            p -> {
              assertThat(p.allProjects()).isTrue();
              assertThat(p.scopes()).containsExactlyInAnyOrder(Scope.values());
            });
    assertThat(auth.byBearer(ADMIN_TOKEN)).isPresent();
    assertThat(auth.byKey("static-appkey"))
        .hasValueSatisfying(p -> assertThat(p.project()).isEqualTo("project-s"));
  }

  @Test
  void rotatingAKeyEndsTheOldSecretAndDeletingItEndsTheKey() throws Exception {
    AuthService.Issued issued =
        auth.createKey("p", EnumSet.of(Scope.WRITE), "").toCompletableFuture().get();
    String id = issued.credential().id();

    AuthService.Issued rotated = auth.rotateKey(id).toCompletableFuture().get().orElseThrow();

    assertThat(rotated.credential().id()).isEqualTo(id);
    assertThat(auth.byKey(issued.secret())).isEmpty();
    assertThat(auth.byKey(rotated.secret())).isPresent();
    assertThat(auth.deleteKey(id).toCompletableFuture().get()).isTrue();
    assertThat(auth.byKey(rotated.secret())).isEmpty();
    assertThat(auth.deleteKey(id).toCompletableFuture().get()).isFalse();
    assertThat(auth.rotateKey(id).toCompletableFuture().get()).isEmpty();
  }

  @Test
  void theFirstAdministratorKeyIsCreatedOnlyOnce() throws Exception {
    Optional<AuthService.Issued> first = auth.createFirstAdminKey().toCompletableFuture().get();
    Optional<AuthService.Issued> second = auth.createFirstAdminKey().toCompletableFuture().get();

    assertThat(first).isPresent();
    assertThat(second).isEmpty();
    assertThat(auth.byKey(first.get().secret()))
        .hasValueSatisfying(p -> assertThat(p.has(Scope.ADMIN) && p.allProjects()).isTrue());
  }

  @Test
  void aClientGetsTokensForItsScopesThatExpire() throws Exception {
    AuthService.Issued client =
        auth.createClient("project-a", EnumSet.of(Scope.READ, Scope.WRITE), "collector")
            .toCompletableFuture()
            .get();
    String id = client.credential().id();

    AuthService.AccessToken token = auth.issue(id, client.secret(), Set.of(Scope.READ));

    assertThat(token.expiresMs()).isEqualTo(now.get() + Duration.ofHours(1).toMillis());
    assertThat(auth.byBearer(token.token()))
        .hasValueSatisfying(
            p -> {
              assertThat(p.kind()).isEqualTo("token");
              assertThat(p.project()).isEqualTo("project-a");
              assertThat(p.scopes()).containsExactly(Scope.READ);
            });
    assertThat(auth.byBearer(auth.issue(id, client.secret(), Set.of()).token()))
        .hasValueSatisfying(p -> assertThat(p.scopes()).contains(Scope.READ, Scope.WRITE));

    now.addAndGet(Duration.ofHours(1).toMillis() - 1);
    assertThat(auth.byBearer(token.token())).isPresent();
    now.addAndGet(1);
    assertThat(auth.byBearer(token.token())).isEmpty();
  }

  @Test
  void wrongSecretsAndScopesAreRefusedAsOAuthNamesThem() throws Exception {
    AuthService.Issued client =
        auth.createClient("p", EnumSet.of(Scope.READ), "").toCompletableFuture().get();
    String id = client.credential().id();

    assertThatThrownBy(() -> auth.issue(id, "wrong", Set.of()))
        .isInstanceOfSatisfying(
            AuthService.TokenRefusedException.class,
            e -> assertThat(e.error()).isEqualTo("invalid_client"));
    assertThatThrownBy(() -> auth.issue("mc_unknown", client.secret(), Set.of()))
        .isInstanceOfSatisfying(
            AuthService.TokenRefusedException.class,
            e -> assertThat(e.error()).isEqualTo("invalid_client"));
    assertThatThrownBy(() -> auth.issue(id, client.secret(), Set.of(Scope.WRITE)))
        .isInstanceOfSatisfying(
            AuthService.TokenRefusedException.class,
            e -> assertThat(e.error()).isEqualTo("invalid_scope"));
  }

  @Test
  void aRevokedTokenIsRefusedUntilItExpiresAndThenForgotten() throws Exception {
    AuthService.Issued client =
        auth.createClient("p", EnumSet.of(Scope.READ), "").toCompletableFuture().get();
    AuthService.AccessToken revoked =
        auth.issue(client.credential().id(), client.secret(), Set.of());
    AuthService.AccessToken other = auth.issue(client.credential().id(), client.secret(), Set.of());

    auth.revoke(auth.inspect(revoked.token()).orElseThrow()).toCompletableFuture().get();

    assertThat(auth.byBearer(revoked.token())).isEmpty();
    assertThat(auth.byBearer(other.token())).isPresent();
    assertThat(kit.getState().revokedTokens()).containsKey(revoked.tokenId());

    // A later revocation, after the first token's expiry, forgets it.
    now.addAndGet(Duration.ofHours(2).toMillis());
    AuthService.AccessToken late = auth.issue(client.credential().id(), client.secret(), Set.of());
    auth.revoke(auth.inspect(late.token()).orElseThrow()).toCompletableFuture().get();
    assertThat(kit.getState().revokedTokens()).containsOnlyKeys(late.tokenId());
  }

  @Test
  void rotatingOrDeletingAClientEndsItsTokens() throws Exception {
    AuthService.Issued client =
        auth.createClient("p", EnumSet.of(Scope.READ), "").toCompletableFuture().get();
    String id = client.credential().id();
    AuthService.AccessToken before = auth.issue(id, client.secret(), Set.of());

    AuthService.Issued rotated = auth.rotateClient(id).toCompletableFuture().get().orElseThrow();

    assertThat(auth.byBearer(before.token())).isEmpty();
    assertThatThrownBy(() -> auth.issue(id, client.secret(), Set.of()))
        .isInstanceOf(AuthService.TokenRefusedException.class);
    AuthService.AccessToken after = auth.issue(id, rotated.secret(), Set.of());
    assertThat(auth.byBearer(after.token())).isPresent();

    assertThat(auth.deleteClient(id).toCompletableFuture().get()).isTrue();
    assertThat(auth.byBearer(after.token())).isEmpty();
  }

  @Test
  void tokensOfAnotherClusterOrTamperedWithAreRefused() throws Exception {
    AuthService.Issued client =
        auth.createClient("p", EnumSet.of(Scope.READ), "").toCompletableFuture().get();
    AuthService.AccessToken token = auth.issue(client.credential().id(), client.secret(), Set.of());
    String[] parts = token.token().split("\\.");

    String otherPayload =
        parts[0]
            + "."
            + java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                    ("{\"iss\":\"meridian\",\"sub\":\""
                            + client.credential().id()
                            + "\",\"project\":\"other\",\"scope\":\"admin\",\"gen\":0,"
                            + "\"jti\":\"x\",\"exp\":9999999999}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "."
            + parts[2];
    assertThat(auth.byBearer(otherPayload)).isEmpty();

    EventSourcedBehaviorTestKit<AuthRegistry.Command, AuthRegistry.Event, AuthRegistry.State>
        otherCluster = EventSourcedBehaviorTestKit.create(testKit.system(), AuthRegistry.create());
    AuthService other = service(otherCluster);
    other.refresh().toCompletableFuture().get();
    assertThat(other.byBearer(token.token())).isEmpty();
    assertThat(auth.byBearer("not.a.token")).isEmpty();
  }

  @Test
  void anOlderStateHeardLaterIsIgnored() throws Exception {
    AuthRegistry.State old = kit.getState();
    AuthService.Issued issued =
        auth.createKey("p", EnumSet.of(Scope.READ), "").toCompletableFuture().get();

    auth.heard(old);

    assertThat(auth.byKey(issued.secret())).isPresent();
  }
}
