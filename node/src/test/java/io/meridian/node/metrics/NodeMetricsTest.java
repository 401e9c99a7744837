package io.meridian.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.exposition.ExpositionParser;
import io.meridian.protocol.exposition.MetricFamily;
import io.meridian.protocol.exposition.MetricType;
import io.meridian.protocol.exposition.ParseResult;
import io.meridian.protocol.exposition.Sample;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each node's registry holds what its recorders counted, under the metric names and labels of the
 * shared contract, and exposes it in text that Prometheus' text and OpenMetrics parsers read.
 */
class NodeMetricsTest {

  @Test
  void recordedFactsAppearUnderTheContractsNamesAndLabels() {
    NodeMetrics metrics = new NodeMetrics();
    metrics.httpRequest("opentsdb", "/api/put", "POST", 204, 2_000_000);
    metrics.httpRequest("opentsdb", "/api/put", "POST", 204, 3_000_000);
    metrics.httpRequest("prometheus", "/prometheus/api/v1/query", "GET", 400, 1_000_000);
    metrics.unavailable("overload");
    metrics.samplesIngested(NodeMetrics.OPENTSDB).inc(12);
    metrics.journalWrites().observe(0.004);
    metrics.scraped(true, 0.2);
    metrics.scraped(false, 1.5);
    metrics.series().held("p1-0", "p1", 5);
    metrics.series().held("p1-1", "p1", 7);
    metrics.series().held("p2-0", "p2", 1);
    metrics.series().released("p2-0");
    metrics.sharding(new ShardCensus.Counts(Map.of("SeriesGroup", 3), Map.of("SeriesGroup", 9)));

    List<MetricFamily> families = parse(MetricsExposition.text(metrics));

    assertThat(
            value(
                families,
                "meridian_http_requests_total",
                Map.of(
                    "family", "opentsdb", "route", "/api/put", "method", "POST", "status", "204")))
        .contains(2.0);
    assertThat(
            value(
                families,
                "meridian_http_request_duration_seconds_count",
                Map.of("family", "opentsdb", "route", "/api/put")))
        .contains(2.0);
    assertThat(
            value(
                families,
                "meridian_http_request_duration_seconds_bucket",
                Map.of("family", "opentsdb", "route", "/api/put", "le", "0.005")))
        .contains(2.0);
    assertThat(value(families, "meridian_http_unavailable_total", Map.of("cause", "overload")))
        .contains(1.0);
    assertThat(value(families, "meridian_samples_ingested_total", Map.of("family", "opentsdb")))
        .contains(12.0);
    assertThat(value(families, "meridian_journal_write_duration_seconds_count", Map.of()))
        .contains(1.0);
    assertThat(value(families, "meridian_scrapes_total", Map.of("result", "ok"))).contains(1.0);
    assertThat(value(families, "meridian_scrapes_total", Map.of("result", "failed"))).contains(1.0);
    assertThat(value(families, "meridian_scrape_duration_seconds_sum", Map.of())).contains(1.7);
    assertThat(value(families, "meridian_series", Map.of("project", "p1"))).contains(12.0);
    assertThat(value(families, "meridian_series", Map.of("project", "p2"))).isEmpty();
    assertThat(value(families, "meridian_shards", Map.of("type", "SeriesGroup"))).contains(3.0);
    assertThat(value(families, "meridian_entities", Map.of("type", "SeriesGroup"))).contains(9.0);
    assertThat(type(families, "meridian_http_request_duration_seconds"))
        .isEqualTo(MetricType.HISTOGRAM);
    assertThat(type(families, "meridian_series")).isEqualTo(MetricType.GAUGE);
    assertThat(families).extracting(MetricFamily::name).contains("jvm_memory_used_bytes");
  }

  @Test
  void everyNodeHasARegistryOfItsOwn() {
    NodeMetrics a = new NodeMetrics();
    NodeMetrics b = new NodeMetrics();
    a.unavailable("timeout");

    assertThat(value(parse(MetricsExposition.text(a)), "meridian_http_unavailable_total", cause()))
        .contains(1.0);
    assertThat(value(parse(MetricsExposition.text(b)), "meridian_http_unavailable_total", cause()))
        .isEmpty();
    // The JVM's metrics are in both, registered once.
    assertThat(parse(MetricsExposition.text(b)))
        .extracting(MetricFamily::name)
        .contains("jvm_threads_current");
  }

  @Test
  void openMetricsIsWrittenWhenAcceptedAndTextOtherwise() {
    NodeMetrics metrics = new NodeMetrics();
    metrics.samplesIngested(NodeMetrics.TELNET).inc();

    MetricsExposition.Body openMetrics =
        MetricsExposition.of(metrics, "application/openmetrics-text;version=1.0.0,*/*;q=0.1");
    assertThat(openMetrics.contentType()).startsWith("application/openmetrics-text");
    assertThat(new String(openMetrics.bytes(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    assertThat(value(parse(openMetrics), "meridian_samples_ingested_total", telnet()))
        .contains(1.0);

    for (String accept :
        new String[] {
          null,
          "text/plain",
          "*/*",
          // Prometheus preferring protobuf, which is not offered: its next choice is text.
          "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
              + "encoding=delimited;q=0.6,text/plain;version=0.0.4;q=0.5"
        }) {
      MetricsExposition.Body text = MetricsExposition.of(metrics, accept);
      assertThat(text.contentType()).as(accept).startsWith("text/plain; version=0.0.4");
      assertThat(value(parse(text), "meridian_samples_ingested_total", telnet())).contains(1.0);
    }
  }

  private static Map<String, String> cause() {
    return Map.of("cause", "timeout");
  }

  private static Map<String, String> telnet() {
    return Map.of("family", "telnet");
  }

  static List<MetricFamily> parse(MetricsExposition.Body body) {
    ParseResult result =
        ExpositionParser.parse(
            new String(body.bytes(), StandardCharsets.UTF_8), body.contentType(), 0);
    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).families();
  }

  static Optional<Double> value(
      List<MetricFamily> families, String sample, Map<String, String> labels) {
    return families.stream()
        .flatMap(family -> family.samples().stream())
        .filter(s -> s.name().equals(sample) && s.labels().equals(labels))
        .map(Sample::value)
        .findFirst();
  }

  private static MetricType type(List<MetricFamily> families, String name) {
    return families.stream()
        .filter(family -> family.name().equals(name))
        .findFirst()
        .orElseThrow()
        .type();
  }
}
