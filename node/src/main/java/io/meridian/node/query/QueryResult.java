package io.meridian.node.query;

import io.meridian.protocol.CborSerializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One output series of a sub query: a group of input series merged by the aggregator (or a single
 * series for the {@code none} aggregator), as OpenTSDB returns it.
 *
 * <p><b>Missing values.</b> A fill policy of {@code nan} or {@code null} puts {@code NaN} in {@link
 * #values} for empty downsampling buckets (and aggregates of nothing but such buckets). Both are
 * stored the same way; {@link #nullFill} tells the serializer whether the query asked for {@code
 * null}, in which case every NaN value must be written as JSON {@code null} rather than {@code
 * NaN}.
 *
 * @param metric the metric name
 * @param tags the tags whose value is the same on every series of the group
 * @param aggregateTags the sorted tag keys present on some series of the group but not with one
 *     common value (OpenTSDB's {@code aggregateTags})
 * @param timestamps Unix epoch milliseconds, strictly ascending
 * @param values one value per timestamp; NaN marks a missing value (see above)
 * @param nullFill whether NaN values are to be serialized as {@code null} (fill policy {@code
 *     null})
 */
public record QueryResult(
    String metric,
    SortedMap<String, String> tags,
    List<String> aggregateTags,
    long[] timestamps,
    double[] values,
    boolean nullFill)
    implements CborSerializable {

  public QueryResult {
    Objects.requireNonNull(metric, "metric");
    tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags == null ? Map.of() : tags));
    aggregateTags = aggregateTags == null ? List.of() : List.copyOf(aggregateTags);
    Objects.requireNonNull(timestamps, "timestamps");
    Objects.requireNonNull(values, "values");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException(
          "timestamps and values differ in length: " + timestamps.length + " != " + values.length);
    }
  }

  /** The number of data points. */
  public int size() {
    return timestamps.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QueryResult other
        && metric.equals(other.metric)
        && tags.equals(other.tags)
        && aggregateTags.equals(other.aggregateTags)
        && Arrays.equals(timestamps, other.timestamps)
        && Arrays.equals(values, other.values)
        && nullFill == other.nullFill;
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(metric, tags, aggregateTags, nullFill);
    h = 31 * h + Arrays.hashCode(timestamps);
    return 31 * h + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return metric
        + tags
        + " aggregateTags="
        + aggregateTags
        + " "
        + timestamps.length
        + " points"
        + (nullFill ? " (null fill)" : "");
  }
}
