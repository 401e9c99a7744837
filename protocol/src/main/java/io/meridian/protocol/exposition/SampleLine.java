package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A lexed sample line. {@code hasExemplar} survives so OpenMetrics can check where one is, and
 * {@code exactTimestamp} (OpenMetrics only: seconds as written) so ordering and duplicate checks do
 * not depend on rounding to milliseconds.
 */
record SampleLine(
    String name,
    Map<String, String> labels,
    double value,
    OptionalLong timestampMs,
    Optional<BigDecimal> exactTimestamp,
    boolean hasExemplar) {

  Sample toSample() {
    return new Sample(name, labels, value, timestampMs);
  }
}
