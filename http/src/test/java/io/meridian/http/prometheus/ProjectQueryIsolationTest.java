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
 * Project isolation of the endpoints that parse PromQL ({@code query}, {@code query_range}, {@code
 * series} with {@code match[]}): they need the PromQL parser and engine of issue 5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectQueryIsolationTest {

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "ProjectQueryIsolationTest", "meridian.projects.appkeys { ka = a, kb = b }\n");
    for (String key : new String[] {"ka", "kb"}) {
      var response =
          node.send(
              new RemoteWritePayload()
                  .series(
                      new long[] {1700000000000L, 1700000030000L},
                      new double[] {1, 2},
                      "__name__",
                      "up",
                      "job",
                      "job-" + key)
                  .post(node.uri("/api/v1/write"), "X-TC-APP-KEY", key));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private JsonNode result(String path, String key) {
    HttpResponse<String> response = node.send("GET", path, null, "X-TC-APP-KEY", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("data");
  }

  @Test
  void seriesQueryAndQueryRangeSeeOnlyTheKeysProject() {
    for (String key : new String[] {"ka", "kb"}) {
      JsonNode series = result("/prometheus/api/v1/series?match%5B%5D=up", key);
      JsonNode instant = result("/prometheus/api/v1/query?query=up&time=1700000030", key);
      JsonNode range =
          result(
              "/prometheus/api/v1/query_range?query=up&start=1700000000&end=1700000030&step=15",
              key);

      assertThat(series).hasSize(1);
      assertThat(series.get(0).get("job").asText()).isEqualTo("job-" + key);
      assertThat(instant.get("result")).hasSize(1);
      assertThat(instant.get("result").get(0).get("metric").get("job").asText())
          .isEqualTo("job-" + key);
      assertThat(range.get("result")).hasSize(1);
      assertThat(range.get("result").get(0).get("metric").get("job").asText())
          .isEqualTo("job-" + key);
    }
  }
}
