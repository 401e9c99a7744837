package io.meridian.node.query;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.opentsdb.Downsample;
import io.meridian.protocol.opentsdb.FillPolicy;
import io.meridian.protocol.opentsdb.RateOptions;
import io.meridian.protocol.opentsdb.SubQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Evaluates one OpenTSDB sub query over the series it selected, the way OpenTSDB 2.x does:
 *
 * <ol>
 *   <li><b>Range.</b> Only points in {@code [start, end]} are used.
 *   <li><b>Downsampling</b>, per series. Buckets are aligned on multiples of the interval since the
 *       epoch (or on calendar boundaries for calendar downsamplers) and named by their start. As in
 *       OpenTSDB, only buckets whose start lies in {@code [start, end]} are returned, so a bucket
 *       that begins before {@code start} is dropped, while the last bucket keeps the points after
 *       {@code end} that the caller supplied (see {@link #scanRange} for what to read). The fill
 *       policy emits NaN (nan, null) or 0 (zero) for every empty bucket whose start is in the
 *       range. {@code all} makes one bucket, at {@code start}, of the points in {@code [start,
 *       end)}.
 *   <li><b>Rate</b>, per series: the per-second change between consecutive points, at the later
 *       point, so the first point has no rate. A counter decrease is a roll-over to {@code
 *       counterMax}; a roll-over rate above a positive {@code resetValue} becomes 0; with {@code
 *       dropResets} the rate at a decrease is dropped instead.
 *   <li><b>Grouping</b> by the values of the group-by tag keys (filters with {@code groupBy}).
 *   <li><b>Aggregation</b> of each group at every timestamp of any of its series. A series with no
 *       point at that timestamp contributes per the aggregator's {@link Interpolation}, and only
 *       between its own first and last point. For rates OpenTSDB does not interpolate: the series'
 *       previous rate is used whatever the aggregator. NaN values are skipped; a timestamp where
 *       every value is NaN yields NaN. The {@code none} aggregator skips grouping and aggregation
 *       and returns every series on its own.
 * </ol>
 *
 * <p>Results are ordered by the values of the group-by tags ({@code none}: by the series tags);
 * groups without any point are left out.
 *
 * <p>Deviations from OpenTSDB, which only affect edge cases: OpenTSDB computes a junk rate for the
 * first point of each series (against a zero value at the epoch) which leaks into the aggregate
 * where another series starts earlier; here a series' rates only take part from its first rate on.
 * Wildcard and mimmax corner cases are described on {@code TagFilter} and {@link
 * Interpolation#MIN}.
 */
public final class SubQueryEvaluator {

  private SubQueryEvaluator() {}

  /**
   * Evaluates {@code q} at millisecond resolution, i.e. without OpenTSDB's implicit one-second
   * downsampling (the query's {@code ms} flag set).
   *
   * @param q the sub query
   * @param series the series of {@code q.metric()} that pass its filters (and explicit tags), each
   *     sorted ascending by timestamp
   * @param startMs the query start, inclusive
   * @param endMs the query end, inclusive
   */
  public static List<QueryResult> evaluate(
      SubQuery q, List<SeriesSamples> series, long startMs, long endMs) {
    return evaluate(q, series, startMs, endMs, true);
  }

  /**
   * Evaluates {@code q}. When {@code msResolution} is false and the sub query has no downsampler,
   * OpenTSDB downsamples every series to one second with the sub query's aggregator, so that
   * second-resolution output never holds two points with the same timestamp; this does the same
   * (except for {@code none}, which cannot downsample).
   *
   * @param q the sub query
   * @param series the series of {@code q.metric()} that pass its filters (and explicit tags), each
   *     sorted ascending by timestamp
   * @param startMs the query start, inclusive
   * @param endMs the query end, inclusive
   * @param msResolution the query's {@code ms} / {@code msResolution} flag
   */
  public static List<QueryResult> evaluate(
      SubQuery q, List<SeriesSamples> series, long startMs, long endMs, boolean msResolution) {
    Objects.requireNonNull(q, "q");
    Aggregator aggregator = Aggregators.get(q.aggregator());
    Downsample downsample = effectiveDownsample(q, msResolution);
    boolean nullFill = downsample != null && downsample.fill() == FillPolicy.NULL;

    List<Series> prepared = new ArrayList<>(series.size());
    for (SeriesSamples samples : series) {
      Series s = Series.of(samples);
      // The implicit one-second downsampling only matters where a second holds a finer point;
      // applied to whole-second data it would just run the aggregator over single values (which
      // turns dev into 0), so such series are left as they are.
      Downsample own =
          q.downsample() == null && downsample != null && onWholeSeconds(samples)
              ? null
              : downsample;
      s = own == null ? s.clip(startMs, endMs) : downsample(s, own, startMs, endMs);
      if (q.rate()) {
        s = rate(s, q.rateOptions());
      }
      prepared.add(s);
    }

    List<QueryResult> results = new ArrayList<>();
    if (aggregator instanceof NoneAggregator) {
      prepared.sort(Comparator.comparing(s -> s.tags.toString()));
      for (Series s : prepared) {
        if (s.size() > 0) {
          results.add(
              new QueryResult(q.metric(), s.tags, List.of(), s.timestamps, s.values, nullFill));
        }
      }
      return results;
    }

    List<String> groupBy = q.groupByTagKeys();
    TreeMap<List<String>, List<Series>> groups = new TreeMap<>(SubQueryEvaluator::compareKeys);
    for (Series s : prepared) {
      List<String> key = new ArrayList<>(groupBy.size());
      for (String tagk : groupBy) {
        key.add(s.tags.get(tagk));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    for (List<Series> group : groups.values()) {
      // A stable member order makes first/last deterministic.
      group.sort(Comparator.comparing(s -> s.tags.toString()));
      QueryResult result = aggregate(q.metric(), group, aggregator, q.rate(), nullFill);
      if (result.size() > 0) {
        results.add(result);
      }
    }
    return results;
  }

  /**
   * The time range, inclusive, whose points {@link #evaluate} uses for {@code q}: {@code [start,
   * end]} without downsampling, extended to the end of the bucket that contains {@code end} when
   * downsampling, as OpenTSDB scans it.
   */
  public static long[] scanRange(SubQuery q, long startMs, long endMs, boolean msResolution) {
    Downsample downsample = effectiveDownsample(q, msResolution);
    if (downsample == null || downsample.coversWholeRange()) {
      return new long[] {startMs, endMs};
    }
    BucketGrid grid = BucketGrid.of(downsample, startMs);
    return new long[] {startMs, Math.max(endMs, grid.next(grid.floor(endMs)) - 1)};
  }

  private static boolean onWholeSeconds(SeriesSamples samples) {
    for (long ts : samples.timestamps()) {
      if (ts % 1000 != 0) {
        return false;
      }
    }
    return true;
  }

  private static Downsample effectiveDownsample(SubQuery q, boolean msResolution) {
    if (q.downsample() != null) {
      return q.downsample();
    }
    if (!msResolution && !q.aggregator().equals("none")) {
      return Downsample.of(1000, q.aggregator(), FillPolicy.NONE);
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Downsampling

  static Series downsample(Series s, Downsample ds, long startMs, long endMs) {
    Aggregator function = Aggregators.get(ds.aggregator());
    double[] buffer = new double[Math.max(1, s.size())];
    if (ds.coversWholeRange()) {
      int count = 0;
      for (int i = 0; i < s.size(); i++) {
        // OpenTSDB's "all" bucket excludes the end.
        if (s.timestamps[i] >= startMs && s.timestamps[i] < endMs) {
          buffer[count++] = s.values[i];
        }
      }
      if (count == 0) {
        return s.with(new long[0], new double[0]);
      }
      return s.with(new long[] {startMs}, new double[] {run(function, buffer, count)});
    }

    BucketGrid grid = BucketGrid.of(ds, startMs);
    LongList outTimes = new LongList();
    DoubleList outValues = new DoubleList();
    FillPolicy fill = ds.fill();
    double fillValue = fill == FillPolicy.ZERO ? 0 : Double.NaN;
    // The next bucket start a filling downsampler still has to emit.
    long expected = grid.ceil(startMs);

    int i = 0;
    while (i < s.size() && s.timestamps[i] < startMs) {
      i++;
    }
    while (i < s.size()) {
      long bucket = grid.floor(s.timestamps[i]);
      if (bucket > endMs) {
        break;
      }
      long bucketEnd = grid.next(bucket);
      int count = 0;
      while (i < s.size() && s.timestamps[i] < bucketEnd) {
        buffer[count++] = s.values[i++];
      }
      if (bucket < startMs) {
        // The partial bucket before the start: OpenTSDB seeks past it.
        continue;
      }
      if (fill != FillPolicy.NONE) {
        for (; expected < bucket; expected = grid.next(expected)) {
          outTimes.add(expected);
          outValues.add(fillValue);
        }
        expected = bucketEnd;
      }
      outTimes.add(bucket);
      outValues.add(run(function, buffer, count));
    }
    if (fill != FillPolicy.NONE) {
      for (; expected <= endMs; expected = grid.next(expected)) {
        outTimes.add(expected);
        outValues.add(fillValue);
      }
    }
    return s.with(outTimes.toArray(), outValues.toArray());
  }

  // ---------------------------------------------------------------------------------------------
  // Rate

  static Series rate(Series s, RateOptions options) {
    int n = s.size();
    LongList times = new LongList();
    DoubleList rates = new DoubleList();
    for (int i = 1; i < n; i++) {
      long t0 = s.timestamps[i - 1];
      long t1 = s.timestamps[i];
      double v0 = s.values[i - 1];
      double v1 = s.values[i];
      double seconds = (t1 - t0) / 1000.0;
      double difference = v1 - v0;
      double rate;
      if (options.counter() && difference < 0) {
        if (options.dropResets()) {
          continue;
        }
        rate = ((double) options.counterMax() - v0 + v1) / seconds;
        if (options.resetValue() > RateOptions.DEFAULT_RESET_VALUE && rate > options.resetValue()) {
          rate = 0;
        }
      } else {
        rate = difference / seconds;
      }
      times.add(t1);
      rates.add(rate);
    }
    return s.with(times.toArray(), rates.toArray());
  }

  // ---------------------------------------------------------------------------------------------
  // Aggregation across series

  static QueryResult aggregate(
      String metric, List<Series> group, Aggregator aggregator, boolean rate, boolean nullFill) {
    long[] times = unionOfTimestamps(group);
    double[] out = new double[times.length];
    double[] buffer = new double[group.size()];
    int[] cursor = new int[group.size()];
    Interpolation interpolation = aggregator.interpolation();

    for (int t = 0; t < times.length; t++) {
      long x = times[t];
      int count = 0;
      for (int g = 0; g < group.size(); g++) {
        Series s = group.get(g);
        int p = cursor[g];
        while (p < s.size() && s.timestamps[p] < x) {
          p++;
        }
        cursor[g] = p;
        double value;
        if (p < s.size() && s.timestamps[p] == x) {
          value = s.values[p];
        } else if (p == 0 || p == s.size()) {
          // Before the series' first point or after its last one: it does not take part.
          continue;
        } else if (rate) {
          value = s.values[p - 1];
        } else if (interpolation == Interpolation.LERP) {
          long x0 = s.timestamps[p - 1];
          long x1 = s.timestamps[p];
          double y0 = s.values[p - 1];
          double y1 = s.values[p];
          value = y0 + (x - x0) * (y1 - y0) / (x1 - x0);
        } else {
          value = interpolation.missingValue();
        }
        if (!Double.isNaN(value)) {
          buffer[count++] = value;
        }
      }
      out[t] = count == 0 ? Double.NaN : aggregator.aggregate(buffer, count);
    }

    // Common tags have one value across the group; the other keys are aggregated.
    TreeMap<String, String> common = new TreeMap<>(group.get(0).tags);
    TreeMap<String, Boolean> allKeys = new TreeMap<>();
    for (Series s : group) {
      for (String key : s.tags.keySet()) {
        allKeys.put(key, Boolean.TRUE);
      }
      Iterator<Map.Entry<String, String>> it = common.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, String> tag = it.next();
        if (!tag.getValue().equals(s.tags.get(tag.getKey()))) {
          it.remove();
        }
      }
    }
    List<String> aggregated = new ArrayList<>();
    for (String key : allKeys.keySet()) {
      if (!common.containsKey(key)) {
        aggregated.add(key);
      }
    }
    return new QueryResult(metric, common, aggregated, times, out, nullFill);
  }

  private static long[] unionOfTimestamps(List<Series> group) {
    int total = 0;
    for (Series s : group) {
      total += s.size();
    }
    long[] all = new long[total];
    int n = 0;
    for (Series s : group) {
      System.arraycopy(s.timestamps, 0, all, n, s.size());
      n += s.size();
    }
    Arrays.sort(all);
    int distinct = 0;
    for (int i = 0; i < all.length; i++) {
      if (i == 0 || all[i] != all[distinct - 1]) {
        all[distinct++] = all[i];
      }
    }
    return Arrays.copyOf(all, distinct);
  }

  /** Runs an aggregator over the non-NaN values, NaN if there are none. */
  private static double run(Aggregator aggregator, double[] values, int count) {
    int kept = 0;
    for (int i = 0; i < count; i++) {
      if (!Double.isNaN(values[i])) {
        values[kept++] = values[i];
      }
    }
    return kept == 0 ? Double.NaN : aggregator.aggregate(values, kept);
  }

  private static int compareKeys(List<String> a, List<String> b) {
    Comparator<String> nullsFirst = Comparator.nullsFirst(Comparator.naturalOrder());
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = nullsFirst.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  // ---------------------------------------------------------------------------------------------
  // Internal representation

  /** A series being evaluated: its tags and strictly ascending points. */
  static final class Series {
    final SortedMap<String, String> tags;
    final long[] timestamps;
    final double[] values;

    private Series(SortedMap<String, String> tags, long[] timestamps, double[] values) {
      this.tags = tags;
      this.timestamps = timestamps;
      this.values = values;
    }

    /**
     * Copies the samples, sorting them and keeping the last value of a repeated timestamp if the
     * caller did not already deliver them strictly ascending.
     */
    static Series of(SeriesSamples samples) {
      long[] ts = samples.timestamps();
      double[] vs = samples.values();
      boolean strictlyAscending = true;
      for (int i = 1; i < ts.length && strictlyAscending; i++) {
        strictlyAscending = ts[i - 1] < ts[i];
      }
      if (strictlyAscending) {
        return new Series(samples.key().tags(), ts, vs);
      }
      Integer[] order = new Integer[ts.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      // Stable sort, so the last written of equal timestamps stays last.
      Arrays.sort(order, Comparator.comparingLong(i -> ts[i]));
      LongList times = new LongList();
      DoubleList values = new DoubleList();
      for (int i : order) {
        if (times.size() > 0 && times.last() == ts[i]) {
          values.setLast(vs[i]);
        } else {
          times.add(ts[i]);
          values.add(vs[i]);
        }
      }
      return new Series(samples.key().tags(), times.toArray(), values.toArray());
    }

    int size() {
      return timestamps.length;
    }

    Series with(long[] newTimestamps, double[] newValues) {
      return new Series(tags, newTimestamps, newValues);
    }

    Series clip(long startMs, long endMs) {
      int from = 0;
      while (from < timestamps.length && timestamps[from] < startMs) {
        from++;
      }
      int to = from;
      while (to < timestamps.length && timestamps[to] <= endMs) {
        to++;
      }
      if (from == 0 && to == timestamps.length) {
        return this;
      }
      return with(Arrays.copyOfRange(timestamps, from, to), Arrays.copyOfRange(values, from, to));
    }
  }

  /** A growable array of primitive longs. */
  private static final class LongList {
    private long[] items = new long[16];
    private int size;

    void add(long value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    int size() {
      return size;
    }

    long last() {
      return items[size - 1];
    }

    long[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }

  /** A growable array of primitive doubles. */
  private static final class DoubleList {
    private double[] items = new double[16];
    private int size;

    void add(double value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    void setLast(double value) {
      items[size - 1] = value;
    }

    double[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
