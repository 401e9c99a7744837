package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertSeries;
import static io.meridian.node.promql.Fixtures.assertVector;
import static io.meridian.node.promql.Fixtures.at;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.instant;
import static io.meridian.node.promql.Fixtures.minus;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.sub;
import static io.meridian.node.promql.Fixtures.vector;
import static io.meridian.protocol.promql.Function.SUM_OVER_TIME;
import static io.meridian.protocol.promql.Function.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.AtModifier;
import io.meridian.protocol.promql.Expr;
import org.junit.jupiter.api.Test;

/** The {@code @} modifier gives the values of Prometheus' promql/testdata/at_modifier.test. */
class AtModifierPinsEvaluationTimeTest {

  private static InMemorySeriesSource metrics() {
    return new InMemorySeriesSource()
        .load(ms("10s"), "metric{job=\"1\"}", "0+1x1000")
        .load(ms("10s"), "metric{job=\"2\"}", "0+2x1000")
        .load(1, "metric_ms", "0+1x10000");
  }

  private static final Expr.VectorSelector JOB1 = sel("metric{job=\"1\"}");

  @Test
  void anInstantSelectorIsEvaluatedAtTheGivenTime() {
    assertVector(
        instant(metrics(), at(sel("metric"), 100_000), "10s"),
        vector("metric{job=\"1\"}", 10, "metric{job=\"2\"}", 20));
  }

  @Test
  void offsetAppliesAfterAt() {
    assertVector(
        instant(metrics(), offset(at(sel("metric"), 100_000), "50s"), "10s"),
        vector("metric{job=\"1\"}", 5, "metric{job=\"2\"}", 10));
    assertVector(
        instant(metrics(), offset(at(sel("metric"), 0), "-50s"), "10s"),
        vector("metric{job=\"1\"}", 5, "metric{job=\"2\"}", 10));
  }

  @Test
  void unaryMinusDropsTheName() {
    assertVector(
        instant(metrics(), minus(minus(minus(at(sel("metric"), 100_000)))), "10s"),
        vector("{job=\"1\"}", -10, "{job=\"2\"}", -20));
  }

  @Test
  void atHasMillisecondPrecision() {
    assertVector(instant(metrics(), at(sel("metric_ms"), 1234), "100s"), vector("metric_ms", 1234));
  }

  @Test
  void aRangeSelectorIsEvaluatedAtTheGivenTime() {
    assertVector(
        instant(metrics(), call(SUM_OVER_TIME, range(at(JOB1, 100_000), "100s")), "25s"),
        vector("{job=\"1\"}", 55));
    assertVector(
        instant(
            metrics(), call(SUM_OVER_TIME, range(offset(at(JOB1, 100_000), "50s"), "100s")), "25s"),
        vector("{job=\"1\"}", 15));
  }

  @Test
  void aSubqueryIsEvaluatedAtTheGivenTime() {
    // 10*(1+2+...+9) + 10.
    assertVector(
        instant(
            metrics(),
            call(SUM_OVER_TIME, sub(JOB1, "100s", "1s", 0, AtModifier.at(100_000))),
            "25s"),
        vector("{job=\"1\"}", 460));
    // 10*(1+2+...+7) + 8.
    assertVector(
        instant(
            metrics(),
            call(SUM_OVER_TIME, sub(JOB1, "100s", "1s", ms("20s"), AtModifier.at(100_000))),
            "25s"),
        vector("{job=\"1\"}", 288));
  }

  @Test
  void anInnerAtWinsOverTheSubquerysTime() {
    Expr inner = call(SUM_OVER_TIME, range(at(JOB1, 100_000), "100s"));
    // Inner sum 55, five steps of 25s.
    assertVector(
        instant(
            metrics(),
            call(SUM_OVER_TIME, sub(inner, "100s", "25s", 0, AtModifier.at(50_000))),
            "100s"),
        vector("{job=\"1\"}", 275));
    Expr middle = call(SUM_OVER_TIME, sub(inner, "100s", "25s", 0, AtModifier.at(50_000)));
    assertVector(
        instant(
            metrics(),
            call(SUM_OVER_TIME, sub(middle, "3s", "1s", 0, AtModifier.at(3_000_000))),
            "0s"),
        vector("{job=\"1\"}", 1100));
  }

