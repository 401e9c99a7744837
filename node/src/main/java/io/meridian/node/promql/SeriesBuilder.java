package io.meridian.node.promql;

import java.util.Arrays;

/** Collects the points of one output series in time order, then freezes them as a Series. */
final class SeriesBuilder {

  private final Labels labels;
  private long[] timestamps = new long[16];
  private double[] values = new double[16];
  private int size;

  SeriesBuilder(Labels labels) {
    this.labels = labels;
  }

  void add(long timestampMs, double value) {
    if (size == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    timestamps[size] = timestampMs;
    values[size] = value;
    size++;
  }

  Value.Series build() {
    return new Value.Series(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size));
  }
}
