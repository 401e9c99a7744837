package io.meridian.http.prometheus;

import static io.meridian.http.testing.InMemoryNode.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.RemoteWritePayload;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A label regex that backtracks catastrophically against a stored label value is stopped by its
 * step budget and answered 400 {@code bad_data}, whether it is matched in the series groups (a
 * selector, {@code /series}) or in the engine ({@code label_replace}); the node keeps serving.
 * Without the budget these requests would not finish within the test's lifetime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegexComplexityTest {

  private static final String HOSTILE = "((a+)+)+b";

  private InMemoryNode node;

  @BeforeAll
  void start() {
    node = InMemoryNode.start("RegexComplexityTest", "");
    var response =
        node.send(
            new RemoteWritePayload()
                .series(
                    new long[] {1700000000000L},
                    new double[] {1},
                    "__name__",
                    "m",
                    "lbl",
                    "a".repeat(40) + "!")
                .series(new long[] {1700000000000L}, new double[] {2}, "__name__", "m", "lbl", "ok")
                .post(node.uri("/api/v1/write")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private HttpResponse<String> query(String promql) {
    return node.send(
        "GET",
        "/api/v1/query?time=1700000000&query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8),
        null);
  }

  private static void assertBadData(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    JsonNode body = json(response);
    assertThat(body.get("status").asText()).isEqualTo("error");
    assertThat(body.get("errorType").asText()).isEqualTo("bad_data");
    assertThat(body.get("error").asText()).contains(HOSTILE).contains("too complex");
  }

  @Test
  void aSelectorRegexTooComplexIs400AndTheNodeKeepsServing() {
    assertBadData(query("{__name__=\"m\", lbl=~\"" + HOSTILE + "\"}"));
    assertBadData(query("{__name__=\"m\", lbl!~\"" + HOSTILE + "\"}"));

    var normal = query("{__name__=\"m\", lbl=~\"o.*\"}");
    assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
    JsonNode result = json(normal).get("data").get("result");
    assertThat(result).hasSize(1);
    assertThat(result.get(0).get("metric").get("lbl").asText()).isEqualTo("ok");
  }

  @Test
  void aSeriesMatchTooComplexIs400() {
    assertBadData(
        node.send(
            "GET",
            "/api/v1/series?start=1699999000&end=1700001000&match%5B%5D="
                + URLEncoder.encode("m{lbl=~\"" + HOSTILE + "\"}", StandardCharsets.UTF_8),
            null));
  }

  @Test
  void aLabelReplaceRegexTooComplexIs400() {
    assertBadData(query("label_replace(m, \"x\", \"$1\", \"lbl\", \"" + HOSTILE + "\")"));

    var normal = query("label_replace(m, \"x\", \"$1\", \"lbl\", \"(o)k\")");
    assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);
  }

  @Test
  void aRegexLongerThanTheLimitIs400() {
    // Posted: a GET of this length would exceed the server's URI limit.
    var response =
        node.send(
            "POST",
            "/api/v1/query",
            "time=1700000000&query="
                + URLEncoder.encode(
                    "{__name__=\"m\", lbl=~\"" + "a".repeat(5000) + "\"}", StandardCharsets.UTF_8),
            "Content-Type",
            "application/x-www-form-urlencoded");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).get("errorType").asText()).isEqualTo("bad_data");
    assertThat(json(response).get("error").asText()).contains("longer than the limit of 4096");
  }
}
