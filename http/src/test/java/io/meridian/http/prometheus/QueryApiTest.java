package io.meridian.http.prometheus;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code query}, {@code query_range} and {@code series} over real HTTP, with Prometheus' JSON
 * shapes. They need the PromQL parser and engine of issue 5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("QueryApiTest", "");
    var response =
        node.send(
            new RemoteWritePayload()
                .series(
                    new long[] {1700000000000L, 1700000015000L, 1700000030000L},
                    new double[] {1, 2.5, 4},
                    "__name__",
                    "requests_total",
                    "job",
                    "api")
                .series(
                    new long[] {1700000000000L},
                    new double[] {7},
                    "__name__",
                    "requests_total",
                    "job",
                    "web")
                .post(node.uri("/api/v1/write")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    var dotted =
        node.send(
            "POST",
            "/api/put",
            "{\"metric\":\"sys.cpu.user\",\"timestamp\":1700000000,\"value\":0.5,"
                + "\"tags\":{\"host\":\"web01\"}}");
    assertThat(dotted.statusCode()).as(dotted.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private JsonNode data(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("status").asText()).isEqualTo("success");
    return body.get("data");
  }

  @Test
  void instantQueryAnswersAVectorWithStringValuesAndSecondTimestamps() {
    JsonNode data =
        data(
            node.send(
                "GET", "/prometheus/api/v1/query?query=requests_total&time=1700000015.5", null));

    assertThat(data.get("resultType").asText()).isEqualTo("vector");
    assertThat(data.get("result")).hasSize(2);
    JsonNode api = null;
    for (JsonNode sample : data.get("result")) {
      if (sample.get("metric").get("job").asText().equals("api")) {
        api = sample;
      }
    }
    assertThat(api).as(data.toString()).isNotNull();
    assertThat(api.get("metric").get("__name__").asText()).isEqualTo("requests_total");
    assertThat(api.get("value").get(0).decimalValue()).isEqualByComparingTo("1700000015.5");
    assertThat(api.get("value").get(1).asText()).isEqualTo("2.5");
  }

  @Test
  void postedFormQueriesAndScalarsWork() {
    JsonNode scalar =
        data(
            node.send(
                "POST",
                "/api/v1/query",
                "query=1%2B1&time=1700000000",
                "Content-Type",
                "application/x-www-form-urlencoded"));
    assertThat(scalar.get("resultType").asText()).isEqualTo("scalar");
    assertThat(scalar.get("result").get(0).asLong()).isEqualTo(1700000000);
    assertThat(scalar.get("result").get(1).asText()).isEqualTo("2");
  }

  @Test
  void rangeQueryAnswersAMatrixSortedByLabels() {
    JsonNode data =
        data(
            node.send(
                "GET",
                "/api/v1/query_range?query=requests_total&start=1700000000&end=1700000030&step=15s",
                null));

    assertThat(data.get("resultType").asText()).isEqualTo("matrix");
    assertThat(data.get("result")).hasSize(2);
    assertThat(data.get("result").get(0).get("metric").get("job").asText()).isEqualTo("api");
    assertThat(data.get("result").get(0).get("values")).hasSize(3);
    assertThat(data.get("result").get(0).get("values").get(2).get(1).asText()).isEqualTo("4");
  }

  @Test
  void rangeQueriesKeptInTheCacheFollowALateWriteAndNocacheComputesThemAlike() {
    String query =
        "/api/v1/query_range?query=count(cached_total)&start=1700000000&end=1700000060&step=15";
    var first =
        node.send(
            new RemoteWritePayload()
                .series(
                    new long[] {1700000000000L},
                    new double[] {1},
                    "__name__",
                    "cached_total",
                    "job",
                    "a")
                .post(node.uri("/api/v1/write")));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
    JsonNode before = data(node.send("GET", query, null));
    assertThat(data(node.send("GET", query, null))).isEqualTo(before);

    // A second series written later, for 30 s into the range.
    var late =
        node.send(
            new RemoteWritePayload()
                .series(
                    new long[] {1700000030000L},
                    new double[] {1},
                    "__name__",
                    "cached_total",
                    "job",
                    "b")
                .post(node.uri("/api/v1/write")));
    assertThat(late.statusCode()).as(late.body()).isEqualTo(204);
    JsonNode after = data(node.send("GET", query, null));

    assertThat(after).isNotEqualTo(before);
    assertThat(after.get("result").get(0).get("values").get(2).get(1).asText()).isEqualTo("2");
    assertThat(data(node.send("GET", query + "&nocache=1", null))).isEqualTo(after);
  }

  @Test
  void openTsdbMetricsAreReachableByTheirNameLabel() {
    JsonNode data =
        data(
            node.send(
                "GET",
                "/api/v1/query?query=%7B__name__%3D%22sys.cpu.user%22%7D&time=1700000010",
                null));
    assertThat(data.get("result")).hasSize(1);
    assertThat(data.get("result").get(0).get("metric").get("host").asText()).isEqualTo("web01");
  }

  @Test
  void seriesMatchesSelectorsInTheRange() {
    JsonNode data =
        data(
            node.send(
                "GET",
                "/api/v1/series?match%5B%5D=requests_total%7Bjob%3D~%22a.*%22%7D"
                    + "&match%5B%5D=%7B__name__%3D%22sys.cpu.user%22%7D",
                null));
    assertThat(data).hasSize(2);
    assertThat(data.get(0).get("__name__").asText()).isEqualTo("requests_total");
    assertThat(data.get(1).get("__name__").asText()).isEqualTo("sys.cpu.user");
    var empty = node.send("GET", "/api/v1/series?match%5B%5D=%7Bjob%3D%22%22%7D", null);
    assertThat(empty.statusCode()).isEqualTo(400);
  }

  @Test
  void parseErrorsAreBadData() {
    var response = node.send("GET", "/api/v1/query?query=sum(", null);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("errorType").asText()).isEqualTo("bad_data");
    assertThat(json(response).get("error").asText()).startsWith("invalid parameter \"query\": ");
  }
}
