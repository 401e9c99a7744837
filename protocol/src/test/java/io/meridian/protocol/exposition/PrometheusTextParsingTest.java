package io.meridian.protocol.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Prometheus text format is read leniently, as Prometheus' own parser does, and is the default
 * when the Content-Type does not name OpenMetrics.
 */
class PrometheusTextParsingTest {

  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private static final String NODE_EXPORTER =
      """
      # HELP go_gc_duration_seconds A summary of the pause duration of garbage collection cycles.
      # TYPE go_gc_duration_seconds summary
      go_gc_duration_seconds{quantile="0"} 2.3e-05
      go_gc_duration_seconds{quantile="0.5"} 4.1e-05
      go_gc_duration_seconds{quantile="1"} 0.000912
      go_gc_duration_seconds_sum 0.0421
      go_gc_duration_seconds_count 812
      # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
      # TYPE node_cpu_seconds_total counter
      node_cpu_seconds_total{cpu="0",mode="idle"} 103211.78
      node_cpu_seconds_total{cpu="0",mode="user"} 2113.5
      # HELP node_network_receive_bytes Network device statistic receive_bytes.
      # TYPE node_network_receive_bytes counter
      node_network_receive_bytes{device="eth0"} 1.2345678e+09
      # HELP node_filesystem_avail_bytes Filesystem space available.\\nIn bytes.
      # TYPE node_filesystem_avail_bytes gauge
      node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 4.2e+10
      # A free comment that is ignored.
      node_scrape_collector_success{collector="cpu"} 1

      # HELP http_request_duration_seconds Request latency.
      # TYPE http_request_duration_seconds histogram
      http_request_duration_seconds_bucket{le="0.05"} 24054
      http_request_duration_seconds_bucket{le="0.1"} 33444
      http_request_duration_seconds_bucket{le="+Inf"} 144320
      http_request_duration_seconds_sum 53423
      http_request_duration_seconds_count 144320
      node_boot_time_seconds 1.7e+09 1395066363000
      node_weird{path="C:\\\\dir",msg="say \\"hi\\"\\nbye"} NaN
      """;

  @Test
  void aNodeExporterBodyYieldsTypedFamiliesWithTheirSamples() {
    ParseResult result = ExpositionParser.parse(NODE_EXPORTER, TEXT, 1_000L);

    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    List<MetricFamily> families = ((ParseResult.Parsed) result).families();
    assertThat(families)
        .extracting(MetricFamily::name, MetricFamily::type)
        .containsExactly(
            tuple("go_gc_duration_seconds", MetricType.SUMMARY),
            tuple("node_cpu_seconds_total", MetricType.COUNTER),
            tuple("node_network_receive_bytes", MetricType.COUNTER),
            tuple("node_filesystem_avail_bytes", MetricType.GAUGE),
            tuple("node_scrape_collector_success", MetricType.UNTYPED),
            tuple("http_request_duration_seconds", MetricType.HISTOGRAM),
            tuple("node_boot_time_seconds", MetricType.UNTYPED),
            tuple("node_weird", MetricType.UNTYPED));

    MetricFamily gc = families.get(0);
    assertThat(gc.help())
        .isEqualTo("A summary of the pause duration of garbage collection cycles.");
    assertThat(gc.samples())
        .extracting(Sample::name)
        .containsExactly(
            "go_gc_duration_seconds",
            "go_gc_duration_seconds",
            "go_gc_duration_seconds",
            "go_gc_duration_seconds_sum",
            "go_gc_duration_seconds_count");
    assertThat(gc.samples().get(1))
        .isEqualTo(
            new Sample(
                "go_gc_duration_seconds",
                Map.of("quantile", "0.5"),
                4.1e-05,
                OptionalLong.empty()));
    assertThat(families.get(2).samples().get(0).value()).isEqualTo(1.2345678e+09);
    assertThat(families.get(3).help()).isEqualTo("Filesystem space available.\nIn bytes.");
    assertThat(families.get(3).samples().get(0).labels().keySet())
        .containsExactly("device", "fstype", "mountpoint");
    assertThat(families.get(5).samples())
        .extracting(Sample::name)
        .containsExactly(
            "http_request_duration_seconds_bucket",
            "http_request_duration_seconds_bucket",
            "http_request_duration_seconds_bucket",
            "http_request_duration_seconds_sum",
            "http_request_duration_seconds_count");
    assertThat(families.get(5).samples().get(2).labels()).containsEntry("le", "+Inf");
    Sample boot = families.get(6).samples().get(0);
    assertThat(boot.timestampMs()).hasValue(1395066363000L);
    assertThat(families.get(0).samples().get(0).timestampOr(1_000L)).isEqualTo(1_000L);
    Sample weird = families.get(7).samples().get(0);
    assertThat(weird.labels())
        .containsEntry("path", "C:\\dir")
        .containsEntry("msg", "say \"hi\"\nbye");
    assertThat(weird.value()).isNaN();
  }

