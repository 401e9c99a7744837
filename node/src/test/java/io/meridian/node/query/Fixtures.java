package io.meridian.node.query;

import io.meridian.protocol.SeriesKey;
import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.RateOptions;
import io.meridian.protocol.opentsdb.SubQuery;
import io.meridian.protocol.opentsdb.TagFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders shared by the evaluator tests. */
final class Fixtures {

  /** 2013-01-01T00:00:00Z, a multiple of every interval used in the tests up to a day. */
  static final long T0 = 1_356_998_400_000L;

  static final long SECOND = 1000L;

  private Fixtures() {}

  static Map<String, String> tags(String... keyValues) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      tags.put(keyValues[i], keyValues[i + 1]);
    }
    return tags;
  }

  /** A series from alternating (seconds after {@link #T0}, value) pairs. */
  static SeriesSamples series(Map<String, String> tags, double... secondsAndValues) {
    int n = secondsAndValues.length / 2;
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = T0 + Math.round(secondsAndValues[2 * i] * SECOND);
      vs[i] = secondsAndValues[2 * i + 1];
    }
    return new SeriesSamples(SeriesKey.of("tenant", "m", tags), ts, vs);
  }

  static SubQuery query(String aggregator) {
    return new SubQuery(0, aggregator, "m", List.of(), null, false, null, false);
  }

  static SubQuery query(String aggregator, String downsample) {
    return new SubQuery(
        0, aggregator, "m", List.of(), Downsample.parse(downsample), false, null, false);
  }

  static SubQuery rateQuery(String aggregator, RateOptions options) {
    return new SubQuery(0, aggregator, "m", List.of(), null, true, options, false);
  }

  static SubQuery groupedQuery(String aggregator, String... groupByKeys) {
    List<TagFilter> filters =
        java.util.Arrays.stream(groupByKeys)
            .map(k -> new TagFilter(k, TagFilter.WILDCARD, "*", true))
            .toList();
    return new SubQuery(0, aggregator, "m", filters, null, false, null, false);
  }

  /** Timestamps as seconds after {@link #T0}. */
  static long[] seconds(QueryResult result) {
    return java.util.Arrays.stream(result.timestamps()).map(t -> (t - T0) / SECOND).toArray();
  }

  static long[] longs(long... values) {
    return values;
  }
}
