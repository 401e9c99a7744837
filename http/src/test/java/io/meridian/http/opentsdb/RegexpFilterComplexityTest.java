package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A {@code regexp} tag filter that backtracks catastrophically against a stored tag value is
 * stopped by its step budget in the series groups and answered with OpenTSDB's 400 error object;
 * the node keeps serving. Without the budget these requests would not finish within the test's
 * lifetime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegexpFilterComplexityTest {

  /** {@code regexp(((a+)+)+b)}, with {@code +} and the braces escaped for the query string. */
  private static final String HOSTILE_FILTER = "regexp(((a%2B)%2B)%2Bb)";

  private InMemoryNode node;
  private long now;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("RegexpFilterComplexityTest", "");
    now = System.currentTimeMillis() / 1000;
    var put =
        node.send(
            "POST",
            "/api/put",
            "[{\"metric\":\"re.m\",\"timestamp\":"
                + now
                + ",\"value\":1,\"tags\":{\"lbl\":\""
                + "a".repeat(40)
                + "-\"}},"
                + "{\"metric\":\"re.m\",\"timestamp\":"
                + now
                + ",\"value\":2,\"tags\":{\"lbl\":\"ok\"}}]");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static void assertBadRequest(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(400);
    assertThat(error.get("message").asText()).contains("((a+)+)+b").contains("too complex");
  }

  @Test
  void aRegexpFilterTooComplexIs400AndTheNodeKeepsServing() {
    assertBadRequest(
        node.send(
            "GET", "/api/query?start=1h-ago&m=sum:re.m%7Blbl=" + HOSTILE_FILTER + "%7D", null));
    assertBadRequest(
        node.send(
            "POST",
            "/api/query",
            "{\"start\":\"1h-ago\",\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"re.m\","
                + "\"filters\":[{\"type\":\"regexp\",\"tagk\":\"lbl\",\"filter\":\"((a+)+)+b\","
                + "\"groupBy\":false}]}]}"));

    var normal = node.send("GET", "/api/query?start=1h-ago&m=sum:re.m%7Blbl=regexp(o.*)%7D", null);
    assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
    JsonNode results = json(normal);
    assertThat(results).hasSize(1);
    assertThat(results.get(0).get("tags").get("lbl").asText()).isEqualTo("ok");
  }

  @Test
  void aLastQueryWithARegexpFilterTooComplexIs400() {
    assertBadRequest(
        node.send("GET", "/api/query/last?timeseries=re.m%7Blbl=" + HOSTILE_FILTER + "%7D", null));

    var normal = node.send("GET", "/api/query/last?timeseries=re.m%7Blbl=ok%7D", null);
    assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
    assertThat(json(normal)).hasSize(1);
  }

  @Test
  void aRegexpLongerThanTheLimitIs400() {
    var response =
        node.send(
            "POST",
            "/api/query",
            "{\"start\":\"1h-ago\",\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"re.m\","
                + "\"filters\":[{\"type\":\"regexp\",\"tagk\":\"lbl\",\"filter\":\""
                + "a".repeat(5000)
                + "\"}]}]}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).get("error").get("message").asText())
        .contains("longer than the limit of 4096");
  }
}
