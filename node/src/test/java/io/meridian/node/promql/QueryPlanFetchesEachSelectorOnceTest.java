package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.at;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.sub;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.SUM_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.AtModifier;
import io.meridian.protocol.promql.Expr;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan reads each selector once over the span Prometheus' getTimeRangesForSelector gives. */
class QueryPlanFetchesEachSelectorOnceTest {

  private static final long LOOKBACK = ms("5m");

  @Test
  void anInstantSelectorReadsTheLookbackBeforeTheFirstStep() {
    List<QueryPlan.Fetch> fetches = QueryPlan.of(sel("up"), ms("1h"), ms("2h"), LOOKBACK);
    assertThat(fetches)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.minMs()).isEqualTo(ms("55m"));
              assertThat(f.maxMs()).isEqualTo(ms("2h"));
            });
  }

  @Test
  void aRangeSelectorReadsItsRangeShiftedByItsOffset() {
    Expr expr = call(RATE, range(offset(sel("up"), "10m"), "15m"));
    QueryPlan.Fetch fetch = QueryPlan.of(expr, ms("1h"), ms("2h"), LOOKBACK).get(0);
    assertThat(fetch.minMs()).isEqualTo(ms("35m"));
    assertThat(fetch.maxMs()).isEqualTo(ms("110m"));
  }

  @Test
  void subqueriesWidenTheSpanByTheirRangeAndOffset() {
    Expr expr =
        call(SUM_OVER_TIME, sub(call(RATE, range(sel("up"), "5m")), "30m", "1m", ms("10m"), null));
    QueryPlan.Fetch fetch = QueryPlan.of(expr, ms("2h"), ms("2h"), LOOKBACK).get(0);
    assertThat(fetch.minMs()).isEqualTo(ms("75m"));
    assertThat(fetch.maxMs()).isEqualTo(ms("110m"));
  }

  @Test
  void atPinsTheSpan() {
    QueryPlan.Fetch pinned =
        QueryPlan.of(at(sel("up"), ms("10m")), ms("1h"), ms("2h"), LOOKBACK).get(0);
    assertThat(pinned.minMs()).isEqualTo(ms("5m"));
    assertThat(pinned.maxMs()).isEqualTo(ms("10m"));
    Expr inPinnedSubquery = call(SUM_OVER_TIME, sub(sel("up"), "10m", "1m", 0, AtModifier.end()));
    QueryPlan.Fetch subquery = QueryPlan.of(inPinnedSubquery, ms("1h"), ms("2h"), LOOKBACK).get(0);
    assertThat(subquery.minMs()).isEqualTo(ms("105m"));
    assertThat(subquery.maxMs()).isEqualTo(ms("2h"));
  }

  @Test
  void theSameSelectorTwiceIsReadOnceOverBothSpans() {
    Expr expr =
        new Expr.Binary(
            io.meridian.protocol.promql.BinaryOp.ADD,
            sel("up"),
            call(RATE, range(sel("up"), "1h")),
            false,
            null);
    List<QueryPlan.Fetch> fetches = QueryPlan.of(expr, ms("2h"), ms("3h"), LOOKBACK);
    assertThat(fetches)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.minMs()).isEqualTo(ms("1h"));
              assertThat(f.maxMs()).isEqualTo(ms("3h"));
            });
  }

  @Test
  void theEngineSelectsOncePerDistinctSelector() {
    InMemorySeriesSource source = new InMemorySeriesSource().load(ms("1m"), "up", "1+0x100");
    Fixtures.range(source, call(RATE, range(sel("up"), "5m")), "10m", "60m", "1m");
    assertThat(source.selects()).hasSize(1);
    assertThat(source.selects().get(0).minMs()).isEqualTo(ms("5m"));
  }
}
