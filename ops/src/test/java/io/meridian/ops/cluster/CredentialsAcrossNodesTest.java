package io.meridian.ops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Credentials are the cluster's, not a node's: a key created through one node works on every other,
 * a token one node issued is accepted by the others (the signing key is in Cassandra), and deleting
 * a key or rotating a client through one node ends it on all of them.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialsAcrossNodesTest {

  private static final String ADMIN_TOKEN = "across-nodes-admin-token-0123456789-abcdef";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private LocalCluster cluster;
  private Http first;
  private Http second;

  @BeforeAll
  void startCluster(CassandraServer cassandra) throws Exception {
    String contactPoint =
        cassandra.contactPoint().getHostString() + ":" + cassandra.contactPoint().getPort();
    cluster =
        new LocalCluster(
            LocalCluster.Options.onFreePorts(
                    CassandraExtension.freshDirectory("credentials"), contactPoint, "credentials")
                .withSystemProperties(
                    Map.of(
                        "meridian.auth.mode",
                        "enforced",
                        "meridian.auth.admin-token",
                        ADMIN_TOKEN)));
    cluster.start(2);
    first = new Http(cluster.nodes().get(0).url());
    second = new Http(cluster.nodes().get(1).url());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void awaitStatus(Http node, String path, int status) {
    Await.until(
        path + " answering " + status,
        WAIT,
        () -> node.get(path).status() == status,
        () -> node.get(path).status() + " " + node.get(path).body());
  }

  @Test
  void aKeyMadeOnOneNodeWorksOnTheOtherUntilDeletedThere() {
    Http admin = first.withBearer(ADMIN_TOKEN);
    awaitStatus(admin, "/info", 200);
    Http.Response created =
        admin.post("/keys", "{\"project\":\"across\",\"scopes\":[\"read\",\"write\"]}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = created.json().get("key").asText();
    String id = created.json().get("id").asText();

    awaitStatus(second.withBearer(key), "/api/version", 200);
    assertThat(second.withBearer(ADMIN_TOKEN).delete("/keys/" + id).status()).isEqualTo(204);
    awaitStatus(first.withBearer(key), "/api/version", 401);
  }

  @Test
  void aTokenIssuedByOneNodeIsAcceptedByTheOtherUntilItsClientIsRotated() {
    Http admin = first.withBearer(ADMIN_TOKEN);
    awaitStatus(admin, "/info", 200);
    Http.Response client = admin.post("/clients", "{\"project\":\"across\",\"scopes\":[\"read\"]}");
    assertThat(client.status()).as(client.body()).isEqualTo(201);
    String id = client.json().get("client_id").asText();
    String secret = client.json().get("client_secret").asText();

    Await.until(
        "the client known on the second node",
        WAIT,
        () -> token(second, id, secret) != null,
        () -> "no token");
    String token = token(second, id, secret);
    awaitStatus(first.withBearer(token), "/api/version", 200);

    assertThat(second.withBearer(ADMIN_TOKEN).post("/clients/" + id + "/rotate", "").status())
        .isEqualTo(200);
    awaitStatus(first.withBearer(token), "/api/version", 401);
  }

  /** An access token from {@code node}'s token endpoint, or null if it refuses. */
  private static String token(Http node, String clientId, String secret) {
    Http.Response issued =
        node.post(
            "/v1/oauth2/token",
            "{\"grant_type\":\"client_credentials\",\"client_id\":\""
                + clientId
                + "\",\"client_secret\":\""
                + secret
                + "\"}");
    return issued.status() == 200 ? issued.json().get("access_token").asText() : null;
  }
}
