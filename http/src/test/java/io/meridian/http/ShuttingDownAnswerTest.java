package io.meridian.http;

import static io.meridian.http.testing.ErrorBodies.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.opentsdb.OpenTsdbRoutes;
import io.meridian.http.testing.InMemoryNode;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * While the server terminates, a request on a connection still open is answered in its API's error
 * format with Retry-After, pointing the client at another node, and counted as shed.
 */
class ShuttingDownAnswerTest {

  private static InMemoryNode node;
  private static OverloadGuard guard;

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("ShuttingDownAnswerTest", "meridian.http.retry-after = 4s\n");
    HttpSettings settings = HttpSettings.fromConfig(node.node().system().settings().config());
    ApiFamilies families =
        new ApiFamilies(
            List.of(new OpenTsdbRoutes(node.node(), settings).family()), settings.retryAfter());
    guard =
        new OverloadGuard(
            settings.overload(),
            families,
            MemberStatus::up,
            ApiStats.get(node.node().system()),
            node.node().system());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anOpenTsdbRequestGetsTheErrorObject() throws Exception {
    HttpResponse response = guard.shuttingDown(HttpRequest.POST("/api/put"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("4");
    assertThat(error(response).get("code").asInt()).isEqualTo(503);
    assertThat(error(response).get("message").asText())
        .isEqualTo("Node is shutting down: retry on another node");
    assertThat(
            ApiStats.get(node.node().system()).snapshot().stream()
                .filter(
                    s ->
                        s.metric().equals("tsd.http.rejected")
                            && s.tags().equals(Map.of("reason", "shutdown")))
                .mapToLong(ApiStats.Stat::value)
                .sum())
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRequestOfNoApiFamilyGetsThePlainJsonError() throws Exception {
    HttpResponse response = guard.shuttingDown(HttpRequest.GET("/metrics"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(response.getHeader("Retry-After").map(h -> h.value())).hasValue("4");
    assertThat(error(response).get("code").asInt()).isEqualTo(503);
    assertThat(error(response).get("message").asText())
        .isEqualTo("Node is shutting down: retry on another node");
  }
}
