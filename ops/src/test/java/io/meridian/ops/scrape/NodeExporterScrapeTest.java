package io.meridian.ops.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meridian.ops.cassandra.CassandraServer;
import io.meridian.ops.scrape.FakeExporter.Reply;
import io.meridian.ops.testing.Await;
import io.meridian.ops.testing.CassandraExtension;
import io.meridian.ops.testing.TestNode;
import io.meridian.protocol.scrape.ResultCode;
import io.meridian.protocol.scrape.TargetHealth;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node on the real Cassandra scrapes the real Prometheus node exporter through a job and target
 * made with the OpenMetrics API: the target turns UP, and what was scraped is queryable with PromQL
 * under the job's {@code job} and the target's {@code instance} labels, next to {@code up} and
 * {@code scrape_duration_seconds}. Targets that refuse connections, answer 500 or answer garbage
 * turn DOWN with their result code, a reason and {@code up} 0. Deleting a target, or its job, stops
 * its scrapes.
 */
@ExtendWith(CassandraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeExporterScrapeTest {

  private static final String PROJECT = "scrape-node-exporter";
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * Silence after a delete that shows the scraper stopped for good: three rounds of the catalog's
   * check that every target has a scraper (which would start a wrongly remembered one again).
   */
  private static final Duration QUIET = Duration.ofSeconds(6);

  private TestNode node;
  private NodeExporter nodeExporter;
  private final List<FakeExporter> fakes = new ArrayList<>();
  private ScrapeApi api;
  private String hostId;

  @BeforeAll
  void start(CassandraServer cassandra) {
    nodeExporter = NodeExporter.start(CassandraExtension.freshDirectory("node-exporter"));
    node =
        TestNode.start(
            cassandra,
            "scrape_node_exporter",
            "meridian.scrape.ensure-interval = 2s\nmeridian.scrape.spec-refresh = 2s");
    api = new ScrapeApi(node.url(), PROJECT);
    hostId = api.registerServer("exporter-host", "127.0.0.1").path("hostId").asText();
    assertThat(hostId).isNotBlank();
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (nodeExporter != null) {
      nodeExporter.close();
    }
    fakes.forEach(FakeExporter::close);
  }

  @Test
  void theNodeExportersCpuRateIsQueryableUnderTheJobAndInstanceLabels() {
    String jobId = api.createJob("node", 1).path("jobId").asText();
    int port = nodeExporter.port();
    String targetId = api.createTarget(jobId, hostId, port, "the real node exporter");
    String instance = "127.0.0.1:" + port;

    awaitTarget(jobId, targetId, TargetHealth.OK, TargetHealth.UP);

    awaitNonEmpty("rate(node_cpu_seconds_total[10s])");
    JsonNode rates = api.query("rate(node_cpu_seconds_total[10s])");
    assertThat(rates).isNotEmpty();
    rates.forEach(
        series -> {
          assertLabels(series, "node", instance);
          assertThat(series.path("metric").path("mode").asText()).isNotEmpty();
          assertThat(ScrapeApi.value(series.path("value").path(1)))
              .as("%s", series)
              .isFinite()
              .isGreaterThanOrEqualTo(0);
        });

    // The range ends at a whole second, which may come before the second scrape: wait for it.
    Await.until("a range of rates", WAIT, () -> !cpuRates().isEmpty(), () -> cpuRates().toString());
    JsonNode ranges = cpuRates();
    ranges.forEach(
        series -> {
          assertLabels(series, "node", instance);
          assertThat(series.path("values")).as("%s", series).isNotEmpty();
          series
              .path("values")
              .forEach(
                  point ->
                      assertThat(ScrapeApi.value(point.path(1)))
                          .as("%s", series.path("metric"))
                          .isFinite()
                          .isGreaterThanOrEqualTo(0));
        });

    String up = "up{job=\"node\",instance=\"" + instance + "\"}";
    awaitNonEmpty(up);
    assertThat(api.query(up))
        .singleElement()
        .satisfies(
            series -> {
              assertLabels(series, "node", instance);
              assertThat(ScrapeApi.value(series.path("value").path(1))).isEqualTo(1.0);
            });
    String duration = "scrape_duration_seconds{job=\"node\"}";
    awaitNonEmpty(duration);
    assertThat(api.query(duration))
        .singleElement()
        .satisfies(
            series -> {
              assertLabels(series, "node", instance);
              assertThat(ScrapeApi.value(series.path("value").path(1)))
                  .isFinite()
                  .isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void failingTargetsAreDownWithTheirResultCodeAndReasonAndUpZero() {
    int closedPort = NodeExporter.freePort();
    FakeExporter status500 = fake(new Reply(500, "text/plain", "internal error"));
    FakeExporter garbage =
        fake(new Reply(200, "text/plain; version=0.0.4", "this is { not the text format\n"));
    String jobId = api.createJob("failing", 1).path("jobId").asText();
    String refusedId = api.createTarget(jobId, hostId, closedPort, "nothing listens");
    String status500Id = api.createTarget(jobId, hostId, status500.port(), "answers 500");
    String garbageId = api.createTarget(jobId, hostId, garbage.port(), "answers garbage");

    JsonNode refused =
        awaitTarget(jobId, refusedId, TargetHealth.CONNECTION_FAILED, TargetHealth.DOWN);
    assertThat(refused.path("failReason").asText()).containsIgnoringCase("refused");
    JsonNode answered500 =
        awaitTarget(jobId, status500Id, TargetHealth.HTTP_STATUS, TargetHealth.DOWN);
    assertThat(answered500.path("failReason").asText()).contains("500");
    JsonNode unparsable =
        awaitTarget(jobId, garbageId, TargetHealth.PARSE_ERROR, TargetHealth.DOWN);
    assertThat(unparsable.path("failReason").asText()).isNotBlank();
    System.out.printf(
        "fail reasons: refused: %s; 500: %s; garbage: %s%n",
        refused.path("failReason"), answered500.path("failReason"), unparsable.path("failReason"));

    Map<String, String> instances =
        Map.of(
            "127.0.0.1:" + closedPort, "refused",
            "127.0.0.1:" + status500.port(), "500",
            "127.0.0.1:" + garbage.port(), "garbage");
    String up = "up{job=\"failing\"}";
    Await.until(
        "up for the three failing targets",
        WAIT,
        () -> api.query(up).size() == instances.size(),
        () -> api.query(up).toString());
    api.query(up)
        .forEach(
            series -> {
              assertThat(instances).containsKey(series.path("metric").path("instance").asText());
              assertThat(series.path("metric").path("job").asText()).isEqualTo("failing");
              assertThat(ScrapeApi.value(series.path("value").path(1)))
                  .as("%s", series)
                  .isEqualTo(0.0);
            });
    // The listing shows the same health as the single target.
    JsonNode listed = api.targets(jobId).successBody();
    assertThat(listed).hasSize(3);
    listed.forEach(
        target -> {
          assertThat(target.path("mntrnStatCd").asText()).isEqualTo(TargetHealth.DOWN);
          assertThat(target.path("resultCd").asInt()).isNotEqualTo(TargetHealth.OK);
        });
  }

  @Test
  void deletingATargetOrItsJobStopsItsScrapes() throws Exception {
    FakeExporter ofTarget = fake(Reply.metrics());
    FakeExporter ofJob = fake(Reply.metrics());
    String keptJobId = api.createJob("deleted-target", 1).path("jobId").asText();
    String targetId = api.createTarget(keptJobId, hostId, ofTarget.port(), "deleted");
    String deletedJobId = api.createJob("deleted-job", 1).path("jobId").asText();
    String otherTargetId = api.createTarget(deletedJobId, hostId, ofJob.port(), "job deleted");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Await.until(
        "both exporters scraped twice",
        WAIT,
        () -> ofTarget.requests(loopback) >= 2 && ofJob.requests(loopback) >= 2,
        () -> ofTarget.requests() + " and " + ofJob.requests() + " requests");

    ScrapeApi.Envelope deletedTarget = api.deleteTarget(keptJobId, targetId);
    assertThat(deletedTarget.successBody().asText()).isEqualTo(targetId);
    ScrapeApi.Envelope deletedJob = api.deleteJob(deletedJobId);
    assertThat(deletedJob.successBody().asText()).isEqualTo(deletedJobId);
    long deletedAt = System.nanoTime();

    assertThat(api.target(keptJobId, targetId).resultCode())
        .isEqualTo(ResultCode.NOT_FOUND_TARGET.code());
    assertThat(api.targets(keptJobId).successBody()).isEmpty();
    assertThat(api.job(deletedJobId).resultCode()).isEqualTo(ResultCode.NOT_FOUND_JOB.code());
    assertThat(api.target(deletedJobId, otherTargetId).successful()).isFalse();

    // Absence can only be observed: the exporters stay silent for QUIET, within the wait.
    Await.until(
        "no scrape of the deleted target and job for " + QUIET,
        WAIT,
        quietFor(ofTarget, ofJob),
        () ->
            "last scrape "
                + Duration.ofNanos(System.nanoTime() - ofTarget.lastRequestNanos())
                + " and "
                + Duration.ofNanos(System.nanoTime() - ofJob.lastRequestNanos())
                + " ago");
    System.out.printf(
        "scrapes after the delete: the last one started %d ms and %d ms after the delete%n",
        (ofTarget.lastRequestNanos() - deletedAt) / 1_000_000,
        (ofJob.lastRequestNanos() - deletedAt) / 1_000_000);
  }

  /** The CPU rates over the last 30 seconds, one per second. */
  private JsonNode cpuRates() {
    long now = System.currentTimeMillis() / 1000;
    return api.queryRange("rate(node_cpu_seconds_total[10s])", now - 30, now, 1);
  }

  private static BooleanSupplier quietFor(FakeExporter... exporters) {
    return () -> {
      long now = System.nanoTime();
      for (FakeExporter exporter : exporters) {
        if (now - exporter.lastRequestNanos() < QUIET.toNanos()) {
          return false;
        }
      }
      return true;
    };
  }

  private FakeExporter fake(Reply reply) {
    FakeExporter exporter = FakeExporter.start("127.0.0.1", reply);
    fakes.add(exporter);
    return exporter;
  }

  /** Waits until the target shows {@code resultCd} and {@code mntrnStatCd}; answers it. */
  private JsonNode awaitTarget(String jobId, String targetId, int resultCd, String status) {
    Await.until(
        "target " + targetId + " with resultCd " + resultCd + " and " + status,
        WAIT,
        () -> {
          JsonNode target = api.target(jobId, targetId).successBody();
          return status.equals(target.path("mntrnStatCd").asText())
              && target.path("resultCd").isInt()
              && target.path("resultCd").asInt() == resultCd;
        },
        () -> api.target(jobId, targetId).raw());
    JsonNode target = api.target(jobId, targetId).successBody();
    assertThat(target.path("targetId").asText()).isEqualTo(targetId);
    if (resultCd == TargetHealth.OK) {
      assertThat(target.path("failReason").isNull() || target.path("failReason").isMissingNode())
          .as("failReason of an UP target: %s", target)
          .isTrue();
    } else {
      assertThat(target.path("failReason").asText()).as("%s", target).isNotBlank();
    }
    return target;
  }

  private void awaitNonEmpty(String promql) {
    Await.until(
        "series for " + promql,
        WAIT,
        () -> !api.query(promql).isEmpty(),
        () -> api.query(promql).toString());
  }

  private static void assertLabels(JsonNode series, String job, String instance) {
    assertThat(series.path("metric").path("job").asText()).as("%s", series).isEqualTo(job);
    assertThat(series.path("metric").path("instance").asText())
        .as("%s", series)
        .isEqualTo(instance);
  }
}
