package io.meridian.protocol.exposition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One sample line: its full name (with a suffix such as {@code _total} or {@code _bucket}), its
 * labels in exposition order, its value and its own timestamp in milliseconds if it carried one.
 */
public record Sample(
    String name, Map<String, String> labels, double value, OptionalLong timestampMs) {

  public Sample {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
  }

  /** The sample's own timestamp, or the scrape time when the target did not give one. */
  public long timestampOr(long scrapeTimeMs) {
    return timestampMs.orElse(scrapeTimeMs);
  }
}
