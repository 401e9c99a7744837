package io.meridian.protocol.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases modelled on the OpenMetrics parser test suite ({@code tests/testdata/parsers}): valid
 * expositions parse, malformed ones are rejected with a reason naming the problem.
 */
class OpenMetricsConformanceTest {

  private static final String OM = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final String ROUNDTRIP =
      """
# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0.0"} 0.013300656000000001
go_gc_duration_seconds{quantile="0.25"} 0.013638736
go_gc_duration_seconds{quantile="0.5"} 0.013759906
go_gc_duration_seconds{quantile="0.75"} 0.013962066
go_gc_duration_seconds{quantile="1.0"} 0.021383540000000003
go_gc_duration_seconds_sum 56.12904785
go_gc_duration_seconds_count 7476.0
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 166.0
# HELP prometheus_local_storage_indexing_batch_duration_milliseconds Quantiles for batch indexing duration in milliseconds.
# TYPE prometheus_local_storage_indexing_batch_duration_milliseconds summary
prometheus_local_storage_indexing_batch_duration_milliseconds{quantile="0.5"} NaN
prometheus_local_storage_indexing_batch_duration_milliseconds{quantile="0.9"} NaN
prometheus_local_storage_indexing_batch_duration_milliseconds{quantile="0.99"} NaN
prometheus_local_storage_indexing_batch_duration_milliseconds_sum 871.5665949999999
prometheus_local_storage_indexing_batch_duration_milliseconds_count 229.0
# HELP process_cpu_seconds Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds counter
process_cpu_seconds_total 29323.4
# HELP process_virtual_memory_bytes Virtual memory size in bytes.
# TYPE process_virtual_memory_bytes gauge
process_virtual_memory_bytes 2.478268416e+09
# HELP prometheus_build_info A metric with a constant '1' value labeled by version, revision, and branch from which Prometheus was built.
# TYPE prometheus_build_info gauge
prometheus_build_info{branch="HEAD",revision="ef176e5",version="0.16.0rc1"} 1.0
# HELP prometheus_local_storage_chunk_ops The total number of chunk operations by their type.
# TYPE prometheus_local_storage_chunk_ops counter
prometheus_local_storage_chunk_ops_total{type="clone"} 28.0
prometheus_local_storage_chunk_ops_total{type="create"} 997844.0
prometheus_local_storage_chunk_ops_total{type="drop"} 1.345758e+06
prometheus_local_storage_chunk_ops_total{type="load"} 1641.0
prometheus_local_storage_chunk_ops_total{type="persist"} 981408.0
prometheus_local_storage_chunk_ops_total{type="pin"} 32662.0
prometheus_local_storage_chunk_ops_total{type="transcode"} 980180.0
prometheus_local_storage_chunk_ops_total{type="unpin"} 32662.0
# HELP foo histogram Testing histogram buckets
# TYPE foo histogram
foo_bucket{le="0.0"} 0.0
foo_bucket{le="1e-05"} 0.0
foo_bucket{le="0.0001"} 0.0
foo_bucket{le="0.1"} 8.0
foo_bucket{le="1.0"} 10.0
foo_bucket{le="10.0"} 17.0
foo_bucket{le="100000.0"} 17.0
foo_bucket{le="1e+06"} 17.0
foo_bucket{le="1.55555555555552e+06"} 17.0
foo_bucket{le="1e+23"} 17.0
foo_bucket{le="+Inf"} 17.0
foo_count 17.0
foo_sum 324789.3
foo_created 1.520430000123e+09
# EOF
""";

  private static Arguments ok(String name, String body) {
    return Arguments.of(name, body);
  }

  private static Arguments bad(String name, String body, String reason) {
    return Arguments.of(name, body, reason);
  }

