package io.meridian.protocol.exposition;

import java.util.Optional;

/**
 * The type a metric family declares with {@code # TYPE}. {@link #UNTYPED} is the Prometheus text
 * format's name for a family without a type, {@link #UNKNOWN} the OpenMetrics one.
 */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  GAUGEHISTOGRAM,
  SUMMARY,
  INFO,
  STATESET,
  UNKNOWN,
  UNTYPED;

  static Optional<MetricType> fromOpenMetrics(String token) {
    return switch (token) {
      case "counter" -> Optional.of(COUNTER);
      case "gauge" -> Optional.of(GAUGE);
      case "histogram" -> Optional.of(HISTOGRAM);
      case "gaugehistogram" -> Optional.of(GAUGEHISTOGRAM);
      case "summary" -> Optional.of(SUMMARY);
      case "info" -> Optional.of(INFO);
      case "stateset" -> Optional.of(STATESET);
      case "unknown" -> Optional.of(UNKNOWN);
      default -> Optional.empty();
    };
  }

  static Optional<MetricType> fromPrometheusText(String token) {
    return switch (token) {
      case "counter" -> Optional.of(COUNTER);
      case "gauge" -> Optional.of(GAUGE);
      case "histogram" -> Optional.of(HISTOGRAM);
      case "summary" -> Optional.of(SUMMARY);
      case "untyped" -> Optional.of(UNTYPED);
      default -> Optional.empty();
    };
  }
}
