package io.meridian.node.promql;

import io.meridian.protocol.SeriesSamples;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates vector and matrix selectors over the samples a query loaded, with Prometheus 2.42's
 * rules: an instant selector takes each series' latest sample in {@code [t − lookback, t]} unless
 * it is a stale marker; a matrix selector takes the samples in {@code [t − range, t]} without stale
 * markers; {@code offset} shifts {@code t} back and {@code @} pins it first.
 */
final class Selectors {

  private final Map<List<LabelMatcher>, List<LoadedSeries>> data;

  /**
   * The series of each selector's matchers object: a range query asks at every step, and the lookup
   * by equal matchers compares every matcher's strings (long regexes included) each time. Safe
   * because evaluation is single-threaded per query.
   */
  private final Map<List<LabelMatcher>, List<LoadedSeries>> bySelector = new IdentityHashMap<>();

  private final long lookbackMs;
  private final long queryStartMs;
  private final long queryEndMs;
  private final QueryLimits limits;

  Selectors(
      Map<List<LabelMatcher>, List<LoadedSeries>> data,
      long lookbackMs,
      long queryStartMs,
      long queryEndMs,
      QueryLimits limits) {
    this.data = data;
    this.lookbackMs = lookbackMs;
    this.queryStartMs = queryStartMs;
    this.queryEndMs = queryEndMs;
    this.limits = limits;
  }

  /**
   * The instant vector {@code selector} selects at {@code timeMs}; samples carry {@code timeMs}, or
   * their own time when {@code rawTimestamps} ({@code timestamp()} needs it).
   */
  List<Value.Sample> instant(Expr.VectorSelector selector, long timeMs, boolean rawTimestamps) {
    long reference = pinned(selector, timeMs) - selector.offsetMs();
    List<Value.Sample> samples = new ArrayList<>();
    for (LoadedSeries series : series(selector)) {
      int i = series.lastAtOrBefore(reference);
      if (i < 0 || series.timestampsMs()[i] < reference - lookbackMs) {
        continue;
      }
      double value = series.values()[i];
      if (SeriesSamples.isStaleMarker(value)) {
        continue;
      }
      samples.add(
          new Value.Sample(
              series.labels(), rawTimestamps ? series.timestampsMs()[i] : timeMs, value));
    }
    limits.checkTransient(samples.size());
    return samples;
  }

  /** The range vector {@code selector} selects at {@code timeMs}; series without points omitted. */
  RangeWindow range(Expr.MatrixSelector selector, long timeMs) {
    Expr.VectorSelector vector = selector.selector();
    long end = pinned(vector, timeMs) - vector.offsetMs();
    long start = end - selector.rangeMs();
    List<Value.Series> result = new ArrayList<>();
    long points = 0;
    for (LoadedSeries series : series(vector)) {
      int from = series.firstAtOrAfter(start);
      int to = series.lastAtOrBefore(end) + 1;
      if (from >= to) {
        continue;
      }
      int stale = 0;
      for (int i = from; i < to; i++) {
        if (SeriesSamples.isStaleMarker(series.values()[i])) {
          stale++;
        }
      }
      int n = to - from - stale;
      if (n == 0) {
        continue;
      }
      result.add(points(series.labels(), series.timestampsMs(), series.values(), from, to, n));
      points += n;
    }
    limits.checkTransient(points);
    return new RangeWindow(result, start, end);
  }

  /**
   * The {@code n} points of {@code [from, to)} that are not stale markers, as a series of a range
   * vector: one array copy each when there is no stale marker among them.
   */
  static Value.Series points(Labels labels, long[] ts, double[] vs, int from, int to, int n) {
    if (n == to - from) {
      return new Value.Series(
          labels, Arrays.copyOfRange(ts, from, to), Arrays.copyOfRange(vs, from, to));
    }
    long[] kept = new long[n];
    double[] values = new double[n];
    int at = 0;
    for (int i = from; i < to; i++) {
      if (!SeriesSamples.isStaleMarker(vs[i])) {
        kept[at] = ts[i];
        values[at++] = vs[i];
      }
    }
    return new Value.Series(labels, kept, values);
  }

  /** The evaluation time after {@code @}: the pinned time, or {@code timeMs} without one. */
  long pinned(Expr.VectorSelector selector, long timeMs) {
    return selector.at() == null ? timeMs : selector.at().resolve(queryStartMs, queryEndMs);
  }

  /** The loaded series of {@code selector}'s matchers. */
  List<LoadedSeries> series(Expr.VectorSelector selector) {
    return bySelector.computeIfAbsent(
        selector.matchers(), matchers -> data.getOrDefault(matchers, List.of()));
  }
}
