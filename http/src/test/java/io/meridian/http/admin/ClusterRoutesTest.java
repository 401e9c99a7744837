package io.meridian.http.admin;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native cluster API shows members with their shards, and lets an administrator act. */
class ClusterRoutesTest {

  private static final String TOKEN = "cluster-routes-admin-token-0123456789-abcdef";
  private static InMemoryNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InMemoryNode.enforcing("ClusterRoutesTest", TOKEN, "");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static HttpResponse<String> send(
      InMemoryNode target, String method, String path, String body, String token) {
    return target.send(method, path, body, "Authorization", "Bearer " + token);
  }

  private static String encoded(String address) {
    return URLEncoder.encode(address, StandardCharsets.UTF_8);
  }

  @Test
  void membersListTheNodeUpWithTheShardsItHosts() {
    HttpResponse<String> put =
        send(
            node,
            "POST",
            "/api/put",
            InMemoryNode.point("cluster.routes", 1_700_000_000L, "1"),
            TOKEN);
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);

    HttpResponse<String> response = send(node, "GET", "/v1/cluster/members", null, TOKEN);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/vnd.meridian.members");
    JsonNode body = json(response);
    String self = node.node().system().address().toString();
    assertThat(body.get("self").asText()).isEqualTo(self);
    assertThat(body.get("leader").asText()).isEqualTo(self);
    assertThat(body.get("members")).hasSize(1);
    JsonNode member = body.get("members").get(0);
    assertThat(member.get("address").asText()).isEqualTo(self);
    assertThat(member.get("status").asText()).isEqualTo("Up");
    assertThat(member.get("reachable").asBoolean()).isTrue();
    assertThat(member.get("self").asBoolean()).isTrue();
    assertThat(member.get("shards").get("SeriesGroup").asInt()).isPositive();
    assertThat(member.get("entities").get("SeriesGroup").asInt()).isPositive();
    assertThat(body.get("unreachable")).isEmpty();
  }

  @Test
  void theSameAnswerIsServedWithoutTheVersionPrefix() {
    assertThat(send(node, "GET", "/cluster/members", null, TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void aProjectAdministratorIsRefused() {
    HttpResponse<String> created =
        send(
            node,
            "POST",
            "/v1/keys",
            "{\"project\":\"team-a\",\"scopes\":[\"read\",\"write\",\"admin\"]}",
            TOKEN);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String key = json(created).get("key").asText();

    HttpResponse<String> response = send(node, "GET", "/v1/cluster/members", null, key);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
    assertThat(json(response).get("error").get("message").asText())
        .contains("cluster administrator");
  }

  @Test
  void aRequestWithoutCredentialsIsUnauthorized() {
    assertThat(node.send("GET", "/v1/cluster/members", null).statusCode()).isEqualTo(401);
  }

  @Test
  void badOperationsAndAddressesAreRefusedWithAClearError() {
    String self = encoded(node.node().system().address().toString());

    HttpResponse<String> unknownOperation =
        send(node, "PUT", "/v1/cluster/members/" + self, "{\"operation\":\"join\"}", TOKEN);
    HttpResponse<String> noOperation =
        send(node, "PUT", "/v1/cluster/members/" + self, "{}", TOKEN);
    HttpResponse<String> notJson = send(node, "PUT", "/v1/cluster/members/" + self, "leave", TOKEN);
    HttpResponse<String> badAddress =
        send(node, "PUT", "/v1/cluster/members/nowhere", "{\"operation\":\"down\"}", TOKEN);
    HttpResponse<String> stranger =
        send(
            node,
            "PUT",
            "/v1/cluster/members/" + encoded("pekko://meridian@10.9.9.9:25520"),
            "{\"operation\":\"down\"}",
            TOKEN);

    assertThat(unknownOperation.statusCode()).isEqualTo(400);
    assertThat(json(unknownOperation).get("error").get("message").asText()).contains("join");
    assertThat(noOperation.statusCode()).isEqualTo(400);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(badAddress.statusCode()).isEqualTo(400);
    assertThat(json(badAddress).get("error").get("message").asText()).contains("member address");
    assertThat(stranger.statusCode()).isEqualTo(404);
    assertThat(json(stranger).get("error").get("message").asText()).contains("10.9.9.9");
    assertThat(json(stranger).get("error").has("tag")).isTrue();
    assertThat(send(node, "GET", "/v1/cluster/members", null, TOKEN).statusCode()).isEqualTo(200);
  }

  @Test
  void aMemberAskedToLeaveLeavesAndItsNodeStops() throws Exception {
    try (InMemoryNode leaving = InMemoryNode.enforcing("ClusterRoutesLeaveTest", TOKEN, "")) {
      String address = leaving.node().system().address().toString();

      HttpResponse<String> response =
          send(
              leaving,
              "PUT",
              "/v1/cluster/members/" + encoded(address),
              "{\"operation\":\"leave\"}",
              TOKEN);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(json(response).get("message").asText()).isEqualTo("Leaving " + address);
      leaving.node().system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }
}
