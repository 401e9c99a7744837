package io.meridian.node.promql;

import io.meridian.protocol.promql.AtModifier;
import io.meridian.protocol.promql.Expr;
import io.meridian.protocol.promql.LabelMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a query reads before it is evaluated: every distinct selector with the time span its
 * evaluation needs, computed as Prometheus' {@code getTimeRangesForSelector} does (lookback or
 * range before the first step, offsets, enclosing subqueries' ranges and offsets, {@code @}
 * pinning). Selectors with the same matchers share one fetch covering both spans.
 */
final class QueryPlan {

  /** One read from the source. */
  record Fetch(List<LabelMatcher> matchers, long minMs, long maxMs) {}

  private final long startMs;
  private final long endMs;
  private final long lookbackMs;
  private final Map<List<LabelMatcher>, long[]> spans = new LinkedHashMap<>();

  private QueryPlan(long startMs, long endMs, long lookbackMs) {
    this.startMs = startMs;
    this.endMs = endMs;
    this.lookbackMs = lookbackMs;
  }

  /** The fetches evaluating {@code expr} from {@code startMs} to {@code endMs} needs. */
  static List<Fetch> of(Expr expr, long startMs, long endMs, long lookbackMs) {
    QueryPlan plan = new QueryPlan(startMs, endMs, lookbackMs);
    plan.visit(expr, new Enclosing(0, 0, null), 0);
    List<Fetch> fetches = new ArrayList<>();
    plan.spans.forEach((matchers, span) -> fetches.add(new Fetch(matchers, span[0], span[1])));
    return fetches;
  }

  /** Sum of the offsets and ranges of the enclosing subqueries, reset by an {@code @} on one. */
  private record Enclosing(long offsetMs, long rangeMs, Long atMs) {}

  private void visit(Expr expr, Enclosing enclosing, long evalRangeMs) {
    if (expr instanceof Expr.VectorSelector s) {
      add(s, enclosing, evalRangeMs);
    } else if (expr instanceof Expr.MatrixSelector m) {
      visit(m.selector(), enclosing, m.rangeMs());
    } else if (expr instanceof Expr.Subquery q) {
      Enclosing inner =
          q.at() != null
              ? new Enclosing(q.offsetMs(), q.rangeMs(), resolve(q.at()))
              : new Enclosing(
                  enclosing.offsetMs() + q.offsetMs(),
                  enclosing.rangeMs() + q.rangeMs(),
                  enclosing.atMs());
      visit(q.expr(), inner, 0);
    } else if (expr instanceof Expr.Paren p) {
      visit(p.expr(), enclosing, evalRangeMs);
    } else if (expr instanceof Expr.Unary u) {
      visit(u.expr(), enclosing, 0);
    } else if (expr instanceof Expr.Binary b) {
      visit(b.lhs(), enclosing, 0);
      visit(b.rhs(), enclosing, 0);
    } else if (expr instanceof Expr.Aggregate a) {
      if (a.param() != null) {
        visit(a.param(), enclosing, 0);
      }
      visit(a.expr(), enclosing, 0);
    } else if (expr instanceof Expr.Call c) {
      c.args().forEach(arg -> visit(arg, enclosing, 0));
    }
  }

  private void add(Expr.VectorSelector selector, Enclosing enclosing, long evalRangeMs) {
    long start = enclosing.atMs() != null ? enclosing.atMs() : startMs;
    long end = enclosing.atMs() != null ? enclosing.atMs() : endMs;
    if (selector.at() != null) {
      start = resolve(selector.at());
      end = start;
    } else {
      start -= enclosing.offsetMs() + enclosing.rangeMs();
      end -= enclosing.offsetMs();
    }
    start -= evalRangeMs == 0 ? lookbackMs : evalRangeMs;
    start -= selector.offsetMs();
    end -= selector.offsetMs();
    long[] span = spans.get(selector.matchers());
    if (span == null) {
      spans.put(selector.matchers(), new long[] {start, end});
    } else {
      span[0] = Math.min(span[0], start);
      span[1] = Math.max(span[1], end);
    }
  }

  private long resolve(AtModifier at) {
    return at.resolve(startMs, endMs);
  }
}
