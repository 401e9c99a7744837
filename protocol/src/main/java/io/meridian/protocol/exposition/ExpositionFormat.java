package io.meridian.protocol.exposition;

import java.util.Locale;

/** The two text exposition formats a scrape target may answer with. */
public enum ExpositionFormat {
  /** {@code text/plain; version=0.0.4}, parsed leniently. */
  PROMETHEUS_TEXT,
  /** {@code application/openmetrics-text; version=1.0.0}, parsed strictly. */
  OPENMETRICS;

  /**
   * Picks the format from a Content-Type header; anything that is not OpenMetrics, including a
   * missing header, is read as the Prometheus text format because that is what targets fall back
   * to.
   */
  public static ExpositionFormat fromContentType(String contentType) {
    if (contentType == null) {
      return PROMETHEUS_TEXT;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return mediaType.trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")
        ? OPENMETRICS
        : PROMETHEUS_TEXT;
  }
}
