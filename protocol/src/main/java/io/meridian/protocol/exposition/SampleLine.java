package io.meridian.protocol.exposition;

import java.util.Map;
import java.util.OptionalLong;

/** A lexed sample line; {@code hasExemplar} survives so OpenMetrics can check where one is. */
record SampleLine(
    String name,
    Map<String, String> labels,
    double value,
    OptionalLong timestampMs,
    boolean hasExemplar) {

  Sample toSample() {
    return new Sample(name, labels, value, timestampMs);
  }
}
