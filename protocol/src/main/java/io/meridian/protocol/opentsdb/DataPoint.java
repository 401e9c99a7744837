package io.meridian.protocol.opentsdb;

import java.util.SortedMap;

/** One validated OpenTSDB data point: metric, millisecond timestamp, value and tags. */
public record DataPoint(
    String metric, long timestampMs, double value, SortedMap<String, String> tags) {}
