package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A read over {@code meridian.series.max-read-samples} or {@code max-read-series} stops before
 * loading everything and answers a client error in the API's format: OpenTSDB 413, PromQL 422.
 */
class ReadLimitsTest {

  private static InMemoryNode node;
  private static long now;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "ReadLimitsTest",
            "meridian.series.max-read-samples = 10\nmeridian.series.max-read-series = 3\n");
    now = System.currentTimeMillis() / 1000;
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      body.append(i == 0 ? "" : ",")
          .append(
              "{\"metric\":\"lim.a\",\"timestamp\":"
                  + (now - 600 + i)
                  + ",\"value\":1,\"tags\":{\"host\":\"h1\"}}");
    }
    for (int h = 2; h <= 5; h++) {
      body.append(
          ",{\"metric\":\"lim.b\",\"timestamp\":"
              + now
              + ",\"value\":1,\"tags\":{\"host\":\"h"
              + h
              + "\"}}");
    }
    assertThat(node.send("POST", "/api/put", body.append("]").toString()).statusCode())
        .isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void tooManySamplesIs413InOpenTsdbAnd422InPromQl() {
    var tsdb = node.send("GET", "/api/query?start=1h-ago&m=sum:lim.a", null);
    var promql =
        node.send(
            "GET",
            "/prometheus/api/v1/query_range?query=%7B__name__%3D%22lim.a%22%7D&start="
                + (now - 3600)
                + "&end="
                + now
                + "&step=15",
            null);

    assertThat(tsdb.statusCode()).isEqualTo(413);
    assertThat(json(tsdb).get("error").get("details").asText()).contains("max-read-samples");
    assertThat(promql.statusCode()).isEqualTo(422);
    assertThat(json(promql).get("errorType").asText()).isEqualTo("execution");
    assertThat(json(promql).get("error").asText()).contains("max-read-samples");
  }

  @Test
  void tooManySeriesIsRefusedAndNarrowerQueriesWork() {
    var all = node.send("GET", "/api/query?start=1h-ago&m=sum:lim.b", null);
    var one = node.send("GET", "/api/query?start=1h-ago&m=sum:lim.b%7Bhost=h2%7D", null);

    assertThat(all.statusCode()).isEqualTo(413);
    assertThat(json(all).get("error").get("details").asText()).contains("max-read-series");
    assertThat(one.statusCode()).isEqualTo(200);
  }
}
