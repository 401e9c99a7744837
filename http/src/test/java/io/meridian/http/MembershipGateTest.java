package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.cluster.MemberStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that is not an Up member of its cluster turns every HTTP request away with its API's 503
 * and Retry-After, so clients retry on another node; the telnet-style protocol is not gated.
 */
class MembershipGateTest {

  private static final AtomicReference<MemberStatus> STATUS =
      new AtomicReference<>(MemberStatus.up());
  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start("MembershipGateTest", "meridian.http.retry-after = 3s\n", STATUS::get);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void up() {
    STATUS.set(MemberStatus.up());
  }

  @Test
  void aJoiningNodeAnswersOpenTsdbRequestsWithTheErrorObjectAndStoresNothing() {
    STATUS.set(MemberStatus.joining());

    HttpResponse<String> put = node.send("POST", "/api/put", point("gated.a", 1700000000, "1"));

    assertThat(put.statusCode()).isEqualTo(503);
    assertThat(put.headers().firstValue("Retry-After")).hasValue("3");
    JsonNode error = json(put).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(503);
    assertThat(error.get("message").asText())
        .isEqualTo("Node is joining/leaving the cluster: retry on another node");
    assertThat(error.get("details").asText()).contains("Joining");

    STATUS.set(MemberStatus.up());
    assertThat(
            node.send("GET", "/api/query?start=1699999000&end=1700001000&m=sum:gated.a", null)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void everyStatusButUpIsGated() {
    for (MemberStatus status :
        new MemberStatus[] {
          MemberStatus.weaklyUp(),
          MemberStatus.leaving(),
          MemberStatus.exiting(),
          MemberStatus.down(),
          MemberStatus.removed()
        }) {
      STATUS.set(status);
      HttpResponse<String> response = node.send("GET", "/api/version", null);
      assertThat(response.statusCode()).as(status.toString()).isEqualTo(503);
      assertThat(json(response).get("error").get("details").asText()).contains(status.toString());
    }
    assertThat(rejectedForMembership()).isGreaterThanOrEqualTo(5);

    STATUS.set(MemberStatus.up());
    assertThat(node.send("GET", "/api/version", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aPathOfNoApiFamilyGetsAPlainJsonError() {
    STATUS.set(MemberStatus.leaving());

    HttpResponse<String> response = node.send("GET", "/no/such/api", null);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(503);
    assertThat(error.get("message").asText())
        .isEqualTo("Node is joining/leaving the cluster: retry on another node");
  }

  @Test
  void theLineProtocolIsNotGated() {
    STATUS.set(MemberStatus.leaving());

    try (LineClient telnet = new LineClient(node.hostAndPort())) {
      telnet.send("version\n");
      assertThat(telnet.readLine()).startsWith("meridian ");
    }
  }

  private static long rejectedForMembership() {
    return ApiStats.get(node.node().system()).snapshot().stream()
        .filter(
            s ->
                s.metric().equals("tsd.http.rejected")
                    && s.tags().equals(Map.of("reason", "membership")))
        .mapToLong(ApiStats.Stat::value)
        .sum();
  }
}
