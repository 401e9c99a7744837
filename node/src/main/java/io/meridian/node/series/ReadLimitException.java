package io.meridian.node.series;

/**
 * A read that would load more series or samples than {@code meridian.series.max-read-series} or
 * {@code max-read-samples} allow: it is stopped before it exhausts the node's memory. The caller
 * answers a client error asking for a narrower query.
 */
public final class ReadLimitException extends RuntimeException {

  public ReadLimitException(String message) {
    super(message);
  }
}