  @Test
  void innerSubqueriesFollowTheOuterAt() {
    Expr innermost = call(SUM_OVER_TIME, range(JOB1, "10s"));
    // At -50 and -25 nothing, at 0=0, 25=2, 50=4+5; 11 four times.
    assertVector(
        instant(
            metrics(),
            call(
                SUM_OVER_TIME,
                sub(
                    call(SUM_OVER_TIME, sub(innermost, "100s", "25s", 0, AtModifier.at(50_000))),
                    "3s",
                    "1s",
                    0,
                    AtModifier.at(200_000))),
            "0s"),
        vector("{job=\"1\"}", 44));
    // At 100=9+10, 125=12, 150=14+15, 175=17, 200=19+20; 116 four times.
    assertVector(
        instant(
            metrics(),
            call(
                SUM_OVER_TIME,
                sub(
                    call(SUM_OVER_TIME, sub(innermost, "100s", "25s", 0, AtModifier.at(200_000))),
                    "3s",
                    "1s",
                    0,
                    AtModifier.at(50_000))),
            "0s"),
        vector("{job=\"1\"}", 464));
  }

  @Test
  void offsetsOfNestedSubqueriesAddUp() {
    Expr inner =
        call(
            SUM_OVER_TIME,
            sub(call(SUM_OVER_TIME, range(JOB1, "20s")), "20s", "10s", ms("10s"), null));
    assertVector(
        instant(
            metrics(),
            call(SUM_OVER_TIME, sub(inner, "100s", "25s", 0, AtModifier.at(1_000_000))),
            "0s"),
        vector("{job=\"1\"}", 3588));
  }

  @Test
  void timestampReturnsTheSampleTimeOfAPinnedSelector() {
    assertVector(
        instant(metrics(), call(TIMESTAMP, at(JOB1, 10_000)), "10m"), vector("{job=\"1\"}", 10));
  }

  @Test
  void timestampOfAComputedVectorIsTheEvaluationTime() {
    Expr twice = call(TIMESTAMP, call(TIMESTAMP, at(JOB1, 10_000)));
    assertVector(instant(metrics(), twice, "10m"), vector("{job=\"1\"}", 600));
    assertVector(instant(metrics(), twice, "15m"), vector("{job=\"1\"}", 900));
  }

  @Test
  void timestampInsideAPinnedSubquery() {
    assertVector(
        instant(
            metrics(),
            call(
                SUM_OVER_TIME,
                sub(call(TIMESTAMP, at(JOB1, 10_000)), "100s", "10s", 0, AtModifier.at(3_000_000))),
            "0s"),
        vector("{job=\"1\"}", 110));
    assertVector(
        instant(
            metrics(),
            call(
                SUM_OVER_TIME,
                sub(
                    call(TIMESTAMP, call(TIMESTAMP, at(JOB1, 999_000))),
                    "10s",
                    "1s",
                    0,
                    AtModifier.at(10_000))),
            "0s"),
        vector("{job=\"1\"}", 55));
  }

  @Test
  void startAndEndResolveToTheRangeQuerysBounds() {
    Value.Matrix atStart =
        Fixtures.range(metrics(), at(JOB1, AtModifier.start()), "100s", "120s", "10s");
    assertSeries(atStart.series().get(0), "metric{job=\"1\"}", "100s", 10, "110s", 10, "120s", 10);
    Value.Matrix atEnd =
        Fixtures.range(metrics(), at(JOB1, AtModifier.end()), "100s", "120s", "10s");
    assertSeries(atEnd.series().get(0), "metric{job=\"1\"}", "100s", 12, "110s", 12, "120s", 12);
    assertThat(atEnd.series()).hasSize(1);
  }
}
