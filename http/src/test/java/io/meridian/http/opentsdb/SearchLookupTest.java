package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.NodeUnderTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code /api/search/lookup} over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchLookupTest {

  private static NodeUnderTest node;

  /** The node the tests run against; the ops module overrides this with a node on Cassandra. */
  protected NodeUnderTest startNode(String name, String extraConfig) {
    return InMemoryNode.start(name, extraConfig);
  }

  @BeforeAll
  void start() {
    node = startNode("SearchLookupTest", "");
    StringBuilder body = new StringBuilder("[");
    String[][] series = {
      {"lk.cpu", "web01", "lga"},
      {"lk.cpu", "web02", "lga"},
      {"lk.cpu", "db01", "sjc"},
      {"lk.mem", "web01", "lga"},
    };
    for (String[] s : series) {
      if (body.length() > 1) {
        body.append(',');
      }
      body.append("{\"metric\":\"")
          .append(s[0])
          .append("\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"")
          .append(s[1])
          .append("\",\"dc\":\"")
          .append(s[2])
          .append("\"}}");
    }
    var put = node.send("POST", "/api/put", body.append(']').toString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static HttpResponse<String> send(String method, String path, String body) {
    return node.send(method, path, body);
  }

  /** {@code metric{host=…}} of each result, in order. */
  private static List<String> series(JsonNode body) {
    List<String> names = new ArrayList<>();
    for (JsonNode result : body.get("results")) {
      names.add(result.get("metric").asText() + "/" + result.get("tags").get("host").asText());
    }
    return names;
  }

  @Test
  void lookupByMetricAnswersEverySeriesWithItsTsuid() {
    var response = send("GET", "/api/search/lookup?m=lk.cpu", null);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("type").asText()).isEqualTo("LOOKUP");
    assertThat(body.get("metric").asText()).isEqualTo("lk.cpu");
    assertThat(body.get("tags")).isEmpty();
    assertThat(body.get("limit").asInt()).isEqualTo(25);
    assertThat(body.get("startIndex").asInt()).isZero();
    assertThat(body.get("totalResults").asInt()).isEqualTo(3);
    assertThat(body.get("time").asLong()).isNotNegative();
    assertThat(series(body))
        .containsExactlyInAnyOrder("lk.cpu/web01", "lk.cpu/web02", "lk.cpu/db01");
    JsonNode first = body.get("results").get(0);
    assertThat(first.get("tsuid").asText()).matches("[0-9A-F]{30}");
    assertThat(first.get("tags").get("dc").asText()).isNotEmpty();
  }

  @Test
  void theTsuidsOfALookupAreThoseOfTheQueryApi() {
    JsonNode lookup = json(send("GET", "/api/search/lookup?m=lk.mem", null));
    JsonNode query =
        json(
            send(
                "GET",
                "/api/query?start=1699999000&end=1700001000&show_tsuids&m=sum:lk.mem",
                null));

    assertThat(lookup.get("results").get(0).get("tsuid").asText())
        .isEqualTo(query.get(0).get("tsuids").get(0).asText());
  }

  @Test
  void wildcardsMatchAnyMetricKeyOrValue() {
    JsonNode anyMetric = json(send("GET", "/api/search/lookup?m=%7Bhost=web01%7D", null));
    JsonNode anyValue = json(send("GET", "/api/search/lookup?m=lk.cpu%7Bdc=*%7D", null));
    JsonNode anyKey = json(send("GET", "/api/search/lookup?m=*%7B*=sjc%7D", null));

    assertThat(anyMetric.get("metric").asText()).isEqualTo("*");
    assertThat(series(anyMetric)).containsExactlyInAnyOrder("lk.cpu/web01", "lk.mem/web01");
    assertThat(anyValue.get("tags").get(0).get("value").asText()).isEqualTo("*");
    assertThat(series(anyValue)).hasSize(3);
    assertThat(series(anyKey)).containsExactly("lk.cpu/db01");
  }

  @Test
  void pairsOfTheSameKeyMatchAnyOfTheirValuesAndDifferentKeysMustAllMatch() {
    JsonNode either =
        json(send("GET", "/api/search/lookup?m=lk.cpu%7Bhost=web01,host=db01%7D", null));
    JsonNode both = json(send("GET", "/api/search/lookup?m=lk.cpu%7Bhost=web01,dc=sjc%7D", null));
    JsonNode wildcardWins =
        json(send("GET", "/api/search/lookup?m=lk.cpu%7Bhost=web01,host=*%7D", null));

    assertThat(series(either)).containsExactlyInAnyOrder("lk.cpu/web01", "lk.cpu/db01");
    assertThat(series(both)).isEmpty();
    assertThat(both.get("totalResults").asInt()).isZero();
    assertThat(series(wildcardWins)).hasSize(3);
  }

  @Test
  void limitCapsTheResults() {
    JsonNode body = json(send("GET", "/api/search/lookup?m=lk.cpu&limit=2", null));

    assertThat(body.get("limit").asInt()).isEqualTo(2);
    assertThat(body.get("results")).hasSize(2);
    assertThat(body.get("totalResults").asInt()).isEqualTo(2);
  }

  @Test
  void postTakesMetricTagsAndLimitAsJson() {
    var response =
        send(
            "POST",
            "/api/search/lookup",
            "{\"metric\":\"lk.cpu\",\"tags\":[{\"key\":\"dc\",\"value\":\"lga\"}],\"limit\":10,"
                + "\"useMeta\":true}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(series(json(response))).containsExactlyInAnyOrder("lk.cpu/web01", "lk.cpu/web02");
  }

  @Test
  void unknownNamesAre404AndMissingQueriesAre400() {
    var unknownMetric = send("GET", "/api/search/lookup?m=lk.nope", null);
    var unknownValue = send("GET", "/api/search/lookup?m=lk.cpu%7Bhost=nobody%7D", null);
    var missing = send("GET", "/api/search/lookup", null);
    var nothing = send("POST", "/api/search/lookup", "{\"metric\":\"*\"}");

    assertThat(unknownMetric.statusCode()).isEqualTo(404);
    assertThat(json(unknownMetric).get("error").get("message").asText())
        .isEqualTo("Unable to resolve one or more UIDs");
    assertThat(json(unknownValue).get("error").get("details").asText())
        .isEqualTo("No such name for 'tagv': 'nobody'");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(nothing.statusCode()).isEqualTo(400);
    assertThat(json(nothing).get("error").get("message").asText())
        .isEqualTo("Missing metric and tags. Please supply at least one value.");
  }
}
