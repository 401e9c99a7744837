package io.meridian.node.promql;

import io.meridian.protocol.SeriesKey;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The label set of a PromQL series, sorted by name, with the metric name under {@code __name__}.
 * One Meridian series key is one label set: its metric is {@code __name__} and its tags are the
 * other labels, so OpenTSDB and Prometheus see the same series.
 *
 * <p>Immutable. A range query evaluates every step anew, so the same series' labels are asked for
 * the same derived label set (without the metric name, the grouping labels of an aggregation) at
 * every step: a label set keeps its hash and the last such result, so that the steps after the
 * first reuse them instead of building new maps (a fifth of a range query's time before).
 */
public final class Labels implements Comparable<Labels> {

  public static final String METRIC_NAME = "__name__";

  private static final Labels EMPTY = new Labels(new TreeMap<>());

  private final SortedMap<String, String> map;

  /** 0 until computed (as String does: racy but safe, a thread sees 0 or the hash). */
  private int hash;

  private Labels withoutName;
  private Derived lastDerived;

  /** The last {@link #keep} or {@link #without} result, for the same names object. */
  private record Derived(Collection<String> names, boolean keep, Labels result) {}

  public Labels(SortedMap<String, String> map) {
    this.map = Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }

  /** The labels, sorted by name, unmodifiable. */
  public SortedMap<String, String> map() {
    return map;
  }

  public static Labels empty() {
    return EMPTY;
  }

  public static Labels of(Map<String, String> labels) {
    return new Labels(new TreeMap<>(labels));
  }

  /** The labels of a stored series: its tags plus {@code __name__} = its metric. */
  public static Labels of(SeriesKey key) {
    TreeMap<String, String> labels = new TreeMap<>(key.tags());
    labels.put(METRIC_NAME, key.metric());
    return new Labels(labels);
  }

  /** The value of {@code name}, or null. */
  public String get(String name) {
    return map.get(name);
  }

  public String metricName() {
    return map.get(METRIC_NAME);
  }

  /** A copy with {@code name} set to {@code value}; an empty value removes the label. */
  public Labels with(String name, String value) {
    TreeMap<String, String> copy = new TreeMap<>(map);
    if (value == null || value.isEmpty()) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    return new Labels(copy);
  }

  /** A copy without {@code __name__} (what most functions and operators return). */
  public Labels withoutMetricName() {
    Labels result = withoutName;
    if (result == null) {
      result = map.containsKey(METRIC_NAME) ? without(List.of(METRIC_NAME)) : this;
      withoutName = result;
    }
    return result;
  }

  /** A copy with only the given label names. */
  public Labels keep(Collection<String> names) {
    Derived last = lastDerived;
    if (last != null && last.names() == names && last.keep()) {
      return last.result();
    }
    Labels result = kept(names);
    lastDerived = new Derived(names, true, result);
    return result;
  }

  private Labels kept(Collection<String> names) {
    TreeMap<String, String> copy = new TreeMap<>();
    for (String name : names) {
      String value = map.get(name);
      if (value != null) {
        copy.put(name, value);
      }
    }
    return new Labels(copy);
  }

  /** A copy without the given label names. */
  public Labels without(Collection<String> names) {
    Derived last = lastDerived;
    if (last != null && last.names() == names && !last.keep()) {
      return last.result();
    }
    TreeMap<String, String> copy = new TreeMap<>(map);
    names.forEach(copy::remove);
    Labels result = new Labels(copy);
    lastDerived = new Derived(names, false, result);
    return result;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || other instanceof Labels that
            && (hash == 0 || that.hash == 0 || hash == that.hash)
            && map.equals(that.map);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = map.hashCode();
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Labels other) {
    var a = map.entrySet().iterator();
    var b = other.map.entrySet().iterator();
    while (a.hasNext() && b.hasNext()) {
      Map.Entry<String, String> x = a.next();
      Map.Entry<String, String> y = b.next();
      int c = x.getKey().compareTo(y.getKey());
      if (c != 0) {
        return c;
      }
      c = x.getValue().compareTo(y.getValue());
      if (c != 0) {
        return c;
      }
    }
    return Boolean.compare(a.hasNext(), b.hasNext());
  }

  @Override
  public String toString() {
    return map.toString();
  }
}
