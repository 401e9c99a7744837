package io.meridian.ops.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.Http;
import io.meridian.ops.testing.TestNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node on Cassandra as Prometheus and the console see it: a real Prometheus scrapes {@code
 * /metrics} on the management port (no credentials) and on the API port and finds both targets up
 * with the node's metrics, and the node stores its own metrics in project {@code internal}, where
 * its PromQL API finds them with {@code job="meridian"} and the node's instance.
 */
@ExtendWith(CassandraExtension.class)
class PrometheusScrapesNodeMetricsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void prometheusScrapesBothPortsAndTheInternalProjectHoldsTheNodesMetrics(
      CassandraServer cassandra) {
    try (TestNode node =
            TestNode.start(
                cassandra,
                "self_monitoring",
                "meridian.self-monitoring.enabled = true\n"
                    + "meridian.self-monitoring.interval = 1s\n");
        PrometheusServer prometheus =
            PrometheusServer.start(
                port ->
                    """
                    scrape_configs:
                      - job_name: meridian-management
                        scrape_interval: 1s
                        scrape_timeout: 1s
                        static_configs:
                          - targets: ['%s']
                      - job_name: meridian-api
                        scrape_interval: 1s
                        scrape_timeout: 1s
                        static_configs:
                          - targets: ['%s']
                    """
                        .formatted(hostAndPort(node.managementUrl()), hostAndPort(node.url())))) {
      Http.Response management = new Http(node.managementUrl()).get("/metrics");
      assertThat(management.status()).isEqualTo(200);
      assertThat(management.body()).contains("meridian_journal_write_duration_seconds_bucket");

      String api = prometheus.url() + "/api/v1";
      awaitSeries(api, "up{job=\"meridian-management\"} == 1", prometheus);
      awaitSeries(api, "up{job=\"meridian-api\"} == 1", prometheus);
      awaitSeries(api, "meridian_http_requests_total{route=\"/metrics\"}", prometheus);
      // One registry per node: the management port shows what the API port answered.
      assertThat(new Http(node.managementUrl()).get("/metrics").body())
          .contains(
              "meridian_http_requests_total{family=\"native\",method=\"GET\","
                  + "route=\"/metrics\",status=\"200\"}");
      awaitSeries(api, "jvm_memory_used_bytes{job=\"meridian-management\"}", prometheus);

      String internal = node.url() + "/prometheus/projects/internal/api/v1";
      String instance = hostAndPort(node.url());
      awaitSeries(internal, "up{job=\"meridian\",instance=\"" + instance + "\"} == 1", prometheus);
      awaitSeries(
          internal,
          "meridian_shards{type=\"SeriesGroup\",job=\"meridian\",instance=\"" + instance + "\"}",
          prometheus);
    }
  }

  private static String hostAndPort(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + uri.getPort();
  }

  /** Waits until {@code promql} at the query API {@code api} answers at least one series. */
  private static void awaitSeries(String api, String promql, PrometheusServer prometheus) {
    AtomicReference<String> last = new AtomicReference<>("nothing yet");
    Await.until(
        promql + " at " + api,
        TIMEOUT,
        () -> {
          Http.Response response =
              new Http(api)
                  .get("/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
          QueryResult result = QueryResult.parse(response.status(), response.body());
          last.set(response.status() + " " + response.body());
          return result.succeeded() && !result.series().isEmpty();
        },
        () -> last.get() + "\nprometheus log:\n" + prometheus.logTail());
  }
}
