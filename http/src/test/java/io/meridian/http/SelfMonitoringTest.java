package io.meridian.http;

import static io.meridian.http.MetricsEndpointTest.await;
import static io.meridian.http.testing.InMemoryNode.json;
import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.http.testing.InMemoryNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node stores its own metrics in the internal project every interval, as a Prometheus scrape of
 * its {@code /metrics} would store them, labelled {@code job="meridian"} and {@code instance} = its
 * API's host and port, so that PromQL over that project shows the node's health.
 */
class SelfMonitoringTest {

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "SelfMonitoringTest",
            "meridian.self-monitoring.enabled = true\n"
                + "meridian.self-monitoring.interval = 1s\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void requestCountersAreStoredWithJobAndInstanceLabels() {
    assertThat(node.send("GET", "/api/version", null).statusCode()).isEqualTo(200);

    await(
        "meridian_http_requests_total in the internal project",
        () -> query("meridian_http_requests_total{route=\"/api/version\"}").size() > 0);

    JsonNode series = query("meridian_http_requests_total{route=\"/api/version\"}").get(0);
    assertThat(series.path("metric").path("job").asText()).isEqualTo("meridian");
    assertThat(series.path("metric").path("instance").asText()).isEqualTo(node.hostAndPort());
    assertThat(series.path("metric").path("family").asText()).isEqualTo("opentsdb");
    JsonNode up = query("up{job=\"meridian\"}");
    assertThat(up).hasSize(1);
    assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
  }

  @Test
  void theIngestRateAndLatencyAreQueriesOverTheStoredMetrics() {
    String rate = "sum(rate(meridian_samples_ingested_total{family=\"opentsdb\"}[1m]))";
    String p99 =
        "histogram_quantile(0.99, sum by (le)"
            + " (rate(meridian_http_request_duration_seconds_bucket{route=\"/api/put\"}[1m])))";
    AtomicInteger sent = new AtomicInteger();
    // A rate needs two stored snapshots apart by some writes: write on until they are stored.
    await(
        "a positive ingest rate and a p99 latency of /api/put",
        () -> {
          int i = sent.incrementAndGet();
          String body = point("self.monitoring.ingest", 1700000000 + i, Integer.toString(i));
          assertThat(node.send("POST", "/api/put", body).statusCode()).isEqualTo(204);
          return positive(query(rate)) && positive(query(p99));
        });
  }

  private static boolean positive(JsonNode vector) {
    return vector.size() == 1 && vector.get(0).path("value").get(1).asDouble() > 0;
  }

  /** The instant vector of {@code promql} over the internal project. */
  private static JsonNode query(String promql) {
    HttpResponse<String> response =
        node.send(
            "GET",
            "/prometheus/projects/internal/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8),
            null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).path("data").path("result");
  }
}
