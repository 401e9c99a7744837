package io.meridian.node.query.expression;

import io.meridian.node.query.QueryResult;
import io.meridian.protocol.opentsdb.expression.ExpressionQuery;
import io.meridian.protocol.opentsdb.expression.NumericFill;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the outputs of an {@code /api/query/exp} request from the results of its metrics. Pure:
 * no I/O, so every join and arithmetic rule is unit-testable without a node.
 *
 * <p><b>Metrics.</b> Each result of a metric's sub query is one series. Its timestamps are moved
 * forward by the metric's {@code timeOffset}, and its NaN values (empty downsampling buckets)
 * become the metric's fill value.
 *
 * <p><b>Joins.</b> An expression's variables are matched series by series on a join key: the
 * series' common tags (with {@code useQueryTags}, only those whose keys the variable's filters
 * name; for a nested expression, the keys of all its metrics' filters) and, with {@code
 * includeAggTags} (the default), its aggregated tag keys. {@code intersection} computes the keys
 * every variable has, {@code union} every key any variable has, using the fill value of a variable
 * that lacks it. A variable with a single series and an empty key (a metric aggregated into one
 * series) joins every key, so {@code a / total} divides each series of {@code a} by the total.
 *
 * <p><b>Arithmetic.</b> Per key, at every timestamp of any of the joined series; a variable with no
 * point there takes its fill value (the metric's fill policy, or a nested expression's). A NaN
 * result (NaN operand, division by zero) becomes the expression's fill value.
 */
public final class ExpressionEvaluator {

  /** Marks an aggregated tag key in a join key, where a common tag would have its value. */
  private static final String AGGREGATED = "\u0000*";

  private final Map<String, ExpressionQuery.Metric> metrics = new HashMap<>();
  private final Map<String, ExpressionQuery.Expression> expressions = new HashMap<>();
  private final Map<String, List<QueryResult>> results;
  private final Map<String, List<ExpressionSeries>> computed = new HashMap<>();

  private ExpressionEvaluator(ExpressionQuery query, Map<String, List<QueryResult>> results) {
    this.results = results;
    query.metrics().forEach(m -> metrics.put(m.id(), m));
    query.expressions().forEach(e -> expressions.put(e.id(), e));
  }

  /**
   * Computes every output of {@code query}.
   *
   * @param results the results of each metric's sub query, by metric id (missing: no series)
   * @return the series of each output id, in the order of {@link ExpressionQuery#outputs()}
   */
  public static Map<String, List<ExpressionSeries>> evaluate(
      ExpressionQuery query, Map<String, List<QueryResult>> results) {
    ExpressionEvaluator evaluator = new ExpressionEvaluator(query, results);
    Map<String, List<ExpressionSeries>> outputs = new LinkedHashMap<>();
    for (ExpressionQuery.Output output : query.outputs()) {
      outputs.put(output.id(), evaluator.series(output.id()));
    }
    return outputs;
  }

  /** The series of a metric or expression id, computed once. */
  private List<ExpressionSeries> series(String id) {
    List<ExpressionSeries> known = computed.get(id);
    if (known != null) {
      return known;
    }
    List<ExpressionSeries> series =
        metrics.containsKey(id) ? metricSeries(metrics.get(id)) : compute(expressions.get(id));
    computed.put(id, series);
    return series;
  }

  private List<ExpressionSeries> metricSeries(ExpressionQuery.Metric metric) {
    List<ExpressionSeries> series = new ArrayList<>();
    for (QueryResult result : results.getOrDefault(metric.id(), List.of())) {
      long[] timestamps = result.timestamps().clone();
      double[] values = result.values().clone();
      for (int i = 0; i < timestamps.length; i++) {
        timestamps[i] += metric.offsetMs();
        if (Double.isNaN(values[i])) {
          values[i] = metric.fill().value();
        }
      }
      series.add(
          new ExpressionSeries(
              List.of(result.metric()),
              result.tags(),
              result.aggregateTags(),
              timestamps,
              values,
              metric.fill()));
    }
    return series;
  }

  /** The tag keys named by the filters behind a variable, for {@code useQueryTags}. */
  private Set<String> queryTagKeys(String id) {
    if (metrics.containsKey(id)) {
      return new TreeSet<>(metrics.get(id).query().filterTagKeys());
    }
    Set<String> keys = new TreeSet<>();
    for (String variable : expressions.get(id).parsed().variables()) {
      keys.addAll(queryTagKeys(variable));
    }
    return keys;
  }

  private NumericFill fillOf(String id) {
    return metrics.containsKey(id) ? metrics.get(id).fill() : expressions.get(id).fill();
  }

