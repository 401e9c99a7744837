package io.meridian.protocol.exposition;

import java.util.List;

/** The outcome of parsing one scrape body: every family, or the first problem found. */
public sealed interface ParseResult {

  /** The body parsed; families are in exposition order. */
  record Parsed(List<MetricFamily> families, long scrapeTimeMs) implements ParseResult {
    public Parsed {
      families = List.copyOf(families);
    }
  }

  /** The body was rejected at {@code line} (1-based) for {@code failReason}. */
  record Failed(int line, String failReason) implements ParseResult {}
}
