package io.meridian.node.query.expression;

import io.meridian.protocol.opentsdb.expression.NumericFill;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One series of an {@code /api/query/exp} output: a metric's query result or an expression computed
 * over joined series, with the meta data OpenTSDB reports for it.
 *
 * @param metrics the metric names that went into the series, in order of first use
 * @param commonTags the tags with one value across every series that went into it
 * @param aggregatedTags the sorted tag keys that went into it with differing values
 * @param timestamps Unix epoch milliseconds, strictly ascending
 * @param values one per timestamp; NaN where there is no value
 * @param fill what this series is where it has no point (and how its NaN prints)
 */
public record ExpressionSeries(
    List<String> metrics,
    SortedMap<String, String> commonTags,
    List<String> aggregatedTags,
    long[] timestamps,
    double[] values,
    NumericFill fill) {

  public ExpressionSeries {
    metrics = List.copyOf(metrics);
    commonTags = Collections.unmodifiableSortedMap(new TreeMap<>(commonTags));
    aggregatedTags = List.copyOf(aggregatedTags);
    Objects.requireNonNull(fill, "fill");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
  }

  /** The value at {@code timestamp}, or the fill value where the series has no point there. */
  public double valueAt(long timestamp) {
    int i = Arrays.binarySearch(timestamps, timestamp);
    return i >= 0 ? values[i] : fill.value();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExpressionSeries other
        && metrics.equals(other.metrics)
        && commonTags.equals(other.commonTags)
        && aggregatedTags.equals(other.aggregatedTags)
        && Arrays.equals(timestamps, other.timestamps)
        && Arrays.equals(values, other.values)
        && fill.equals(other.fill);
  }

  @Override
  public int hashCode() {
    return Objects.hash(metrics, commonTags, aggregatedTags, fill)
        + 31 * Arrays.hashCode(timestamps)
        + 17 * Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return metrics
        + " "
        + commonTags
        + " agg="
        + aggregatedTags
        + " "
        + timestamps.length
        + " points";
  }
}
