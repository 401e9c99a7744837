package io.meridian.protocol.exposition;

/**
 * Parses a scrape body in the Prometheus text format 0.0.4 or OpenMetrics 1.0.0 text, chosen by
 * Content-Type. Pure: no I/O and no state between calls, so scrapes can run it concurrently.
 */
public final class ExpositionParser {

  private ExpositionParser() {}

  /**
   * Parses {@code body}; the first problem makes the whole scrape fail, because a half-read body
   * would silently drop series.
   */
  public static ParseResult parse(String body, String contentType, long scrapeTimeMs) {
    try {
      var families =
          switch (ExpositionFormat.fromContentType(contentType)) {
            case OPENMETRICS -> new OpenMetricsParser().parse(body);
            case PROMETHEUS_TEXT -> new PrometheusTextParser().parse(body);
          };
      return new ParseResult.Parsed(families, scrapeTimeMs);
    } catch (ExpositionException e) {
      return new ParseResult.Failed(e.line(), "line " + e.line() + ": " + e.getMessage());
    }
  }
}