  private List<ExpressionSeries> compute(ExpressionQuery.Expression expression) {
    ExpressionQuery.Join join = expression.join();
    Set<String> variables = expression.parsed().variables();
    // Per variable: its series by join key; a lone series with an empty key joins every key.
    Map<String, Map<SortedMap<String, String>, ExpressionSeries>> byKey = new LinkedHashMap<>();
    Map<String, ExpressionSeries> everywhere = new HashMap<>();
    TreeMap<String, SortedMap<String, String>> keys = new TreeMap<>();
    Map<SortedMap<String, String>, Integer> seenBy = new HashMap<>();
    int keyed = 0;
    for (String variable : variables) {
      List<ExpressionSeries> series = series(variable);
      Set<String> tagKeys = join.useQueryTags() ? queryTagKeys(variable) : null;
      if (series.size() == 1 && joinKey(series.get(0), tagKeys, join).isEmpty()) {
        everywhere.put(variable, series.get(0));
        continue;
      }
      keyed++;
      Map<SortedMap<String, String>, ExpressionSeries> mine = new LinkedHashMap<>();
      for (ExpressionSeries s : series) {
        // Two series of one variable with the same key cannot both be joined; the first wins.
        mine.putIfAbsent(joinKey(s, tagKeys, join), s);
      }
      for (SortedMap<String, String> key : mine.keySet()) {
        seenBy.merge(key, 1, Integer::sum);
        keys.put(key.toString(), key);
      }
      byKey.put(variable, mine);
    }
    if (keyed == 0 && !everywhere.isEmpty()) {
      keys.put("{}", new TreeMap<>());
    }
    List<ExpressionSeries> out = new ArrayList<>();
    for (SortedMap<String, String> key : keys.values()) {
      if (keyed > 0 && !join.union() && seenBy.getOrDefault(key, 0) < keyed) {
        continue;
      }
      Map<String, ExpressionSeries> joined = new LinkedHashMap<>();
      for (String variable : variables) {
        ExpressionSeries s =
            everywhere.containsKey(variable)
                ? everywhere.get(variable)
                : byKey.getOrDefault(variable, Map.of()).get(key);
        if (s != null) {
          joined.put(variable, s);
        }
      }
      out.add(combine(expression, joined));
    }
    return out;
  }

  private static SortedMap<String, String> joinKey(
      ExpressionSeries series, Set<String> tagKeys, ExpressionQuery.Join join) {
    SortedMap<String, String> key = new TreeMap<>();
    series
        .commonTags()
        .forEach(
            (k, v) -> {
              if (tagKeys == null || tagKeys.contains(k)) {
                key.put(k, v);
              }
            });
    if (join.includeAggTags()) {
      for (String k : series.aggregatedTags()) {
        if (tagKeys == null || tagKeys.contains(k)) {
          key.put(k, AGGREGATED);
        }
      }
    }
    return key;
  }

  /** Computes one output series from the series joined under one key. */
  private ExpressionSeries combine(
      ExpressionQuery.Expression expression, Map<String, ExpressionSeries> joined) {
    TreeSet<Long> timestamps = new TreeSet<>();
    LinkedHashSet<String> metricNames = new LinkedHashSet<>();
    SortedMap<String, String> common = null;
    TreeSet<String> aggregated = new TreeSet<>();
    for (ExpressionSeries s : joined.values()) {
      for (long ts : s.timestamps()) {
        timestamps.add(ts);
      }
      metricNames.addAll(s.metrics());
      aggregated.addAll(s.aggregatedTags());
      if (common == null) {
        common = new TreeMap<>(s.commonTags());
      } else {
        for (Map.Entry<String, String> tag : s.commonTags().entrySet()) {
          String mine = common.get(tag.getKey());
          if (mine != null && !mine.equals(tag.getValue())) {
            common.remove(tag.getKey());
            aggregated.add(tag.getKey());
          } else if (mine == null) {
            aggregated.add(tag.getKey());
          }
        }
        for (String k : List.copyOf(common.keySet())) {
          if (!s.commonTags().containsKey(k)) {
            common.remove(k);
            aggregated.add(k);
          }
        }
      }
    }
    if (common == null) {
      common = new TreeMap<>();
    }
    aggregated.removeAll(common.keySet());
    NumericFill fill = expression.fill();
    long[] ts = new long[timestamps.size()];
    double[] values = new double[ts.length];
    int i = 0;
    for (long timestamp : timestamps) {
      ts[i] = timestamp;
      double value =
          expression
              .parsed()
              .evaluate(
                  variable -> {
                    ExpressionSeries s = joined.get(variable);
                    return s == null ? fillOf(variable).value() : s.valueAt(timestamp);
                  });
      values[i++] = Double.isNaN(value) ? fill.value() : value;
    }
    return new ExpressionSeries(
        List.copyOf(metricNames), common, List.copyOf(aggregated), ts, values, fill);
  }
}