  static Stream<Arguments> validExpositions() {
    return Stream.of(
        ok("simple_counter", "# TYPE a counter\na_total 1\n# EOF\n"),
        ok(
            "escaping",
            "# TYPE a counter\n"
                + "# HELP a he\\n"
                + "\\\\l\\tp\n"
                + "a_total{foo=\"b\\\"a\\n"
                + "r\"} 1\n"
                + "a_total{foo=\"b\\\\a\\z\"} 2\n"
                + "# EOF\n"),
        ok(
            "exemplars_wide_chars",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"+Inf\"} 1 #"
                + " {a=\"☃345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\"}"
                + " 1 1\n"
                + "# EOF\n"),
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
            "histogram_negative_buckets",
            "# TYPE a histogram\na_bucket{le=\"-1.0\"} 0\na_bucket{le=\"1e-2\"} 1\n"
                + "a_bucket{le=\"+Inf\"} 3\na_count 3\na_sum -2\n# EOF\n"),
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
            "gaugehistogram_negative_gsum",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 3\na_gcount 3\na_gsum -2\n# EOF\n"),
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
        ok("duplicate_timestamps", "# TYPE a gauge\na 1 1\nb 1 1\n# EOF\n"),
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
        bad("bad_no_eof", "a 1\n", "missing # EOF"),
        bad(
            "bad_grouping_or_ordering_0",
            "# TYPE a histogram\na_sum{a=\"1\"} 0\na_sum{a=\"2\"} 0\na_count{a=\"1\"} 0\n# EOF\n",
            "not contiguous"),
        bad(
            "bad_counter_values_4",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} NaN\n# EOF\n",
            "non-negative"),
        bad(
            "bad_counter_values_7",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} -1\n# EOF\n",
            "non-negative"),
        bad(
            "bad_counter_values_8",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"-1.0\"} 1\n"
                + "a_bucket{le=\"+Inf\"} 2\n"
                + "a_sum -1\n"
                + "# EOF\n",
            "must appear together"),
        bad(
            "bad_counter_values_9",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"-1.0\"} 1\n"
                + "a_bucket{le=\"+Inf\"} 2\n"
                + "a_sum 1\n"
                + "# EOF\n",
            "must appear together"),
        bad(
            "bad_counter_values_10",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} NaN\n# EOF\n",
            "non-negative"),
        bad(
            "bad_counter_values_11",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} -1\na_gcount -1\n# EOF\n",
            "non-negative"),
        bad(
            "bad_counter_values_12",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} -1\n# EOF\n",
            "non-negative"),
        bad(
            "bad_counter_values_13",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 1\na_gsum -1\n# EOF\n",
            "must appear together"),
        bad(
            "bad_counter_values_14",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 1\na_gsum NaN\n# EOF\n",
            "must appear together"),
        bad(
            "bad_exemplar_timestamp_Inf",
            "# TYPE a counter\na_total 1 # {a=\"b\"} 0.5 Inf\n# EOF",
            "invalid timestamp"),
        bad(
            "bad_exemplar_timestamp_NaN",
            "# TYPE a counter\na_total 1 # {a=\"b\"} 0.5 NaN\n# EOF",
            "invalid timestamp"),
        bad(
            "bad_exemplar_timestamp_Negative_Inf",
            "# TYPE a counter\na_total 1 # {a=\"b\"} 0.5 -Inf\n# EOF",
            "invalid timestamp"),
        bad(
            "bad_exemplars_size_0",
            "# TYPE a counter\n"
                + "# HELP a help\n"
                + "a_total{foo=\"bar\"} 1 #"
                + " {a=\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"
                + " 1\n"
                + "# EOF\n",
            "exceed 128"),
        bad(
            "bad_grouping_or_ordering_1",
            "# TYPE a histogram\n"
                + "a_bucket{a=\"1\",le=\"1\"} 0\n"
                + "a_bucket{a=\"2\",le=\"+Inf\"\"} 0\n"
                + "a_bucket{a=\"1\",le=\"+Inf\"} 0\n"
                + "# EOF\n",
            "expected ',' or '}'"),
        bad(
            "bad_histograms_4",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0\n#a_sum 0\n# EOF\n",
            "space after '#'"),
        bad(
            "bad_histograms_5",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0\n#a_count 0\n# EOF\n",
            "space after '#'"),
        bad(
            "bad_histograms_8",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 0\na_gsum 0\n# EOF\n",
            "must appear together"),
        bad(
            "bad_histograms_10",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"1\"} 1\n"
                + "a_bucket{le=\"2\"} 1\n"
                + "a_bucket{le=\"+Inf\"} 0\n"
                + "# EOF\n",
            "decrease"),
        bad(
            "bad_histograms_11",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 0\na_count 1\n# EOF\n",
            "must appear together"),
        bad(
            "bad_histograms_9",
            "# TYPE a histogram\n"
                + "a_bucket{le=\"2\"} 0\n"
                + "a_bucket{le=\"1\"} 0\n"
                + "a_bucket{le=\"+Inf\"} 0\n"
                + "# EOF\n",
            "ascending le"),
        bad(
            "bad_histograms_12",
            "# TYPE a histogram\na_bucket{le=\"+INF\"} 0\n# EOF\n",
            "must be written +Inf"),
        bad(
            "bad_histograms_13",
            "# TYPE a histogram\na_count 1\na_bucket{le=\"+Inf\"} 0\n# EOF\n",
            "after its count"),
        bad(
            "bad_histograms_14",
            "# TYPE a gaugehistogram\na_bucket{le=\"+Inf\"} 0\na_gcount 0\n# EOF\n",
            "must appear together"),
        bad(
            "bad_exemplars_0",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 #\n# EOF\n",
            "invalid timestamp \"#\""),
        bad(
            "bad_exemplars_1",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1# {} 1\n# EOF\n",
            "invalid value"),
        bad(
            "bad_exemplars_2",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 #{} 1\n# EOF\n",
            "invalid timestamp"),
        bad(
            "bad_exemplars_3",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {}1\n# EOF\n",
            "space before the exemplar value"),
        bad(
            "bad_exemplars_4",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {} 1 \n# EOF\n",
            "exactly one"),
        bad(
            "bad_exemplars_5",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {} 1 1 \n# EOF\n",
            "after the exemplar"),
        bad(
            "bad_exemplars_6",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {a=\""
                + "23456789"
                + "0123456789".repeat(12)
                + "\"} 1 1\n# EOF\n",
            "exceed 128"),
        bad(
            "bad_exemplars_7",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {} 0x1p-3\n# EOF\n",
            "invalid value"),
        bad(
            "bad_exemplars_8",
            "# TYPE a histogram\na_bucket{le=\"+Inf\"} 1 # {} 1 0x1p-3\n# EOF\n",
            "invalid timestamp"),
        bad(
            "bad_exemplar_complex_chars",
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
            "bad_exemplar_timestamp_1",
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

  @Test
  void theRoundtripExpositionKeepsFamiliesTypesAndSamples() {
    ParseResult result = ExpositionParser.parse(ROUNDTRIP, OM, 0);

    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    List<MetricFamily> families = ((ParseResult.Parsed) result).families();
    assertThat(families).hasSize(8);
    MetricFamily foo = families.get(7);
    assertThat(foo.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(foo.help()).isEqualTo("histogram Testing histogram buckets");
    assertThat(foo.samples()).hasSize(14);
    assertThat(foo.samples().get(13).name()).isEqualTo("foo_created");
    assertThat(families.get(3).samples())
        .extracting(Sample::name)
        .containsExactly("process_cpu_seconds_total");
  }

  @Test
  void unknownEscapesAreKeptAsWritten() {
    ParseResult.Parsed parsed =
        (ParseResult.Parsed)
            ExpositionParser.parse(
                "# TYPE a counter\n# HELP a he\\n\\\\l\\tp\n"
                    + "a_total{foo=\"b\\\"a\\nr\"} 1\na_total{foo=\"b\\\\a\\z\"} 2\n# EOF\n",
                OM,
                0);

    MetricFamily a = parsed.families().get(0);
    assertThat(a.help()).isEqualTo("he\n\\l\\tp");
    assertThat(a.samples())
        .extracting(sample -> sample.labels().get("foo"))
        .containsExactly("b\"a\nr", "b\\a\\z");
  }
}
