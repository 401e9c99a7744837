package io.meridian.protocol.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases written from the OpenMetrics 1.0 specification, next to the suite's own cases in {@link
 * OpenMetricsParserSuiteTest}: valid expositions parse, malformed ones are rejected with a reason
 * naming the problem.
 */
class OpenMetricsConformanceTest {

  private static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static Arguments ok(String name, String body) {
    return Arguments.of(name, body);
  }

  private static Arguments bad(String name, String body, String reason) {
    return Arguments.of(name, body, reason);
  }

  static Stream<Arguments> validExpositions() {
    return Stream.of(
        ok("simple_gauge", "# TYPE a gauge\na 1\n# EOF\n"),
        ok("simple_unknown", "a 1\n# EOF\n"),
        ok("no_newline_after_eof", "a 1\n# EOF"),
        ok("empty_exposition", "# EOF\n"),
        ok("counter_with_created", "# TYPE a counter\na_total 1\na_created 123.5\n# EOF\n"),
        ok(
            "simple_histogram",
            "# TYPE a histogram\na_bucket{le=\"1.0\"} 0\na_bucket{le=\"+Inf\"} 3\n"
                + "a_count 3\na_sum 2\n# EOF\n"),
        ok(
            "histogram_with_created",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 3\na_count 3\na_sum 2\na_created 1\n"
                + "# EOF\n"),
        ok("histogram_only_inf_bucket", "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0\n# EOF\n"),
        ok(
            "histogram_negative_buckets_without_sum",
            "# TYPE a histogram\na_bucket{le=\"-1.0\"} 0\na_bucket{le=\"1e-2\"} 1\n"
                + "a_bucket{le=\"+Inf\"} 3\n# EOF\n"),
        ok(
            "spec_metric_points_in_timestamp_order",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\n"
                + "foo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_sum{a=\"bb\"} 0 123\n"
                + "foo_seconds_count{a=\"bb\"} 0 456\nfoo_seconds_sum{a=\"bb\"} 0 456\n"
                + "foo_seconds_count{a=\"ccc\"} 0 123\nfoo_seconds_sum{a=\"ccc\"} 0 123\n"
                + "foo_seconds_count{a=\"ccc\"} 0 456\nfoo_seconds_sum{a=\"ccc\"} 0 456\n# EOF\n"),
        ok(
            "histogram_with_two_metric_points",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"1\"} 1 10\n"
                + "a_bucket{le=\"+Inf\"} 2 10\n"
                + "a_count 2 10\n"
                + "a_sum 3 10.0\n"
                + "a_bucket{le=\"1\"} 1 20\n"
                + "a_bucket{le=\"+Inf\"} 5 20\n"
                + "a_count 5 20\n"
                + "a_sum 9 20\n"
                + "# EOF\n"),
        ok("gauge_points_with_equal_and_rising_timestamps", "a 1 1\na 2 2\nb 1 1\n# EOF\n"),
        ok("single_underscore_label", "a{_b=\"c\"} 1\n# EOF\n"),
        ok(
            "histogram_labels",
            "# TYPE a histogram\n"
                + "a_bucket{x=\"1\",le=\"+Inf\"} 1\n"
                + "a_count{x=\"1\"} 1\n"
                + "a_sum{x=\"1\"} 1\n"
                + "a_bucket{x=\"2\",le=\"+Inf\"} 2\n"
                + "a_count{x=\"2\"} 2\n"
                + "a_sum{x=\"2\"} 2\n"
                + "# EOF\n"),
        ok(
            "simple_gaugehistogram",
            "# TYPE a gaugehistogram\na_bucket{le=\"1.0\"} 0\na_bucket{le=\"+Inf\"} 3\n"
                + "a_gcount 3\na_gsum 2\n# EOF\n"),
        ok(
            "gaugehistogram_negative_gsum_with_negative_buckets",
            "# TYPE a gaugehistogram\na_bucket{le=\"-1\"} 1\na_bucket{le=\"+Inf\"} 3\n"
                + "a_gcount 3\na_gsum -2\n# EOF\n"),
        ok(
            "simple_summary",
            "# TYPE a summary\na{quantile=\"0.5\"} 1\na{quantile=\"1\"} 2\na_count 1\n"
                + "a_sum 2\n# EOF\n"),
        ok("summary_only_count", "# TYPE a summary\na_count 1\na_sum 2\n# EOF\n"),
        ok("summary_nan_quantile", "# TYPE a summary\na{quantile=\"0.99\"} NaN\n# EOF\n"),
        ok("simple_info", "# TYPE a info\na_info{foo=\"bar\"} 1\n# EOF\n"),
        ok("simple_stateset", "# TYPE a stateset\na{a=\"bar\"} 0\na{a=\"foo\"} 1.0\n# EOF\n"),
        ok("unit_suffix", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\na_seconds 1\n# EOF\n"),
        ok("empty_unit", "# UNIT a \na 1\n# EOF\n"),
        ok("help_escaping", "# HELP a He\\\\lp\\n\\\"x\n# TYPE a gauge\na 1\n# EOF\n"),
        ok("empty_help", "# HELP a \na 1\n# EOF\n"),
        ok("metadata_without_samples", "# TYPE a counter\n# HELP a help\n# TYPE b gauge\n# EOF\n"),
        ok("label_escaping", "a{foo=\"b\\\\a\\\"r\\nq\"} 1\n# EOF\n"),
        ok("empty_label_set", "a{} 1\n# EOF\n"),
        ok("empty_label_value", "a{foo=\"\"} 1\n# EOF\n"),
        ok("label_value_with_braces", "a{foo=\"}{, =\"} 1\n# EOF\n"),
        ok("utf8_label_value", "a{foo=\"\u00e9\u4e16\u754c\"} 1\n# EOF\n"),
        ok("colon_in_name", "a:b 1\n# EOF\n"),
        ok("float_values", "a 1.5e3\nb -0.5\nc .5\nd 5.\n# EOF\n"),
        ok("special_values", "a NaN\nb +Inf\nc -Inf\nd inf\ne -infinity\n# EOF\n"),
        ok("integer_timestamp", "a 1 123\n# EOF\n"),
        ok("float_timestamp", "a 1 123.456\n# EOF\n"),
        ok("negative_timestamp", "a 1 -1.5\n# EOF\n"),
        ok("timestamps_in_two_families", "# TYPE a gauge\na 1 1\nb 1 1\n# EOF\n"),
        ok("counter_exemplar", "# TYPE a counter\na_total 1 # {a=\"b\"} 0.5\n# EOF\n"),
        ok(
            "counter_exemplar_with_timestamp",
            "# TYPE a counter\na_total 1 123 # {a=\"b\"} 0.5 123.5\n# EOF\n"),
        ok(
            "histogram_exemplars",
            "# TYPE a histogram\na_bucket{le=\"1\"} 0 # {a=\"b\"} 0.5\n"
                + "a_bucket{le=\"+Inf\"} 3 # {} 4\n# EOF\n"),
        ok(
            "exemplar_cjk_chars",
            "# TYPE a counter\na_total 1 # {id=\"" + "\u4e16".repeat(62) + "\"} 1\n# EOF\n"),
        ok(
            "several_families",
            "# HELP a help\n# TYPE a counter\na_total{x=\"1\"} 1\na_total{x=\"2\"} 2\n"
                + "# TYPE b gauge\nb 2\nc 3\n# EOF\n"));
  }

  static Stream<Arguments> malformedExpositions() {
    return Stream.of(
        bad("bad_missing_eof", "a 1\n", "missing # EOF"),
        bad(
            "bad_spec_interleaved_metric_points",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\n"
                + "foo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_count{a=\"bb\"} 0 456\n"
                + "foo_seconds_sum{a=\"bb\"} 0 123\nfoo_seconds_sum{a=\"bb\"} 0 456\n# EOF\n",
            "go backwards"),
        bad(
            "bad_spec_interleaved_metrics",
            "# TYPE foo_seconds summary\n# UNIT foo_seconds seconds\n"
                + "foo_seconds_count{a=\"bb\"} 0 123\nfoo_seconds_count{a=\"ccc\"} 0 123\n"
                + "foo_seconds_count{a=\"bb\"} 0 456\nfoo_seconds_count{a=\"ccc\"} 0 456\n# EOF\n",
            "not contiguous"),
        bad(
            "bad_histogram_sum_with_negative_buckets",
            "# TYPE a histogram\na_bucket{le=\"-1.0\"} 0\na_bucket{le=\"+Inf\"} 3\n"
                + "a_count 3\na_sum 2\n# EOF\n",
            "must not have a sum"),
        bad(
            "bad_gaugehistogram_negative_gsum",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 3\na_gcount 3\na_gsum -2\n# EOF\n",
            "negative but no bucket is"),
        bad(
            "bad_histogram_fractional_bucket",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 2.5\n# EOF\n",
            "integer count"),
        bad("bad_summary_sum_nan", "# TYPE a summary\na_sum NaN\n# EOF\n", "non-negative"),
        bad(
            "bad_summary_negative_quantile_value",
            "# TYPE a summary\na{quantile=\"0.5\"} -1\n# EOF\n",
            "must not be negative"),
        bad("bad_same_timestamp_twice", "a 1 1\na 2 1.0\n# EOF\n", "duplicate sample"),
        bad("bad_reserved_label", "a{__name__=\"b\"} 1\n# EOF\n", "reserved"),
        bad(
            "bad_reserved_exemplar_label",
            "# TYPE a counter\na_total 1 # {__x=\"b\"} 1\n# EOF\n",
            "reserved"),
        bad("bad_info_unit", "# TYPE a_u info\n# UNIT a_u u\n# EOF\n", "must not have a unit"),
        bad(
            "bad_clashing_family",
            "# TYPE a_total gauge\na_total 1\n# TYPE a counter\na_total 1\n# EOF\n",
            "clashes with a_total"),
        bad(
            "bad_exemplar_combining_chars",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {a=\""
                + "O\u031b\u0338\u0321".repeat(33)
                + "\"} 1 1\n# EOF\n",
            "exceed 128"),
        bad("bad_empty_body", "", "missing # EOF"),
        bad("bad_text_after_eof", "a 1\n# EOF\nb 1\n", "after # EOF"),
        bad("bad_blank_line_after_eof", "a 1\n# EOF\n\n", "after # EOF"),
        bad("bad_eof_not_last", "# EOF\na 1\n# EOF\n", "after # EOF"),
        bad("bad_blank_line", "a 1\n\nb 1\n# EOF\n", "blank lines"),
        bad("bad_leading_blank_line", "\na 1\n# EOF\n", "blank lines"),
        bad("bad_comment", "# a comment\na 1\n# EOF\n", "invalid comment"),
        bad("bad_hash_without_space", "#TYPE a gauge\na 1\n# EOF\n", "space after '#'"),
        bad("bad_lowercase_eof", "a 1\n# eof\n", "invalid comment"),
        bad("bad_type_unknown", "# TYPE a meh\na 1\n# EOF\n", "invalid metric type"),
        bad("bad_type_untyped", "# TYPE a untyped\na 1\n# EOF\n", "invalid metric type"),
        bad("bad_type_empty", "# TYPE a \na 1\n# EOF\n", "invalid metric type"),
        bad("bad_type_trailing_space", "# TYPE a gauge \na 1\n# EOF\n", "invalid metric type"),
        bad("bad_type_missing", "# TYPE a\na 1\n# EOF\n", "space after the metric name"),
        bad("bad_help_missing_space", "# HELP a\na 1\n# EOF\n", "space after the metric name"),
        bad("bad_duplicate_type", "# TYPE a gauge\n# TYPE a gauge\na 1\n# EOF\n", "duplicate TYPE"),
        bad("bad_duplicate_help", "# HELP a x\n# HELP a y\na 1\n# EOF\n", "duplicate HELP"),
        bad("bad_duplicate_unit", "# UNIT a_s s\n# UNIT a_s s\n# EOF\n", "duplicate UNIT"),
        bad(
            "bad_unit_not_suffix",
            "# TYPE a gauge\n# UNIT a seconds\na 1\n# EOF\n",
            "not a suffix"),
        bad(
            "bad_metadata_after_samples",
            "# TYPE a gauge\na 1\n# HELP a x\n# EOF\n",
            "after its samples"),
        bad("bad_interleaved_families", "a 1\nb 1\na 2\n# EOF\n", "interleaved"),
        bad(
            "bad_interleaved_metadata",
            "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n# TYPE a gauge\n# EOF\n",
            "interleaved"),
        bad(
            "bad_counter_without_total",
            "# TYPE a counter\na 1\n# EOF\n",
            "not allowed in counter"),
        bad(
            "bad_counter_sample_after_total",
            "# TYPE a counter\na_total 1\na 1\n# EOF\n",
            "not allowed in counter"),
        bad("bad_counter_negative", "# TYPE a counter\na_total -1\n# EOF\n", "non-negative"),
        bad("bad_counter_nan", "# TYPE a counter\na_total NaN\n# EOF\n", "non-negative"),
        bad("bad_counter_minus_inf", "# TYPE a counter\na_total -Inf\n# EOF\n", "non-negative"),
        bad(
            "bad_gauge_with_suffix_first",
            "# TYPE a gauge\na_total 1\n# EOF\n",
            "not allowed in gauge"),
        bad("bad_info_value", "# TYPE a info\na_info{foo=\"bar\"} 2\n# EOF\n", "info metric value"),
        bad(
            "bad_info_without_suffix",
            "# TYPE a info\na{foo=\"bar\"} 1\n# EOF\n",
            "not allowed in info"),
        bad("bad_stateset_value", "# TYPE a stateset\na{a=\"bar\"} 2\n# EOF\n", "stateset value"),
        bad(
            "bad_stateset_missing_label",
            "# TYPE a stateset\na{b=\"bar\"} 1\n# EOF\n",
            "label named a"),
        bad(
            "bad_summary_quantile_range",
            "# TYPE a summary\na{quantile=\"1.5\"} 1\n# EOF\n",
            "between 0 and 1"),
        bad(
            "bad_summary_quantile_negative",
            "# TYPE a summary\na{quantile=\"-0.5\"} 1\n# EOF\n",
            "between 0 and 1"),
        bad(
            "bad_summary_quantile_nan",
            "# TYPE a summary\na{quantile=\"NaN\"} 1\n# EOF\n",
            "between 0 and 1"),
        bad("bad_summary_no_quantile", "# TYPE a summary\na 1\n# EOF\n", "no quantile label"),
        bad("bad_summary_negative_count", "# TYPE a summary\na_count -1\n# EOF\n", "non-negative"),
        bad(
            "bad_histograms_no_inf",
            "# TYPE a histogram\na_bucket{le=\"1\"} 1\n# EOF\n",
            "no +Inf bucket"),
        bad(
            "bad_histograms_only_count",
            "# TYPE a histogram\na_count 1\na_sum 2\n# EOF\n",
            "no +Inf bucket"),
        bad("bad_histograms_no_le", "# TYPE a histogram\na_bucket 1\n# EOF\n", "no le label"),
        bad(
            "bad_histograms_bad_le",
            "# TYPE a histogram\na_bucket{le=\"x\"} 1\n# EOF\n",
            "invalid value"),
        bad(
            "bad_histograms_le_order",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"2\"} 0\n"
                + "a_bucket{le=\"1\"} 0\n"
                + "a_bucket{le=\"+Inf\"} 0\n"
                + "# EOF\n",
            "ascending le"),
        bad(
            "bad_histograms_bucket_after_inf",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0\na_bucket{le=\"1\"} 0\n# EOF\n",
            "ascending le"),
        bad(
            "bad_histograms_decreasing",
            "# TYPE a histogram\na_bucket{le=\"1\"} 2\na_bucket{le=\"+Inf\"} 1\n# EOF\n",
            "decrease"),
        bad(
            "bad_histograms_count_mismatch",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 2\na_sum 1\n# EOF\n",
            "differs from its +Inf bucket"),
        bad(
            "bad_histograms_negative_bucket",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} -1\n# EOF\n",
            "non-negative"),
        bad(
            "bad_histograms_nan_bucket",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} NaN\n# EOF\n",
            "non-negative"),
        bad(
            "bad_gaugehistogram_count_mismatch",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 1\na_gcount 2\na_gsum 1\n# EOF\n",
            "differs from its +Inf bucket"),
        bad(
            "bad_grouping",
            "# TYPE a histogram\na_bucket{x=\"1\",le=\"+Inf\"} 1\na_bucket{x=\"2\",le=\"+Inf\"} 1\n"
                + "a_count{x=\"1\"} 1\n# EOF\n",
            "not contiguous"),
        bad("bad_duplicate_sample", "a 1\na 2\n# EOF\n", "duplicate sample"),
        bad(
            "bad_invalid_labels_duplicate",
            "a{b=\"1\",b=\"2\"} 1\n# EOF\n",
            "duplicate label name"),
        bad("bad_invalid_labels_trailing_comma", "a{b=\"1\",} 1\n# EOF\n", "trailing comma"),
        bad("bad_invalid_labels_space", "a{b=\"1\", c=\"2\"} 1\n# EOF\n", "invalid label name"),
        bad("bad_invalid_labels_unquoted", "a{b=1} 1\n# EOF\n", "label value"),
        bad("bad_invalid_labels_name", "a{0b=\"1\"} 1\n# EOF\n", "invalid label name"),
        bad("bad_invalid_labels_unterminated", "a{b=\"1} 1\n# EOF\n", "unterminated"),
        bad("bad_invalid_labels_no_close", "a{b=\"1\" 1\n# EOF\n", "expected ',' or '}'"),
        bad("bad_metric_name", "0a 1\n# EOF\n", "invalid metric name"),
        bad("bad_leading_space", " a 1\n# EOF\n", "invalid metric name"),
        bad("bad_double_space", "a  1\n# EOF\n", "exactly one"),
        bad("bad_tab_separator", "a\t1\n# EOF\n", "space before the value"),
        bad("bad_trailing_space", "a 1 \n# EOF\n", "exactly one"),
        bad("bad_missing_value", "a\n# EOF\n", "space before the value"),
        bad("bad_value_hex", "a 0x1\n# EOF\n", "invalid value"),
        bad("bad_value_java_suffix", "a 1d\n# EOF\n", "invalid value"),
        bad("bad_value_signed_nan", "a -NaN\n# EOF\n", "invalid value"),
        bad("bad_value_exponent", "a 1e\n# EOF\n", "invalid value"),
        bad("bad_value_underscore", "a 1_000\n# EOF\n", "invalid value"),
        bad("bad_timestamp_inf", "a 1 +Inf\n# EOF\n", "invalid timestamp"),
        bad("bad_timestamp_text", "a 1 abc\n# EOF\n", "invalid timestamp"),
        bad(
            "bad_exemplars_on_gauge",
            "# TYPE a gauge\na 1 # {a=\"b\"} 1\n# EOF\n",
            "exemplars are only allowed"),
        bad(
            "bad_exemplars_on_count",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1\na_count 1 # {a=\"b\"} 1\n# EOF\n",
            "exemplars are only allowed"),
        bad(
            "bad_exemplars_no_labels",
            "# TYPE a counter\na_total 1 # 1\n# EOF\n",
            "exemplar labels"),
        bad(
            "bad_exemplars_no_value",
            "# TYPE a counter\na_total 1 # {a=\"b\"}\n# EOF\n",
            "exemplar value"),
        bad(
            "bad_exemplars_bad_value",
            "# TYPE a counter\na_total 1 # {a=\"b\"} x\n# EOF\n",
            "invalid value"),
        bad(
            "bad_exemplar_timestamp_text",
            "# TYPE a counter\na_total 1 # {a=\"b\"} 1 x\n# EOF\n",
            "invalid timestamp"),
        bad(
            "bad_exemplars_trailing",
            "# TYPE a counter\na_total 1 # {a=\"b\"} 1 1 x\n# EOF\n",
            "after the exemplar"),
        bad(
            "bad_exemplars_too_long",
            "# TYPE a counter\na_total 1 # {a=\"" + "x".repeat(128) + "\"} 1\n# EOF\n",
            "exceed 128"),
        bad(
            "bad_exemplars_no_space",
            "# TYPE a counter\na_total 1 #{a=\"b\"} 1\n# EOF\n",
            "invalid timestamp"));
  }

  @Test
  void samplesWhoseTimestampsDifferOnlyBelowAMillisecondKeepTheFirst() {
    ParseResult.Parsed parsed =
        (ParseResult.Parsed)
            ExpositionParser.parse("a 1 1.0001\na 2 1.0002\na 3 1.002\n# EOF\n", OM, 0);

    assertThat(parsed.families().get(0).samples())
        .extracting(Sample::value, s -> s.timestampMs().getAsLong())
        .containsExactly(tuple(1.0, 1000L), tuple(3.0, 1002L));
  }

  @Test
  void timestampsBeyondTheLongRangeSaturate() {
    ParseResult.Parsed parsed =
        (ParseResult.Parsed) ExpositionParser.parse("a 1 1e30\nb 1 -1e30\n# EOF\n", OM, 0);

    assertThat(parsed.families())
        .extracting(f -> f.samples().get(0).timestampMs().getAsLong())
        .containsExactly(Long.MAX_VALUE, Long.MIN_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validExpositions")
  void validExpositionsParse(String name, String body) {
    assertThat(ExpositionParser.parse(body, OM, 0)).isInstanceOf(ParseResult.Parsed.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedExpositions")
  void malformedExpositionsAreRejectedWithTheirProblem(String name, String body, String reason) {
    assertThat(ExpositionParser.parse(body, OM, 0))
        .isInstanceOfSatisfying(
            ParseResult.Failed.class, failed -> assertThat(failed.failReason()).contains(reason));
  }
}
