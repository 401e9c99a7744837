package io.meridian.protocol.opentsdb;

import io.meridian.protocol.CborSerializable;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One metric query of an OpenTSDB query (one {@code m=} parameter or one element of the JSON {@code
 * queries} array), after parsing and validation.
 *
 * <p>Evaluation order, as in OpenTSDB 2.x: select the series of {@link #metric} that pass every
 * filter, downsample each series, convert each to a rate if {@link #rate}, then group the series by
 * the values of the group-by tag keys and merge each group with {@link #aggregator}.
 *
 * <p>A sub query selects series either by metric and filters or, when {@link #tsuids} is not empty,
 * by OpenTSDB series identifiers; then {@link #metric} is null until the node resolved the TSUIDs
 * (all of one metric), the filters are empty and all selected series form one group.
 *
 * @param index the position of this sub query in the request, starting at 0
 * @param aggregator the name of the aggregation function, one of {@link QueryParser#AGGREGATORS}
 * @param metric the metric name; null only for a TSUID query
 * @param filters the tag filters; all must pass for a series to be selected. Tags given in the 1.x
 *     {@code {host=web01}} form are already converted to group-by filters
 * @param downsample the downsampler, or null for none
 * @param rate whether to convert values to per-second rates of change
 * @param rateOptions counter options for the rate; never null
 * @param explicitTags whether series must carry exactly the filtered tag keys and no others
 * @param tsuids the upper-case TSUIDs a TSUID query selects, sharing one metric UID; empty for a
 *     metric query
 */
public record SubQuery(
    int index,
    String aggregator,
    String metric,
    List<TagFilter> filters,
    Downsample downsample,
    boolean rate,
    RateOptions rateOptions,
    boolean explicitTags,
    List<String> tsuids)
    implements CborSerializable {

  public SubQuery {
    Objects.requireNonNull(aggregator, "aggregator");
    tsuids = tsuids == null ? List.of() : List.copyOf(tsuids);
    if (tsuids.isEmpty()) {
      Objects.requireNonNull(metric, "metric");
    }
    filters = filters == null ? List.of() : List.copyOf(filters);
    rateOptions = rateOptions == null ? RateOptions.DEFAULT : rateOptions;
  }

  /** A metric query. */
  public SubQuery(
      int index,
      String aggregator,
      String metric,
      List<TagFilter> filters,
      Downsample downsample,
      boolean rate,
      RateOptions rateOptions,
      boolean explicitTags) {
    this(
        index, aggregator, metric, filters, downsample, rate, rateOptions, explicitTags, List.of());
  }

  /** Whether this sub query selects series by TSUID rather than by metric and filters. */
  public boolean byTsuids() {
    return !tsuids.isEmpty();
  }

  /** This sub query with the metric its TSUIDs resolved to. */
  public SubQuery withMetric(String resolvedMetric) {
    return new SubQuery(
        index,
        aggregator,
        resolvedMetric,
        filters,
        downsample,
        rate,
        rateOptions,
        explicitTags,
        tsuids);
  }

  /** The sorted, distinct tag keys of the filters whose {@code groupBy} flag is set. */
  public List<String> groupByTagKeys() {
    TreeSet<String> keys = new TreeSet<>();
    for (TagFilter filter : filters) {
      if (filter.groupBy()) {
        keys.add(filter.tagk());
      }
    }
    return List.copyOf(keys);
  }

  /** The sorted, distinct tag keys of all filters (what {@link #explicitTags} requires). */
  public List<String> filterTagKeys() {
    TreeSet<String> keys = new TreeSet<>();
    for (TagFilter filter : filters) {
      keys.add(filter.tagk());
    }
    return List.copyOf(keys);
  }
}
