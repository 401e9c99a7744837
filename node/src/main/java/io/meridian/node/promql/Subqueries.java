package io.meridian.node.promql;

import io.meridian.protocol.promql.Expr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates subqueries as Prometheus does: the inner expression at every multiple of the step
 * (aligned to the epoch, not to the query) in {@code [t − offset − range, t − offset]}, after
 * {@code @} pinning {@code t}. Inner results are remembered per step, since consecutive outer steps
 * share most inner steps.
 */
final class Subqueries {

  private final long defaultStepMs;
  private final long queryStartMs;
  private final long queryEndMs;
  private final QueryLimits limits;
  private final Map<Expr.Subquery, Map<Long, Value>> innerResults = new IdentityHashMap<>();

  Subqueries(long defaultStepMs, long queryStartMs, long queryEndMs, QueryLimits limits) {
    this.defaultStepMs = defaultStepMs;
    this.queryStartMs = queryStartMs;
    this.queryEndMs = queryEndMs;
    this.limits = limits;
  }

  /** The range vector {@code subquery} yields at {@code timeMs}. */
  RangeWindow window(Expr.Subquery subquery, long timeMs, Evaluator evaluator) {
    long pinned = subquery.at() == null ? timeMs : subquery.at().resolve(queryStartMs, queryEndMs);
    long end = pinned - subquery.offsetMs();
    long start = end - subquery.rangeMs();
    long step = subquery.stepMs() > 0 ? subquery.stepMs() : defaultStepMs;
    long first = Math.floorDiv(start, step) * step;
    if (first < start) {
      first += step;
    }
    Map<Long, Value> results = innerResults.computeIfAbsent(subquery, s -> new HashMap<>());
    Map<Labels, SeriesBuilder> series = new LinkedHashMap<>();
    for (long t = first; t <= end; t += step) {
      Value value = results.get(t);
      if (value == null) {
        value = evaluator.eval(subquery.expr(), t);
        limits.hold(value instanceof Value.InstantVector v ? v.samples().size() : 1);
        results.put(t, value);
      }
      if (value instanceof Value.Scalar scalar) {
        series.computeIfAbsent(Labels.empty(), SeriesBuilder::new).add(t, scalar.value());
      } else if (value instanceof Value.InstantVector vector) {
        for (Value.Sample sample : vector.samples()) {
          series.computeIfAbsent(sample.labels(), SeriesBuilder::new).add(t, sample.value());
        }
      }
    }
    List<Value.Series> built = new ArrayList<>(series.size());
    series.values().forEach(builder -> built.add(builder.build()));
    return new RangeWindow(built, start, end);
  }
}
