package io.meridian.ops.prometheus;

import java.time.Duration;
import java.util.List;

/**
 * The PromQL expressions the side-by-side tests evaluate on both servers over {@link
 * GeneratedData}: selectors with every matcher, offset and {@code @}, subqueries, every aggregation
 * operator, binary operators with their vector matching and {@code bool}, set operators, and the
 * functions Grafana dashboards use. Every one is valid and succeeds on Prometheus 2.42 (the
 * self-comparison test checks that), so a difference is a difference in results, not in what is
 * supported.
 */
public final class Expressions {

  private Expressions() {}

  /** A timestamp inside the data for {@code @}: 45 minutes before its end, in seconds. */
  public static long fixedAtSeconds(GeneratedData data) {
    return (data.endMillis() - Duration.ofMinutes(45).toMillis()) / 1000;
  }

  /** The expressions for {@code data}; those with {@code @ <time>} use {@link #fixedAtSeconds}. */
  public static List<String> over(GeneratedData data) {
    String at = "@ " + fixedAtSeconds(data);
    return List.of(
        // Selectors: every matcher, the metric name as a label, series with gaps and ending.
        "http_requests_total",
        "http_requests_total{job=\"api\"}",
        "http_requests_total{job!=\"api\"}",
        "http_requests_total{code=~\"5..\"}",
        "http_requests_total{method!~\"G.*\", job=~\"api|db\"}",
        "{__name__=~\"temperature_.*\"}",
        "{__name__=\"up\", job=\"db\"}",
        "{job=\"batch\"}",
        "legacy_sessions",
        "disk_free_bytes",
        "batch_processed_total",
        "request_duration_seconds_bucket{le=\"+Inf\"}",
        // offset and @.
        "temperature_celsius offset 10m",
        "temperature_celsius offset -5m",
        "rate(http_requests_total[5m] offset 30m)",
        "temperature_celsius " + at,
        "temperature_celsius " + at + " offset 5m",
        "rate(http_requests_total[5m] @ end())",
        "sum(queue_depth @ start())",
        "max_over_time(temperature_celsius[10m] " + at + ")",
        "legacy_sessions @ start()",
        // Subqueries.
        "max_over_time(rate(http_requests_total[1m])[10m:1m])",
        "avg_over_time(temperature_celsius[15m:30s])",
        "min_over_time(sum by (job) (queue_depth)[20m:])",
        "rate(process_cpu_seconds_total[5m:1m])",
        "max_over_time(deriv(temperature_celsius[5m])[30m:2m] offset 10m)",
        "sum_over_time(up[10m:15s] " + at + ")",
        // Aggregations.
        "sum(http_requests_total)",
        "sum by (job) (rate(http_requests_total[5m]))",
        "sum without (instance, method) (rate(http_requests_total[5m]))",
        "sum(rate(http_requests_total[5m])) by (code)",
        "min by (job) (temperature_celsius)",
        "max without (sensor) (temperature_celsius)",
        "avg by (job, sensor) (temperature_celsius)",
        "avg(legacy_sessions)",
        "group by (job) (up)",
        "stddev by (job) (temperature_celsius)",
        "stdvar(temperature_celsius)",
        "count(disk_free_bytes)",
        "count by (job) (up == 1)",
        "count_values(\"value\", up)",
        "count_values by (job) (\"depth\", queue_depth)",
        "topk(3, temperature_celsius)",
        "topk by (job) (1, rate(http_requests_total[5m]))",
        "bottomk(2, queue_depth)",
        "bottomk by (job) (1, temperature_celsius)",
        "quantile(0.9, temperature_celsius)",
        "quantile by (job) (0.5, rate(http_requests_total[5m]))",
        "quantile(1.5, temperature_celsius)",
        "max(batch_processed_total)",
        // Arithmetic and comparison operators, vector matching.
        "2 * temperature_celsius",
        "-temperature_celsius",
        "temperature_celsius ^ 2",
        "temperature_celsius % 3",
        "temperature_celsius atan2 1",
        "1 - up",
        "(1 + 2) * 3 / 4",
        "2 ^ 3 ^ 2",
        "1 < bool 2",
        "temperature_celsius > 0",
        "temperature_celsius > bool 0",
        "queue_depth >= 5",
        "up == bool 1",
        "temperature_celsius > scalar(avg(temperature_celsius))",
        "http_requests_total{code=\"500\"} / ignoring(code) http_requests_total{code=\"200\"}",
        "temperature_celsius{sensor=\"inlet\"} - ignoring(sensor)"
            + " temperature_celsius{sensor=\"outlet\"}",
        "rate(http_requests_total[5m]) / on(job, instance) group_left"
            + " rate(process_cpu_seconds_total[5m])",
        "rate(process_cpu_seconds_total[5m]) * on(job, instance) group_right"
            + " rate(http_requests_total[5m])",
        "queue_depth * on(job, instance) group_left(sensor)"
            + " temperature_celsius{sensor=\"inlet\"}",
        "sum by (job) (rate(http_requests_total{code=\"500\"}[5m]))"
            + " / sum by (job) (rate(http_requests_total[5m]))",
        "request_duration_seconds_sum / request_duration_seconds_count",
        // Set operators.
        "up and on(job) (queue_depth > 3)",
        "up or legacy_sessions",
        "temperature_celsius unless temperature_celsius > 2",
        "http_requests_total unless on(job) up{job=\"cache\"}",
        "queue_depth > 4 or temperature_celsius < -2",
        // Rates and differences.
        "rate(http_requests_total[5m])",
        "rate(http_requests_total[1m])",
        "irate(http_requests_total[5m])",
        "increase(http_requests_total[10m])",
        "increase(batch_processed_total[10m])",
        "rate(batch_processed_total[2m])",
        "delta(temperature_celsius[10m])",
        "delta(legacy_sessions[10m])",
        "idelta(queue_depth[5m])",
        "deriv(temperature_celsius[10m])",
        "deriv(disk_free_bytes[5m])",
        "predict_linear(disk_free_bytes[30m], 3600)",
        "predict_linear(temperature_celsius[10m], 600)",
        // *_over_time.
        "avg_over_time(temperature_celsius[10m])",
        "min_over_time(queue_depth[10m])",
        "max_over_time(legacy_sessions[10m])",
        "sum_over_time(up[10m])",
        "count_over_time(disk_free_bytes[10m])",
        "quantile_over_time(0.9, temperature_celsius[10m])",
        "stddev_over_time(temperature_celsius[10m])",
        "stdvar_over_time(queue_depth[10m])",
        "last_over_time(legacy_sessions[30m])",
        "present_over_time(disk_free_bytes[5m])",
        "absent_over_time(legacy_sessions{instance=\"legacy-0:7000\"}[5m])",
        "absent_over_time(nonexistent_metric[5m])",
        // Histograms.
        "histogram_quantile(0.9, rate(request_duration_seconds_bucket[5m]))",
        "histogram_quantile(0.5, sum by (le, job) (rate(request_duration_seconds_bucket[5m])))",
        "histogram_quantile(0.99, sum by (le) (rate(request_duration_seconds_bucket[10m])))",
        "histogram_quantile(0.25, sum without (instance) (increase("
            + "request_duration_seconds_bucket{job=\"api\"}[15m])))",
        // Labels.
        "label_replace(up, \"host\", \"$1\", \"instance\", \"(.*):.*\")",
        "label_replace(up, \"job\", \"\", \"\", \"\")",
        "label_join(up, \"id\", \"/\", \"job\", \"instance\")",
        // Maths.
        "abs(temperature_celsius)",
        "ceil(temperature_celsius)",
        "floor(temperature_celsius)",
        "round(temperature_celsius)",
        "round(temperature_celsius, 0.5)",
        "clamp(temperature_celsius, -1, 1)",
        "clamp_min(temperature_celsius, 0)",
        "clamp_max(queue_depth, 4)",
        "sqrt(queue_depth)",
        "ln(request_duration_seconds_count)",
        "exp(temperature_celsius / 10)",
        "sgn(temperature_celsius)",
        // Time, conversion, sorting, absence, changes.
        "time()",
        "time() - timestamp(up)",
        "timestamp(legacy_sessions)",
        "minute(vector(time()))",
        "vector(1)",
        "scalar(sum(up))",
        "scalar(temperature_celsius)",
        "sort(temperature_celsius)",
        "sort_desc(rate(http_requests_total[5m]))",
        "absent(nonexistent_metric{job=\"x\"})",
        "absent(up)",
        "changes(up[10m])",
        "changes(queue_depth[5m])",
        "resets(http_requests_total[30m])",
        "resets(process_cpu_seconds_total[1h])",
        "holt_winters(temperature_celsius[10m], 0.5, 0.5)",
        "holt_winters(sum(queue_depth)[20m:1m], 0.3, 0.7)");
  }
}
