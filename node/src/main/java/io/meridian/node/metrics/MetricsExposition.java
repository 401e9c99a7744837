package io.meridian.node.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A node's metrics in the exposition format a scraper asks for with its {@code Accept} header, as
 * client_java's own scrape handler picks it: OpenMetrics text when accepted, else the Prometheus
 * text format 0.0.4. Prometheus' protobuf format is not offered (its writer is not on the class
 * path): a scraper preferring it gets its next choice.
 */
public final class MetricsExposition {

  /** An answer's {@code Content-Type} and body. */
  public record Body(String contentType, byte[] bytes) {}

  private static final ExpositionFormats FORMATS = ExpositionFormats.init();

  private MetricsExposition() {}

  /** {@code metrics} now, for a request with {@code accept} (null: none). */
  public static Body of(NodeMetrics metrics, String accept) {
    return write(writer(accept), metrics.scrape(), EscapingScheme.fromAcceptHeader(accept));
  }

  /** {@code metrics} now in the Prometheus text format. */
  public static Body text(NodeMetrics metrics) {
    return write(FORMATS.getPrometheusTextFormatWriter(), metrics.scrape(), EscapingScheme.DEFAULT);
  }

  private static ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter writer = FORMATS.findWriter(accept);
    if (writer.isAvailable()) {
      return writer;
    }
    ExpositionFormatWriter openMetrics = FORMATS.getOpenMetricsTextFormatWriter();
    return openMetrics.accepts(accept) ? openMetrics : FORMATS.getPrometheusTextFormatWriter();
  }

  private static Body write(
      ExpositionFormatWriter writer, MetricSnapshots snapshots, EscapingScheme escaping) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, snapshots, escaping);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Body(writer.getContentType(), out.toByteArray());
  }
}
