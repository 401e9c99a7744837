package io.meridian.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Identity of one time series: the tenant (project) it belongs to, its metric name and its tags
 * (OpenTSDB) or labels (Prometheus). Tags are kept sorted so that two keys with the same tags in a
 * different order are equal and hash alike.
 *
 * <p>A value class rather than a record only so that it can keep its hash: every sample written
 * looks its key up at least twice (its group, then its series in the group), and a record would
 * hash the tenant, the metric and every tag each time (a fifth of the node's ingest profile).
 * Serialized as {@code {tenant, metric, tags}}, the shape it had as a record.
 */
public final class SeriesKey implements CborSerializable {

  private final String tenant;
  private final String metric;
  private final TreeMap<String, String> tags;
  private final SortedMap<String, String> tagsView;
  private final int hash;
  private final int chars;

  @JsonCreator
  public SeriesKey(
      @JsonProperty("tenant") String tenant,
      @JsonProperty("metric") String metric,
      @JsonProperty("tags") Map<String, String> tags) {
    this(tenant, metric, new TreeMap<>(tags == null ? Map.of() : tags), true);
  }

  private SeriesKey(String tenant, String metric, TreeMap<String, String> tags, boolean owned) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.tags = tags;
    this.tagsView = Collections.unmodifiableSortedMap(tags);
    // The hash the record had (components in order, the tags as a Map's hash), kept because a
    // series' group is derived from it: changing it would move stored series to other groups.
    int tagsHash = 0;
    int tagChars = 0;
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      tagsHash += tag.getKey().hashCode() ^ tag.getValue().hashCode();
      tagChars += tag.getKey().length() + tag.getValue().length();
    }
    this.chars = tenant.length() + metric.length() + tagChars;
    this.hash = (tenant.hashCode() * 31 + metric.hashCode()) * 31 + tagsHash;
  }

  public static SeriesKey of(String tenant, String metric, Map<String, String> tags) {
    return new SeriesKey(tenant, metric, tags);
  }

  /**
   * A key over {@code tags} itself, without the defensive copy: for decoders that build a fresh map
   * per series and never touch it again.
   */
  public static SeriesKey ofOwned(String tenant, String metric, TreeMap<String, String> tags) {
    if (tags.comparator() != null) {
      return new SeriesKey(tenant, metric, tags);
    }
    return new SeriesKey(tenant, metric, tags, true);
  }

  @JsonProperty("tenant")
  public String tenant() {
    return tenant;
  }

  @JsonProperty("metric")
  public String metric() {
    return metric;
  }

  /** The tags in name order, unmodifiable. */
  @JsonProperty("tags")
  public SortedMap<String, String> tags() {
    return tagsView;
  }

  /** The chars of all its strings (tenant, metric, tag names and values), for size estimates. */
  public int chars() {
    return chars;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof SeriesKey that)
        || hash != that.hash
        || tags.size() != that.tags.size()
        || !metric.equals(that.metric)
        || !tenant.equals(that.tenant)) {
      return false;
    }
    // Both sorted by name in natural order: compare pairwise instead of looking every name up.
    Iterator<Map.Entry<String, String>> mine = tags.entrySet().iterator();
    Iterator<Map.Entry<String, String>> theirs = that.tags.entrySet().iterator();
    while (mine.hasNext()) {
      Map.Entry<String, String> a = mine.next();
      Map.Entry<String, String> b = theirs.next();
      if (!a.getKey().equals(b.getKey()) || !a.getValue().equals(b.getValue())) {
        return false;
      }
    }
    return true;
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
