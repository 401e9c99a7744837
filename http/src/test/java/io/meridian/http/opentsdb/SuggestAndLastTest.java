package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /api/suggest} and {@code /api/query/last} over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuggestAndLastTest {

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("SuggestAndLastTest", "");
    var put =
        node.send(
            "POST",
            "/api/put",
            "["
                + point("sys.cpu.user", 1700000000, "1", "web01", "lga")
                + ","
                + point("sys.cpu.user", 1700000060, "2.5", "web01", "lga")
                + ","
                + point("sys.cpu.user", 1700000030, "3", "web02", "sjc")
                + ","
                + point("sys.cpu.nice", 1700000000, "4", "web01", "lga")
                + ","
                + point("app.requests", 1700000000, "5", "db01", "lga")
                + "]");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static String point(String metric, long ts, String value, String host, String dc) {
    return String.format(
        "{\"metric\":\"%s\",\"timestamp\":%d,\"value\":%s,\"tags\":{\"host\":\"%s\",\"dc\":\"%s\"}}",
        metric, ts, value, host, dc);
  }

  private static JsonNode get(String path) {
    var response = node.send("GET", path, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  @Test
  void suggestCompletesMetricsTagKeysAndValuesByPrefix() {
    assertThat(get("/api/suggest?type=metrics&q=sys"))
        .extracting(JsonNode::asText)
        .containsExactly("sys.cpu.nice", "sys.cpu.user");
    assertThat(get("/api/suggest?type=metrics"))
        .extracting(JsonNode::asText)
        .containsExactly("app.requests", "sys.cpu.nice", "sys.cpu.user");
    assertThat(get("/api/suggest?type=tagk"))
        .extracting(JsonNode::asText)
        .containsExactly("dc", "host");
    assertThat(get("/api/suggest?type=tagv&q=web&max=1"))
        .extracting(JsonNode::asText)
        .containsExactly("web01");
    var post = node.send("POST", "/api/suggest", "{\"type\":\"tagv\",\"q\":\"s\"}");
    assertThat(json(post)).extracting(JsonNode::asText).containsExactly("sjc");
  }

  @Test
  void suggestRejectsAMissingOrUnknownType() {
    var missing = node.send("GET", "/api/suggest?q=sys", null);
    var unknown = node.send("GET", "/api/suggest?type=hosts", null);
    var badMax = node.send("GET", "/api/suggest?type=metrics&max=many", null);

    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(json(missing).get("error").get("message").asText())
        .isEqualTo("Missing 'type' parameter");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("error").get("message").asText()).contains("hosts");
    assertThat(badMax.statusCode()).isEqualTo(400);
  }

  @Test
  void lastReturnsTheNewestPointOfEachMatchingSeries() {
    JsonNode all = get("/api/query/last?timeseries=sys.cpu.user");
    JsonNode one = get("/api/query/last?timeseries=sys.cpu.user%7Bhost=web01%7D");

    assertThat(all).hasSize(2);
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("metric").asText()).isEqualTo("sys.cpu.user");
    assertThat(one.get(0).get("timestamp").asLong()).isEqualTo(1700000060000L);
    assertThat(one.get(0).get("value").asText()).isEqualTo("2.5");
    assertThat(one.get(0).get("tags").get("host").asText()).isEqualTo("web01");

    var post =
        node.send(
            "POST",
            "/api/query/last",
            "{\"queries\":[{\"metric\":\"sys.cpu.user\",\"tags\":{\"dc\":\"sjc\"}},"
                + "{\"metric\":\"app.requests\",\"tags\":{}}]}");
    assertThat(json(post))
        .extracting(point -> point.get("metric").asText() + "=" + point.get("value").asText())
        .containsExactly("sys.cpu.user=3", "app.requests=5");
  }

  @Test
  void lastWithBackScanLeavesOutOldPointsAndRequiresASelector() {
    assertThat(get("/api/query/last?timeseries=sys.cpu.user&back_scan=1")).isEmpty();

    var none = node.send("GET", "/api/query/last", null);
    assertThat(none.statusCode()).isEqualTo(400);
  }

  @Test
  void lastByTsuidAnswersExactlyThatSeriesWithItsTsuid() {
    JsonNode shown =
        get(
            "/api/query?start=1699999000&end=1700001000&show_tsuids"
                + "&m=sum:sys.cpu.user%7Bhost=web02%7D");
    String tsuid = shown.get(0).get("tsuids").get(0).asText();

    JsonNode last = get("/api/query/last?tsuids=" + tsuid);
    var post =
        node.send("POST", "/api/query/last", "{\"queries\":[{\"tsuids\":[\"" + tsuid + "\"]}]}");
    var unknown = node.send("GET", "/api/query/last?tsuids=000FFF000FFF000FFF", null);

    assertThat(last).hasSize(1);
    assertThat(last.get(0).get("tsuid").asText()).isEqualTo(tsuid);
    assertThat(last.get(0).get("tags").get("host").asText()).isEqualTo("web02");
    assertThat(last.get(0).get("value").asText()).isEqualTo("3");
    assertThat(json(post)).isEqualTo(last);
    assertThat(unknown.statusCode()).isEqualTo(400);
  }
}
