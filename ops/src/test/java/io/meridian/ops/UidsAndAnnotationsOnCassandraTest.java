package io.meridian.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OpenTSDB UIDs, UID meta data and annotations end to end on a real Cassandra: what the UID
 * registry and the annotation store persisted is there again after the node restarts.
 */
@ExtendWith(CassandraExtension.class)
class UidsAndAnnotationsOnCassandraTest {

  private static final String QUERY =
      "/api/query?start=1699999000&end=1700001000&show_tsuids&global_annotations&m=none:kept";

  private final CassandraServer cassandra = CassandraExtension.server();
  private final String keyspace = "it_" + UUID.randomUUID().toString().replace("-", "");
  private TestNode node;
  private Http http;

  @BeforeEach
  void startNode() {
    node = TestNode.start(cassandra, keyspace);
    http = new Http(node.url());
  }

  @AfterEach
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private void restartNode() {
    node.close();
    node = null;
    node = TestNode.start(cassandra, keyspace);
    http = new Http(node.url());
  }

  private Http.Response ok(Http.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response;
  }

  private String assign(String metric) {
    return ok(http.get("/api/uid/assign?metric=" + metric))
        .json()
        .get("metric")
        .get(metric)
        .asText();
  }

  @Test
  void uidsMetaDataAndAnnotationsSurviveANodeRestart() {
    var put =
        http.post(
            "/api/put",
            "[{\"metric\":\"kept\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}},"
                + "{\"metric\":\"kept\",\"timestamp\":1700000000,\"value\":2,\"tags\":{\"host\":\"b\"}}]");
    assertThat(put.status()).as(put.body()).isEqualTo(204);
    JsonNode before = ok(http.get(QUERY)).json();
    String tsuidA = before.get(0).get("tsuids").get(0).asText();
    String metricUid = tsuidA.substring(0, 6);
    ok(
        http.post(
            "/api/uid/uidmeta",
            "{\"uid\":\"" + metricUid + "\",\"type\":\"metric\",\"description\":\"kept metric\"}"));
    ok(
        http.post(
            "/api/annotation",
            "{\"startTime\":1700000010,\"tsuid\":\""
                + tsuidA
                + "\",\"description\":\"deploy\",\"custom\":{\"by\":\"ci\"}}"));
    ok(
        http.post(
            "/api/annotation/bulk",
            "[{\"startTime\":1700000020,\"description\":\"maintenance\"},"
                + "{\"startTime\":1700000030,\"tsuid\":\""
                + tsuidA
                + "\",\"notes\":\"to delete\"}]"));
    var deleted =
        http.get(
            "/api/annotation?start_time=1700000030&tsuid=" + tsuidA + "&method_override=delete");
    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    String assignedBefore = assign("other.before");

    restartNode();

    JsonNode after = ok(http.get(QUERY)).json();
    assertThat(after.get(0).get("tsuids").get(0).asText()).isEqualTo(tsuidA);
    assertThat(after.get(1).get("tsuids")).isEqualTo(before.get(1).get("tsuids"));
    JsonNode annotations = after.get(0).get("annotations");
    assertThat(annotations).hasSize(1);
    assertThat(annotations.get(0).get("description").asText()).isEqualTo("deploy");
    assertThat(annotations.get(0).get("custom").get("by").asText()).isEqualTo("ci");
    assertThat(after.get(1).has("annotations")).isFalse();
    assertThat(after.get(1).get("globalAnnotations").get(0).get("description").asText())
        .isEqualTo("maintenance");
    JsonNode meta = ok(http.get("/api/uid/uidmeta?uid=" + metricUid + "&type=metric")).json();
    assertThat(meta.get("name").asText()).isEqualTo("kept");
    assertThat(meta.get("description").asText()).isEqualTo("kept metric");
    String assignedAfter = assign("other.after");
    assertThat(Integer.parseInt(assignedAfter, 16))
        .isEqualTo(Integer.parseInt(assignedBefore, 16) + 1);
    var lookup = ok(http.get("/api/search/lookup?m=kept%7Bhost=a%7D")).json();
    assertThat(lookup.get("results").get(0).get("tsuid").asText()).isEqualTo(tsuidA);
  }
}
