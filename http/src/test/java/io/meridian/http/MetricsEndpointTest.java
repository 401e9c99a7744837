package io.meridian.http;

import static io.meridian.http.testing.InMemoryNode.point;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.http.testing.InMemoryNode;
import io.meridian.http.testing.LineClient;
import io.meridian.protocol.exposition.ExpositionParser;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.ParseResult;
import io.meridian.protocol.exposition.Sample;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on the API port shows what the node answered (ok, refused, shed by overload) by
 * family, route template, method and status, its 503s by cause, the samples it stored and its
 * series, shards and entities, in text that Prometheus' parsers read.
 */
class MetricsEndpointTest {

  private static final String OPENMETRICS = "application/openmetrics-text;version=1.0.0";

  private static InMemoryNode node;

  @BeforeAll
  static void start() {
    node =
        InMemoryNode.start(
            "MetricsEndpointTest",
            "meridian.http.overload.max-requests-in-flight = 1\n"
                // Also how often the shard and entity counts are refreshed.
                + "meridian.self-monitoring.interval = 1s\n");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void answeredRequestsAreCountedByFamilyRouteMethodStatusAndCause() {
    assertThat(node.send("GET", "/api/version", null).statusCode()).isEqualTo(200);
    assertThat(node.send("POST", "/api/put", "{not json").statusCode()).isEqualTo(400);
    try (LineClient held = new LineClient(node.hostAndPort())) {
      // A put whose body is sent only partly stays in flight: the next request is shed.
      String body = point("metrics.endpoint", 1700000000, "1");
      held.send(
          "POST /api/put HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length()
              + "\r\n\r\n"
              + body.charAt(0));
      await("the held put admitted", () -> inFlight() == 1);
      assertThat(node.send("GET", "/api/version", null).statusCode()).isEqualTo(503);
      held.send(body.substring(1));
      assertThat(held.readHttpResponse().status()).isEqualTo(204);
    }
    await("the held put released", () -> inFlight() == 0);

    List<MetricFamily> metrics = metrics(null);
    assertThat(value(metrics, "meridian_http_requests_total", opentsdb("/api/version", "GET", 200)))
        .contains(1.0);
    assertThat(value(metrics, "meridian_http_requests_total", opentsdb("/api/version", "GET", 503)))
        .contains(1.0);
    assertThat(value(metrics, "meridian_http_requests_total", opentsdb("/api/put", "POST", 400)))
        .contains(1.0);
    assertThat(value(metrics, "meridian_http_requests_total", opentsdb("/api/put", "POST", 204)))
        .contains(1.0);
    assertThat(
            value(
                metrics,
                "meridian_http_request_duration_seconds_count",
                Map.of("family", "opentsdb", "route", "/api/put")))
        .contains(2.0);
    assertThat(value(metrics, "meridian_http_unavailable_total", Map.of("cause", "overload")))
        .contains(1.0);
    assertThat(value(metrics, "meridian_samples_ingested_total", Map.of("family", "opentsdb")))
        .contains(1.0);
    assertThat(value(metrics, "meridian_journal_write_duration_seconds_count", Map.of()))
        .hasValueSatisfying(count -> assertThat(count).isGreaterThanOrEqualTo(1));

    await(
        "the series, shard and entity counts",
        () -> {
          List<MetricFamily> now = metrics(null);
          return value(now, "meridian_series", Map.of("project", "default")).orElse(0.0) == 1
              && value(now, "meridian_shards", Map.of("type", "SeriesGroup")).orElse(0.0) >= 1
              && value(now, "meridian_entities", Map.of("type", "SeriesGroup")).orElse(0.0) >= 1;
        });
  }

  @Test
  void routesAreTemplatesAndUnknownPathsOther() {
    assertThat(node.send("GET", "/prometheus/projects/templated/api/v1/labels", null).statusCode())
        .isEqualTo(200);
    assertThat(node.send("GET", "/no/such/path/42", null).statusCode()).isEqualTo(404);

    List<MetricFamily> metrics = metrics(null);
    assertThat(
            value(
                metrics,
                "meridian_http_requests_total",
                Map.of(
                    "family",
                    "prometheus",
                    "route",
                    "/prometheus/projects/{project}/api/v1/labels",
                    "method",
                    "GET",
                    "status",
                    "200")))
        .contains(1.0);
    assertThat(
            value(
                metrics,
                "meridian_http_requests_total",
                Map.of("family", "other", "route", "other", "method", "GET", "status", "404")))
        .contains(1.0);
    assertThat(samples(metrics, s -> s.labels().getOrDefault("route", "").contains("templated")))
        .isEmpty();
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() {
    HttpResponse<String> response = node.send("GET", "/metrics", null, "Accept", OPENMETRICS);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/openmetrics-text");
    assertThat(response.body()).endsWith("# EOF\n");
    assertThat(parse(response)).extracting(MetricFamily::name).contains("jvm_memory_used_bytes");
  }

  private static Map<String, String> opentsdb(String route, String method, int status) {
    return Map.of(
        "family", "opentsdb", "route", route, "method", method, "status", Integer.toString(status));
  }

  private static long inFlight() {
    return ApiStats.get(node.node().system()).snapshot().stream()
        .filter(s -> s.metric().equals(OverloadGuard.INFLIGHT_REQUESTS))
        .mapToLong(ApiStats.Stat::value)
        .sum();
  }

  /** The node's metrics as {@code /metrics} answers them (Prometheus text without accept). */
  static List<MetricFamily> metrics(String accept) {
    HttpResponse<String> response =
        accept == null
            ? node.send("GET", "/metrics", null)
            : node.send("GET", "/metrics", null, "Accept", accept);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    return parse(response);
  }

  static List<MetricFamily> parse(HttpResponse<String> response) {
    ParseResult result =
        ExpositionParser.parse(
            response.body(), response.headers().firstValue("Content-Type").orElse(null), 0);
    assertThat(result).as(result.toString()).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).families();
  }

  static Optional<Double> value(
      List<MetricFamily> families, String sample, Map<String, String> labels) {
    return samples(families, s -> s.name().equals(sample) && s.labels().equals(labels)).stream()
        .map(Sample::value)
        .findFirst();
  }

  private static List<Sample> samples(List<MetricFamily> families, Predicate<Sample> filter) {
    return families.stream().flatMap(f -> f.samples().stream()).filter(filter).toList();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
