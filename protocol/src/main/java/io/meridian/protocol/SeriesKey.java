package io.meridian.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
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
  private final SortedTags tags;
  private final int hash;
  private final int chars;
  private final int tagCount;

  /**
   * Left here by the one series group that holds this key, for its next lookup of the same key
   * object (see {@link #attach}); not part of the key's value.
   */
  private transient Object attachment;

  @JsonCreator
  public SeriesKey(
      @JsonProperty("tenant") String tenant,
      @JsonProperty("metric") String metric,
      @JsonProperty("tags") Map<String, String> tags) {
    this(
        tenant,
        metric,
        tags instanceof SortedTags sorted
            ? sorted
            : SortedTags.ofSorted(new TreeMap<>(tags == null ? Map.of() : tags)));
  }

  private SeriesKey(String tenant, String metric, SortedTags tags) {
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.metric = Objects.requireNonNull(metric, "metric");
    this.tags = tags;
    // The hash the record had (components in order, the tags as a Map's hash), kept because a
    // series' group is derived from it: changing it would move stored series to other groups.
    int tagsHash = 0;
    int tagChars = 0;
    for (int i = 0; i < this.tags.size(); i++) {
      String name = this.tags.name(i);
      String value = this.tags.value(i);
      tagsHash += name.hashCode() ^ value.hashCode();
      tagChars += name.length() + value.length();
    }
    this.chars = tenant.length() + metric.length() + tagChars;
    this.tagCount = this.tags.size();
    this.hash = (tenant.hashCode() * 31 + metric.hashCode()) * 31 + tagsHash;
  }

  public static SeriesKey of(String tenant, String metric, Map<String, String> tags) {
    return new SeriesKey(tenant, metric, tags);
  }

  /**
   * A key over the tags of a map already sorted in natural order, without first copying it into
   * another: for decoders that build a fresh map per series and never touch it again.
   */
  public static SeriesKey ofOwned(String tenant, String metric, TreeMap<String, String> tags) {
    if (tags.comparator() != null) {
      return new SeriesKey(tenant, metric, tags);
    }
    return new SeriesKey(tenant, metric, SortedTags.ofSorted(tags));
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
    return tags;
  }

  /** The chars of all its strings (tenant, metric, tag names and values), for size estimates. */
  public int chars() {
    return chars;
  }

  /**
   * The number of tags, as {@code tags().size()} but without reading the tags: a writer estimating
   * a request's size touches only the key, which it has just hashed.
   */
  public int tagCount() {
    return tagCount;
  }

  /**
   * What a holder left on this key object, or null. Keys of remote-write senders are the same
   * objects request after request (their key cache), so a series group that finds its series here
   * skips a lookup in its index, which under ingest is a random access into memory the CPU caches
   * do not hold. Not synchronized: a holder must check that what it finds is its own (a reader on
   * another thread may see an older attachment or none) and must detach what it lets go.
   */
  public Object attachment() {
    return attachment;
  }

  /** Leaves {@code holder} on this key object (null to clear); see {@link #attachment()}. */
  public void attach(Object holder) {
    this.attachment = holder;
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
    return tags.sameAs(that.tags);
  }

  /** A stable, human-readable form, e.g. {@code sys.cpu.user{host=web01}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(metric).append('{');
    for (int i = 0; i < tags.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(tags.name(i)).append('=').append(tags.value(i));
    }
    return sb.append('}').toString();
  }
}