  @Test
  void openMetricsTimestampsAreFloatSecondsConvertedToMilliseconds() {
    ParseResult result =
        ExpositionParser.parse(
            "a 1 1.5\nb -Inf 1395066363.001\n# EOF\n", "application/openmetrics-text", 0);

    List<MetricFamily> families = ((ParseResult.Parsed) result).families();
    assertThat(families.get(0).samples().get(0).timestampMs()).hasValue(1500L);
    assertThat(families.get(1).samples().get(0).timestampMs()).hasValue(1395066363001L);
    assertThat(families.get(1).samples().get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(families.get(1).type()).isEqualTo(MetricType.UNKNOWN);
  }

  @Test
  void aMissingOrForeignContentTypeMeansPrometheusText() {
    assertThat(ExpositionFormat.fromContentType(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.fromContentType("application/json"))
        .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    assertThat(ExpositionFormat.fromContentType("Application/OpenMetrics-Text; version=1.0.0"))
        .isEqualTo(ExpositionFormat.OPENMETRICS);
    assertThat(ExpositionParser.parse("a 1\n", null, 0)).isInstanceOf(ParseResult.Parsed.class);
  }

  @Test
  void aFailureNamesTheLine() {
    assertThat(ExpositionParser.parse("a 1\nb{c=\"d} 1\n", TEXT, 0))
        .isEqualTo(new ParseResult.Failed(2, "line 2: unterminated label value"));
  }

  /** The input of Prometheus' own {@code TestPromParse} (model/textparse/promparse_test.go). */
  private static final String PROMPARSE_TEST_INPUT =
      "# HELP go_gc_duration_seconds A summary of the GC invocation durations.\n"
          + "# \tTYPE go_gc_duration_seconds summary\n"
          + "go_gc_duration_seconds{quantile=\"0\"} 4.9351e-05\n"
          + "go_gc_duration_seconds{quantile=\"0.25\",} 7.424100000000001e-05\n"
          + "go_gc_duration_seconds{quantile=\"0.5\",a=\"b\"} 8.3835e-05\n"
          + "go_gc_duration_seconds{quantile=\"0.8\", a=\"b\"} 8.3835e-05\n"
          + "go_gc_duration_seconds{ quantile=\"0.9\", a=\"b\"} 8.3835e-05\n"
          + "# Hrandom comment starting with prefix of HELP\n"
          + "#\n"
          + "wind_speed{A=\"2\",c=\"3\"} 12345\n"
          + "# comment with escaped \\n newline\n"
          + "# comment with escaped \\ escape character\n"
          + "# HELP nohelp1\n"
          + "# HELP nohelp2 \n"
          + "go_gc_duration_seconds{ quantile=\"1.0\", a=\"b\" } 8.3835e-05\n"
          + "go_gc_duration_seconds { quantile=\"1.0\", a=\"b\" } 8.3835e-05\n"
          + "go_gc_duration_seconds { quantile= \"1.0\", a= \"b\", } 8.3835e-05\n"
          + "go_gc_duration_seconds { quantile = \"1.0\", a = \"b\" } 8.3835e-05\n"
          + "go_gc_duration_seconds_count 99\n"
          + "some:aggregate:rate5m{a_b=\"c\"}\t1\n"
          + "# HELP go_goroutines Number of goroutines that currently exist.\n"
          + "# TYPE go_goroutines gauge\n"
          + "go_goroutines 33  \t123123\n"
          + "_metric_starting_with_underscore 1\n"
          + "testmetric{_label_starting_with_underscore=\"foo\"} 1\n"
          + "testmetric{label=\"\\\"bar\\\"\"} 1"
          + "\n# HELP metric foo\u0000bar"
          + "\nnull_byte_metric{a=\"abc\u0000\"} 1";

  @Test
  void prometheusOwnParserTestInputParsesTheSameWay() {
    ParseResult result = ExpositionParser.parse(PROMPARSE_TEST_INPUT, TEXT, 0);

    List<MetricFamily> families = ((ParseResult.Parsed) result).families();
    MetricFamily gc = families.get(0);
    assertThat(gc.type()).isEqualTo(MetricType.SUMMARY);
    assertThat(gc.samples()).hasSize(10);
    assertThat(gc.samples().get(9).name()).isEqualTo("go_gc_duration_seconds_count");
    assertThat(gc.samples().get(8).labels())
        .containsExactly(entry("quantile", "1.0"), entry("a", "b"));
    assertThat(families)
        .filteredOn(f -> f.name().equals("go_goroutines"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.type()).isEqualTo(MetricType.GAUGE);
              assertThat(f.samples().get(0).timestampMs()).hasValue(123123L);
            });
    assertThat(families)
        .filteredOn(f -> f.name().equals("metric"))
        .singleElement()
        .extracting(MetricFamily::help)
        .isEqualTo("foo\u0000bar");
    assertThat(families)
        .flatExtracting(MetricFamily::samples)
        .extracting(Sample::name)
        .contains(
            "wind_speed",
            "some:aggregate:rate5m",
            "_metric_starting_with_underscore",
            "testmetric",
            "null_byte_metric");
    assertThat(families)
        .filteredOn(f -> f.name().equals("testmetric"))
        .flatExtracting(MetricFamily::samples)
        .extracting(sample -> sample.labels().values().iterator().next())
        .containsExactly("foo", "\"bar\"");
  }

  static Stream<Arguments> lenientBodies() {
    return Stream.of(
        Arguments.of("empty body", ""),
        Arguments.of("blank lines", "\n\na 1\n\n"),
        Arguments.of("no trailing newline", "a 1"),
        Arguments.of("crlf line ends", "a 1\r\nb 2\r\n"),
        Arguments.of("free comments", "# hello\n#\n# HELPx\na 1\n"),
        Arguments.of("tabs and spaces", " \ta\t{ b = \"c\" , }\t 1 \t 123 \n"),
        Arguments.of("trailing comma", "a{b=\"c\",} 1\n"),
        Arguments.of("untyped type", "# TYPE a untyped\na 1\n"),
        Arguments.of("help with unknown escape", "# HELP a x\\ty\na 1\n"),
        Arguments.of("label with unknown escape", "a{x=\"\\t\"} 1\n"),
        Arguments.of("negative timestamp", "a 1 -5\n"),
        Arguments.of("signed nan", "a -NaN\n"),
        Arguments.of("non-contiguous samples", "a 1\nb 1\na{x=\"y\"} 2\n"),
        Arguments.of("help without text", "# HELP a\na 1\n"),
        Arguments.of("reserved label name", "a{__name__=\"b\"} 1\n"),
        Arguments.of("null byte in label value", "a{b=\"\u0000ss\"} 1\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lenientBodies")
  void lenientBodiesParse(String name, String body) {
    assertThat(ExpositionParser.parse(body, TEXT, 0)).isInstanceOf(ParseResult.Parsed.class);
  }

  static Stream<Arguments> malformedBodies() {
    return Stream.of(
        Arguments.of("float timestamp", "a 1 1.5\n", "invalid timestamp"),
        Arguments.of("text after timestamp", "a 1 2 3\n", "after the timestamp"),
        Arguments.of("missing value", "a\n", "space before the value"),
        Arguments.of("bad value", "a one\n", "invalid value"),
        Arguments.of("bad metric name", "1a 1\n", "invalid metric name"),
        Arguments.of("bad label name", "a{1=\"x\"} 1\n", "invalid label name"),
        Arguments.of("duplicate label", "a{x=\"1\",x=\"2\"} 1\n", "duplicate label name"),
        Arguments.of("unknown type", "# TYPE a gaugehistogram\n", "invalid metric type"),
        Arguments.of("second help", "# HELP a x\n# HELP a y\n", "second HELP"),
        Arguments.of("second type", "# TYPE a gauge\n# TYPE a gauge\n", "second TYPE"),
        Arguments.of("type after samples", "a 1\n# TYPE a gauge\n", "TYPE after samples"),
        Arguments.of("bad help name", "# HELP 1a x\n", "invalid metric name"),
        // From Prometheus' TestPromParseErrors and TestPromNullByteHandling.
        Arguments.of("promparse: name only", "a", "space before the value"),
        Arguments.of("promparse: single quotes", "a{b='c'} 1\n", "label value"),
        Arguments.of("promparse: no label value", "a{b=\n", "label value"),
        Arguments.of("promparse: bad label name", "a{\u00ff=\"foo\"} 1\n", "invalid label name"),
        Arguments.of("promparse: word value", "a true\n", "invalid value"),
        Arguments.of("promparse: open value", "something_weird{problem=\"", "unterminated"),
        Arguments.of("promparse: empty label name", "empty_label_name{=\"\"} 0", "label name"),
        Arguments.of("promparse: underscore value", "foo 1_2\n", "invalid value"),
        Arguments.of("promparse: hex float", "foo 0x1p-3\n", "invalid value"),
        Arguments.of("promparse: hex float upper", "foo 0x1P-3\n", "invalid value"),
        Arguments.of("promparse: underscore timestamp", "foo 0 1_2\n", "invalid timestamp"),
        Arguments.of("promparse: null before value", "a{b=\u0000\"ssss\"} 1\n", "label value"),
        Arguments.of("promparse: open null value", "a{b=\"\u0000", "unterminated"),
        Arguments.of("promparse: null in label name", "a{b\u0000=\"hiih\"}\t1", "'='"),
        Arguments.of("promparse: null in metric name", "a\u0000{b=\"ddd\"} 1", "value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedBodies")
  void malformedBodiesAreRejected(String name, String body, String reason) {
    assertThat(ExpositionParser.parse(body, TEXT, 0))
        .isInstanceOfSatisfying(
            ParseResult.Failed.class, failed -> assertThat(failed.failReason()).contains(reason));
  }
}
