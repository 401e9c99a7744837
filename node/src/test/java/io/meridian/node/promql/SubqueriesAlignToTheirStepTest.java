package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertSeries;
import static io.meridian.node.promql.Fixtures.assertVector;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.instant;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.sub;
import static io.meridian.node.promql.Fixtures.vector;
import static io.meridian.protocol.promql.Function.AVG_OVER_TIME;
import static io.meridian.protocol.promql.Function.MIN_OVER_TIME;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.SUM_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.Expr;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Subqueries give the values of Prometheus' promql/testdata/subquery.test. */
class SubqueriesAlignToTheirStepTest {

  private static InMemorySeriesSource twoSamples() {
    return new InMemorySeriesSource().load(ms("10s"), "metric", "1 2");
  }

  @Test
  void stepsBeforeTheFirstSampleSeeNothing() {
    assertVector(
        instant(twoSamples(), call(SUM_OVER_TIME, sub(sel("metric"), "50s", "10s")), "10s"),
        vector("{}", 3));
    assertVector(
        instant(twoSamples(), call(SUM_OVER_TIME, sub(sel("metric"), "50s", "5s")), "10s"),
        vector("{}", 4));
  }

  @Test
  void everyStepSeesTheLastValueUntilItGoesStale() {
    assertVector(
        instant(twoSamples(), call(SUM_OVER_TIME, sub(sel("metric"), "50s", "10s")), "5m"),
        vector("{}", 12));
    // Stale at 5m10s, five minutes after the last sample: only the step at 5m10s sees it.
    assertVector(
        instant(twoSamples(), call(SUM_OVER_TIME, sub(sel("metric"), "50s", "10s")), "6m"),
        vector("{}", 2));
  }

  @Test
  void rateOverASubqueryExtrapolatesOverItsRange() {
    assertVector(
        instant(twoSamples(), call(RATE, sub(sel("metric"), "20s", "10s")), "10s"),
        vector("{}", 0.1));
    assertVector(
        instant(twoSamples(), call(RATE, sub(sel("metric"), "20s", "5s")), "20s"),
        vector("{}", 0.05));
  }

  private static InMemorySeriesSource httpRequests() {
    return new InMemorySeriesSource()
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"1\", group=\"production\"}",
            "0+20x1000 200+30x1000")
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}",
            "0+10x1000 100+30x1000")
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"0\", group=\"canary\"}",
            "0+30x1000 300+80x1000")
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}",
            "0+40x2000");
  }

  @Test
  void rateOverASubqueryOfASelector() {
    assertVector(
        instant(
            httpRequests(),
            call(RATE, sub(sel("http_requests{group=~\"pro.*\"}"), "1m", "10s")),
            "8000s"),
        vector(
            "{job=\"api-server\", instance=\"0\", group=\"production\"}", 1,
            "{job=\"api-server\", instance=\"1\", group=\"production\"}", 2));
  }

  @Test
  void avgOverASubqueryOfRate() {
    assertVector(
        instant(
            httpRequests(),
            call(AVG_OVER_TIME, sub(call(RATE, range(sel("http_requests"), "1m")), "1m", "1s")),
            "20000s"),
        vector(
            "{job=\"api-server\", instance=\"0\", group=\"canary\"}", 8,
            "{job=\"api-server\", instance=\"1\", group=\"canary\"}", 4,
            "{job=\"api-server\", instance=\"1\", group=\"production\"}", 3,
            "{job=\"api-server\", instance=\"0\", group=\"production\"}", 3));
  }

  private static InMemorySeriesSource counters() {
    return new InMemorySeriesSource()
        .load(ms("10s"), "metric1", "0+1x1000")
        .load(ms("10s"), "metric2", "0+2x1000")
        .load(ms("10s"), "metric3", "0+3x1000");
  }

  private static Value sumOver(Expr.Subquery subquery, String at) {
    return instant(counters(), call(SUM_OVER_TIME, subquery), at);
  }

  @Test
  void stepsAreMultiplesOfTheStep() {
    assertVector(sumOver(sub(sel("metric1"), "30s", "10s"), "1000s"), vector("{}", 394));
    // Everything but the last 100 at 1000s comes twice with a 5s step: 394 * 2 - 100.
    assertVector(sumOver(sub(sel("metric1"), "30s", "5s"), "1000s"), vector("{}", 688));
  }

  @Test
  void offsetsAreAlignedToTheStepToo() {
    assertVector(
        sumOver(sub(sel("metric1"), "30s", "10s", ms("10s"), null), "1010s"), vector("{}", 394));
    for (String offset : new String[] {"9s", "7s", "5s", "3s"}) {
      assertVector(
          sumOver(sub(sel("metric1"), "30s", "10s", ms(offset), null), "1010s"), vector("{}", 297));
    }
    assertVector(
        sumOver(sub(sel("metric1"), "30s", "10s", -1000, null), "1000s"), vector("{}", 297));
  }

  @Test
  void subqueriesNest() {
    assertVector(
        instant(
            counters(),
            call(RATE, sub(call(SUM_OVER_TIME, sub(sel("metric1"), "30s", "10s")), "50s", "10s")),
            "1000s"),
        vector("{}", 0.4));
    assertVector(
        instant(
            counters(),
            call(RATE, sub(call(SUM_OVER_TIME, sub(sel("metric3"), "30s", "10s")), "50s", "10s")),
            "1000s"),
        vector("{}", 1.2));
  }

  /** The first 180 Fibonacci numbers every 7s, so that the rate is not constant. */
  private static InMemorySeriesSource fibonacci() {
    StringBuilder values = new StringBuilder();
    BigInteger previous = BigInteger.ZERO;
    BigInteger current = BigInteger.ONE;
    for (int i = 0; i < 180; i++) {
      values.append(current).append(' ');
      BigInteger next = previous.add(current);
      previous = current;
      current = next;
    }
    return new InMemorySeriesSource().load(ms("7s"), "metric", values.toString());
  }

  @Test
  void aSubqueryRateDoesNotExtrapolateWhenItsStepsCoverTheRange() {
    // [2@20, 144@80]: (144 - 2) / 60.
    assertVector(
        instant(fibonacci(), call(RATE, sub(sel("metric"), "1m", "10s")), "80s"),
        vector("{}", 2.366666667));
  }

  @Test
  void aSubqueryStepSeesTheLatestSampleBeforeIt() {
    assertVector(
        instant(fibonacci(), call(MIN_OVER_TIME, range(sel("metric"), "10s")), "20s"),
        vector("{}", 2));
    // min(1@10, 2@20).
    assertVector(
        instant(fibonacci(), call(MIN_OVER_TIME, sub(sel("metric"), "10s", "10s")), "20s"),
        vector("{}", 1));
  }

  @Test
  void nestedRateOverLongSubqueries() {
    assertVector(
        instant(
            fibonacci(),
            call(MIN_OVER_TIME, sub(call(RATE, range(sel("metric"), "5m")), "20m", "1m")),
            "20m"),
        vector("{}", 0.12119047619047618));
  }

  @Test
  void aSubqueryWithoutAStepUsesTheDefaultOfOneMinute() {
    Value value = instant(counters(), sub(sel("metric1"), "3m", ""), "1000s");
    assertThat(value).isInstanceOf(Value.Matrix.class);
    // Steps at multiples of 60s in [820s, 1000s]: 840s, 900s, 960s.
    assertSeries(
        ((Value.Matrix) value).series().get(0), "metric1", "840s", 84, "900s", 90, "960s", 96);
  }
}
