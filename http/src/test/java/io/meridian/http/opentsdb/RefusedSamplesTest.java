package io.meridian.http.opentsdb;

import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Samples the store refuses (older than the project's retention, or of new series beyond its series
 * limit) are answered as client errors in each API's own format, naming the reason, while the rest
 * of the request is stored.
 */
class RefusedSamplesTest {

  private static InMemoryNode node;
  private static InMemoryNode limited;

  @BeforeAll
  static void start() {
    node = InMemoryNode.start("RefusedSamplesTest", "meridian.series.retention.default = 1h\n");
    // 4 groups and a limit of 8 series: each group holds at most ceil(8 * 1.1 / 4) = 3.
    limited =
        InMemoryNode.start(
            "RefusedSamplesTestLimited", "meridian.series.series-limit.default = 8\n");
  }

  @AfterAll
  static void stop() {
    node.close();
    limited.close();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  @Test
  void aPointOlderThanRetentionIsRefusedInTheDetailsAndTheOthersStored() {
    long now = nowSeconds();
    var response =
        node.send(
            "POST",
            "/api/put?details",
            "[" + point("old.a", now - 7200, "1") + "," + point("old.a", now - 60, "2") + "]");

    assertThat(response.statusCode()).isEqualTo(400);
    var body = json(response);
    assertThat(body.get("success").asInt()).isEqualTo(1);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("errors").get(0).get("error").asText()).contains("retention");
    assertThat(body.get("errors").get(0).get("datapoint").get("timestamp").asLong())
        .isEqualTo((now - 7200) * 1000);

    var query = node.send("GET", "/api/query?start=3h-ago&m=sum:old.a", null);
    assertThat(json(query).get(0).get("dps").size()).isEqualTo(1);
  }

  @Test
  void withoutDetailsTheErrorObjectNamesTheReason() {
    var response = node.send("POST", "/api/put", point("old.b", nowSeconds() - 7200, "1"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").get("details").asText()).contains("retention");
  }

  @Test
  void remoteWriteOfAnOldSampleIsBadData() {
    long nowMs = System.currentTimeMillis();
    var response =
        node.send(
            new RemoteWritePayload()
                .series(
                    new long[] {nowMs - 7_200_000L, nowMs - 1000},
                    new double[] {1, 2},
                    "__name__",
                    "old_c",
                    "job",
                    "api")
                .post(node.uri("/api/v1/write")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("errorType").asText()).isEqualTo("bad_data");
    assertThat(json(response).get("error").asText())
        .contains("1 samples of 1 series were refused (1 stored)", "retention", "(1h)");
  }

  @Test
  void newSeriesBeyondTheSeriesLimitAreRefusedAndKnownOnesStillWritten() {
    long now = nowSeconds();
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      body.append(i == 0 ? "" : ",")
          .append(
              "{\"metric\":\"many\",\"timestamp\":"
                  + now
                  + ",\"value\":1,\"tags\":{\"host\":\"h"
                  + i
                  + "\"}}");
    }
    var response = limited.send("POST", "/api/put?details", body.append("]").toString());

    assertThat(response.statusCode()).isEqualTo(400);
    var answer = json(response);
    int stored = answer.get("success").asInt();
    assertThat(stored).isBetween(1, 12);
    assertThat(answer.get("failed").asInt()).isEqualTo(40 - stored);
    assertThat(answer.get("errors").get(0).get("error").asText())
        .contains("series limit", "may hold 8 series");

    // A series already stored takes new samples.
    Set<String> refusedHosts = new HashSet<>();
    answer
        .get("errors")
        .forEach(e -> refusedHosts.add(e.get("datapoint").get("tags").get("host").asText()));
    String storedHost =
        IntStream.range(0, 40)
            .mapToObj(i -> "h" + i)
            .filter(h -> !refusedHosts.contains(h))
            .findFirst()
            .orElseThrow();
    var known =
        limited.send("POST", "/api/put", point("many", now - 1, "2").replace("web01", storedHost));
    assertThat(known.statusCode()).as(known.body()).isEqualTo(204);
    var query =
        limited.send(
            "GET", "/api/query?start=1h-ago&m=sum:many%7Bhost=" + storedHost + "%7D", null);
    assertThat(json(query).get(0).get("dps").size()).isEqualTo(2);
  }
}
