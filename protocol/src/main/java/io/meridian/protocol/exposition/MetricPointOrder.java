package io.meridian.protocol.exposition;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Enforces, sample by sample, the OpenMetrics ordering of one family: Metrics (label sets) are not
 * interleaved, and within a Metric the MetricPoints come in timestamp order, all with or all
 * without a timestamp, each sample at most once per timestamp.
 */
final class MetricPointOrder {

  private final Set<Map<String, String>> seenGroups = new HashSet<>();
  private Map<String, String> group;
  private Optional<BigDecimal> groupTimestamp = Optional.empty();
  private final Set<String> seriesAtTimestamp = new HashSet<>();
  private final Map<String, Long> lastMsBySeries = new HashMap<>();

  /**
   * Checks {@code sample} against the samples before it and says whether to keep it. A sample whose
   * timestamp differs from its series' previous one only below a millisecond is dropped, not
   * rejected: the exposition is valid, but Meridian stores milliseconds and keeps the first.
   */
  boolean accept(FamilyBuilder family, SampleLine sample, int line) {
    Map<String, String> key = OpenMetricsValidator.groupKey(family, sample.toSample());
    Optional<BigDecimal> timestamp = sample.exactTimestamp();
    if (!key.equals(group)) {
      if (seenGroups.contains(key)) {
        OpenMetricsValidator.fail(
            line, "samples of " + family.name() + key + " are not contiguous");
      }
      seenGroups.add(key);
      group = key;
      groupTimestamp = timestamp;
      seriesAtTimestamp.clear();
      lastMsBySeries.clear();
    } else {
      if (timestamp.isPresent() != groupTimestamp.isPresent()) {
        OpenMetricsValidator.fail(
            line, "samples of " + family.name() + key + " mix having and lacking a timestamp");
      }
      if (timestamp.isPresent()) {
        int order = timestamp.get().compareTo(groupTimestamp.get());
        if (order < 0) {
          OpenMetricsValidator.fail(line, "timestamps of " + family.name() + key + " go backwards");
        }
        if (order > 0) {
          seriesAtTimestamp.clear();
        }
      }
      groupTimestamp = timestamp;
    }
    String series = sample.name() + sample.labels();
    if (!seriesAtTimestamp.add(series)) {
      OpenMetricsValidator.fail(line, "duplicate sample " + series);
    }
    if (sample.timestampMs().isPresent()) {
      Long previousMs = lastMsBySeries.put(series, sample.timestampMs().getAsLong());
      return previousMs == null || previousMs != sample.timestampMs().getAsLong();
    }
    return true;
  }
}
