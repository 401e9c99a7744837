package io.meridian.ops.prometheus;

import io.meridian.protocol.SeriesSamples;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One series of a remote-write request: its labels (the metric name as {@code __name__}), sorted by
 * name as remote write requires, and its samples in time order.
 */
public record TimeSeries(SortedMap<String, String> labels, List<Sample> samples) {

  public TimeSeries {
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    samples = List.copyOf(samples);
  }

  /** A series with the given labels (e.g. from {@code Map.of}) and samples. */
  public static TimeSeries of(Map<String, String> labels, List<Sample> samples) {
    return new TimeSeries(new TreeMap<>(labels), samples);
  }

  /** The same labels with only the samples in {@code [fromMillis, toMillis)}. */
  public TimeSeries window(long fromMillis, long toMillis) {
    return new TimeSeries(
        labels,
        samples.stream()
            .filter(s -> s.timestampMillis() >= fromMillis && s.timestampMillis() < toMillis)
            .collect(Collectors.toList()));
  }

  /** The series in PromQL selector form, e.g. {@code {__name__="up", job="api"}}. */
  @Override
  public String toString() {
    return labels.entrySet().stream()
            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
            .collect(Collectors.joining(", ", "{", "}"))
        + " ("
        + samples.size()
        + " samples)";
  }

  /** A sample: milliseconds since the epoch and a value (NaN, stale marker and ±Inf included). */
  public record Sample(long timestampMillis, double value) {

    /** A stale marker at {@code timestampMillis}. */
    public static Sample staleMarker(long timestampMillis) {
      return new Sample(timestampMillis, SeriesSamples.STALE_NAN);
    }
  }
}
