package io.meridian.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Identity of one time series: the tenant (project) it belongs to, its metric name and its tags
 * (OpenTSDB) or labels (Prometheus). Tags are kept sorted so that two keys with the same tags in a
 * different order are equal and hash alike.
 */
public record SeriesKey(String tenant, String metric, SortedMap<String, String> tags)
    implements CborSerializable {

  public SeriesKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(metric, "metric");
    tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags == null ? Map.of() : tags));
  }

  public static SeriesKey of(String tenant, String metric, Map<String, String> tags) {
    return new SeriesKey(tenant, metric, new TreeMap<>(tags));
  }

  /** A stable, human-readable form, e.g. {@code sys.cpu.user{host=web01}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metric).append('{');
    boolean first = true;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      sb.append(tag.getKey()).append('=').append(tag.getValue());
      first = false;
    }
    return sb.append('}').toString();
  }
}
