package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.protocol.SeriesKey;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTSDB put and query routes over real HTTP on a one-node cluster with the in-memory
 * journal, which lets the tests make journal writes fail.
 */
class OpenTsdbRoutesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "OpenTsdbRoutesTest",
            "meridian.series.ask-timeout = 1s\nmeridian.http.retry-after = 7s\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void resetJournal() {
    node.journal().resetPolicy();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    return node.send(method, path, body);
  }

  @Test
  void putAnswers204AndTheQueryFormsAgree() {
    var put =
        send(
            "POST",
            "/api/put",
            "[" + point("r.a", 1700000000, "1") + "," + point("r.a", 1700000060, "2.5") + "]");
    assertThat(put.statusCode()).isEqualTo(204);
    assertThat(put.body()).isEmpty();

    var get = json(send("GET", "/api/query?start=1700000000&end=1700000100&m=sum:r.a", null));
    var post =
        json(
            send(
                "POST",
                "/api/query",
                "{\"start\":1700000000,\"end\":1700000100,"
                    + "\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"r.a\"}]}"));

    assertThat(get).isEqualTo(post);
    assertThat(get.get(0).get("dps").get("1700000000").asLong()).isEqualTo(1);
    assertThat(get.get(0).get("dps").get("1700000060").asDouble()).isEqualTo(2.5);
  }

  @Test
  void summaryAndDetailsReportSuccessAndFailureCounts() throws Exception {
    var summary = send("POST", "/api/put?summary", point("r.b", 1700000000, "1"));
    assertThat(summary.statusCode()).isEqualTo(200);
    assertThat(json(summary)).isEqualTo(MAPPER.readTree("{\"failed\":0,\"success\":1}"));

    var details =
        send(
            "POST",
            "/api/put?details",
            "[" + point("r.b", 1700000001, "1") + "," + point("r.b", 1700000002, "\"x\"") + "]");
    assertThat(details.statusCode()).isEqualTo(400);
    JsonNode body = json(details);
    assertThat(body.get("success").asInt()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("errors").get(0).get("error").asText())
        .isEqualTo("Unable to parse value to a number");
  }

  @Test
  void unsupportedMethodsAnswer405WithTheErrorObject() {
    var response = send("GET", "/api/put", null);

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(json(response).get("error").get("code").asInt()).isEqualTo(405);
  }

  @Test
  void invalidQueriesAnswer400NamingTheProblem() {
    send("POST", "/api/put", point("r.c", 1700000000, "1"));

    var noStart = send("GET", "/api/query?m=sum:r.c", null);
    var badAggregator = send("GET", "/api/query?start=1h-ago&m=bogus:r.c", null);
    var badJson = send("POST", "/api/query", "{\"start\":");

    assertThat(noStart.statusCode()).isEqualTo(400);
    assertThat(json(noStart).get("error").get("message").asText()).contains("start");
    assertThat(badAggregator.statusCode()).isEqualTo(400);
    assertThat(json(badAggregator).get("error").get("message").asText()).contains("bogus");
    assertThat(badJson.statusCode()).isEqualTo(400);
    assertThat(json(badJson).get("error").get("message").asText())
        .isEqualTo("Unable to parse the given JSON");
  }

  @Test
  void showQueryEchoesTheSubQuery() {
    send("POST", "/api/put", point("r.d", 1700000000, "3"));

    var result =
        json(
            send(
                "GET",
                "/api/query?start=1699999980&end=1700000100&show_query&m=max:1m-avg:r.d%7Bhost=*%7D",
                null));

    JsonNode query = result.get(0).get("query");
    assertThat(query.get("aggregator").asText()).isEqualTo("max");
    assertThat(query.get("downsample").asText()).isEqualTo("1m-avg");
    assertThat(query.get("filters").get(0).get("tagk").asText()).isEqualTo("host");
  }

  @Test
  void aFailedJournalWriteAnswers503WithRetryAfterAndIsNotAcknowledged() {
    node.journal().failNextPersisted();

    var response = send("POST", "/api/put", point("r.e", 1700000000, "1"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    JsonNode error = json(response).get("error");
    assertThat(error.get("code").asInt()).isEqualTo(503);
    assertThat(error.get("message").asText()).contains("retry");

    node.journal().resetPolicy();
    var retry = send("POST", "/api/put", point("r.e", 1700000000, "1"));
    assertThat(retry.statusCode()).isEqualTo(204);
  }

  @Test
  void aGroupThatDoesNotAcknowledgeWithinSyncTimeoutFailsOnlyItsPoints() {
    var failing = SeriesKey.of("default", "r.f", Map.of("host", "web01"));
    String other = otherSeriesOf("r.f", Math.floorMod(failing.hashCode(), 4));
    node.journal()
        .failNextNPersisted("SeriesGroup|default-" + Math.floorMod(failing.hashCode(), 4), 1);

    var response =
        send(
            "POST",
            "/api/put?details&sync&sync_timeout=500",
            "[" + point("r.f", 1700000000, "1") + "," + other + "]");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
    JsonNode body = json(response);
    assertThat(body.get("success").asInt()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("errors").get(0).get("datapoint").get("metric").asText()).isEqualTo("r.f");
    assertThat(body.get("errors").get(0).get("error").asText()).contains("retry");
  }

  @Test
  void anInvalidSyncTimeoutIsABadRequest() {
    var response = send("POST", "/api/put?sync_timeout=soon", point("r.g", 1700000000, "1"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").get("message").asText()).contains("sync_timeout");
  }

  /** A point of a series of {@code metric} whose group is not {@code group} (of 4). */
  private static String otherSeriesOf(String metric, int group) {
    for (int i = 0; ; i++) {
      var key = SeriesKey.of("default", metric, Map.of("host", "other" + i));
      if (Math.floorMod(key.hashCode(), 4) != group) {
        return "{\"metric\":\""
            + metric
            + "\",\"timestamp\":1700000000,\"value\":2,\"tags\":{\"host\":\"other"
            + i
            + "\"}}";
      }
    }
  }
}
