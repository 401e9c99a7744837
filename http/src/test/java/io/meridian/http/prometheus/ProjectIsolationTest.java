package io.meridian.http.prometheus;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With appkeys configured, every Prometheus endpoint serves the key's project only: two projects
 * write the same metric names and each sees only its own series; a missing or unknown key is 401
 * and a path naming another project is 403, on every endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectIsolationTest {

  private static final String KEY_A = "appkey-a";
  private static final String KEY_B = "appkey-b";

  /** Every endpoint, as method and path below the API prefix. */
  private static final List<String[]> ENDPOINTS =
      List.of(
          new String[] {"GET", "/query?query=up&time=1700000000"},
          new String[] {"GET", "/query_range?query=up&start=1700000000&end=1700000060&step=15"},
          new String[] {"GET", "/series?match%5B%5D=up"},
          new String[] {"GET", "/labels"},
          new String[] {"GET", "/label/job/values"},
          new String[] {"GET", "/metadata"},
          new String[] {"GET", "/rules"},
          new String[] {"GET", "/status/buildinfo"},
          new String[] {"GET", "/query_exemplars?query=up&start=1&end=2"},
          new String[] {"POST", "/write"});

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node =
        InMemoryNode.start(
            "ProjectIsolationTest",
            "meridian.projects.appkeys { \"" + KEY_A + "\" = a, \"" + KEY_B + "\" = b }\n");
    write(KEY_A, "/api/v1/write", "job-a");
    write(KEY_B, "/prometheus/api/v1/write", "job-b");
    write(KEY_B, "/prometheus/projects/b/api/v1/write", "job-b2");
  }

  private void write(String key, String path, String job) {
    var response =
        node.send(
            new RemoteWritePayload()
                .series(new long[] {1700000000000L}, new double[] {1}, "__name__", "up", "job", job)
                .post(node.uri(path), "X-TC-APP-KEY", key));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private JsonNode data(String path, String key) {
    HttpResponse<String> response = node.send("GET", path, null, "X-TC-APP-KEY", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("data");
  }

  @Test
  void eachProjectSeesOnlyItsOwnLabelsAndValues() {
    assertThat(data("/api/v1/label/job/values", KEY_A))
        .extracting(JsonNode::asText)
        .containsExactly("job-a");
    assertThat(data("/prometheus/api/v1/label/job/values", KEY_B))
        .extracting(JsonNode::asText)
        .containsExactly("job-b", "job-b2");
    assertThat(data("/prometheus/projects/a/api/v1/labels", KEY_A))
        .extracting(JsonNode::asText)
        .containsExactly("__name__", "job");
  }

  @Test
  void openTsdbDoesNotSeeProjectData() {
    var response = node.send("GET", "/api/suggest?type=tagv&q=job", null);
    assertThat(json(response)).isEmpty();
  }

  @Test
  void everyEndpointAnswers401WithoutAKeyOrWithAnUnknownOne() {
    for (String prefix : new String[] {"/api/v1", "/prometheus/api/v1"}) {
      for (String[] endpoint : ENDPOINTS) {
        var missing = node.send(endpoint[0], prefix + endpoint[1], "");
        var unknown = node.send(endpoint[0], prefix + endpoint[1], "", "X-TC-APP-KEY", "not-a-key");
        for (var response : List.of(missing, unknown)) {
          assertThat(response.statusCode()).as(prefix + endpoint[1]).isEqualTo(401);
          assertThat(json(response).get("status").asText()).isEqualTo("error");
          assertThat(json(response).get("errorType").asText()).isEqualTo("unauthorized");
        }
      }
    }
  }

  @Test
  void everyEndpointAnswers403ForAnotherProjectsPath() {
    for (String[] endpoint : ENDPOINTS) {
      var response =
          node.send(
              endpoint[0],
              "/prometheus/projects/b/api/v1" + endpoint[1],
              "",
              "X-TC-APP-KEY",
              KEY_A);
      assertThat(response.statusCode()).as(endpoint[1] + " " + response.body()).isEqualTo(403);
      assertThat(json(response).get("errorType").asText()).isEqualTo("forbidden");
    }
    assertThat(data("/prometheus/projects/b/api/v1/label/job/values", KEY_B))
        .extracting(JsonNode::asText)
        .containsExactly("job-b", "job-b2");
  }
}
