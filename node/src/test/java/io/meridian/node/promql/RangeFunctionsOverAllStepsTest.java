package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.num;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.protocol.promql.Function.CHANGES;
import static io.meridian.protocol.promql.Function.COUNT_OVER_TIME;
import static io.meridian.protocol.promql.Function.DELTA;
import static io.meridian.protocol.promql.Function.DERIV;
import static io.meridian.protocol.promql.Function.HOLT_WINTERS;
import static io.meridian.protocol.promql.Function.INCREASE;
import static io.meridian.protocol.promql.Function.IRATE;
import static io.meridian.protocol.promql.Function.LAST_OVER_TIME;
import static io.meridian.protocol.promql.Function.MAX_OVER_TIME;
import static io.meridian.protocol.promql.Function.PREDICT_LINEAR;
import static io.meridian.protocol.promql.Function.QUANTILE_OVER_TIME;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.RESETS;
import static io.meridian.protocol.promql.Function.STDDEV_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;

import io.meridian.protocol.promql.AggregateOp;
import io.meridian.protocol.promql.Expr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A range query computes a range function over a selector for all its steps at once, series by
 * series; each step's answer must be exactly what an instant query at that time answers (which
 * evaluates the one step): gaps, stale markers, counter resets, offsets and step sizes that do not
 * divide the range included.
 */
class RangeFunctionsOverAllStepsTest {

  private static InMemorySeriesSource source() {
    return new InMemorySeriesSource()
        .load(ms("15s"), "requests{job=\"a\"}", "0+7x30 3+11x30")
        .load(ms("15s"), "requests{job=\"b\"}", "_x10 5+2x10 stale _x5 1+1x20 stale 4 5 6")
        .load(ms("20s"), "requests{job=\"c\"}", "1.5 -2 NaN 4 _x3 Inf 7 8 stale 9+0.25x40")
        .load(ms("1m"), "requests{job=\"d\"}", "100 _x20 200");
  }

  private static void assertStepsMatchInstantQueries(
      Expr expr, String start, String end, String step) {
    InMemorySeriesSource source = source();
    Value.Matrix matrix = Fixtures.range(source, expr, start, end, step);
    Map<Labels, Map<Long, Double>> byStep = new HashMap<>();
    for (Value.Series series : matrix.series()) {
      Map<Long, Double> points = new HashMap<>();
      for (int i = 0; i < series.timestampsMs().length; i++) {
        points.put(series.timestampsMs()[i], series.values()[i]);
      }
      byStep.put(series.labels(), points);
    }
    int steps = 0;
    for (long t = ms(start); t <= ms(end); t += ms(step)) {
      Value.InstantVector instant = (Value.InstantVector) Fixtures.instant(source, expr, t);
      Map<Labels, Double> expected = new HashMap<>();
      instant.samples().forEach(sample -> expected.put(sample.labels(), sample.value()));
      Map<Labels, Double> actual = new HashMap<>();
      final long time = t;
      byStep.forEach(
          (labels, points) -> {
            if (points.containsKey(time)) {
              actual.put(labels, points.get(time));
            }
          });
      assertThat(actual).as("%s at %d", expr, t).containsOnlyKeys(expected.keySet());
      expected.forEach(
          (labels, value) ->
              assertThat(Double.doubleToLongBits(actual.get(labels)))
                  .as("%s at %d for %s", expr, time, labels)
                  .isEqualTo(Double.doubleToLongBits(value)));
      steps++;
    }
    assertThat(steps).isGreaterThan(3);
  }

  @Test
  void everyRangeFunctionAgreesWithTheStepByStepEvaluation() {
    var requests = sel("requests");
    for (var function :
        List.of(
            RATE,
            INCREASE,
            DELTA,
            IRATE,
            DERIV,
            CHANGES,
            RESETS,
            COUNT_OVER_TIME,
            MAX_OVER_TIME,
            STDDEV_OVER_TIME,
            LAST_OVER_TIME)) {
      assertStepsMatchInstantQueries(call(function, range(requests, "1m")), "0s", "20m", "45s");
      assertStepsMatchInstantQueries(call(function, range(requests, "5m")), "3m", "17m", "1m");
    }
    assertStepsMatchInstantQueries(
        call(QUANTILE_OVER_TIME, num(0.9), range(requests, "2m")), "0s", "15m", "30s");
    assertStepsMatchInstantQueries(
        call(PREDICT_LINEAR, range(requests, "3m"), num(60)), "0s", "15m", "30s");
    assertStepsMatchInstantQueries(
        call(HOLT_WINTERS, range(requests, "4m"), num(0.5), num(0.5)), "0s", "15m", "30s");
  }

  @Test
  void offsetsShiftEveryStepsWindow() {
    assertStepsMatchInstantQueries(
        call(RATE, range(offset(sel("requests"), "2m"), "1m")), "0s", "20m", "20s");
  }

  @Test
  void aggregationsOverRangeFunctionsAgree() {
    Expr sum =
        new Expr.Aggregate(
            AggregateOp.SUM, call(RATE, range(sel("requests"), "2m")), null, List.of("job"), false);
    assertStepsMatchInstantQueries(sum, "0s", "20m", "1m");
  }
}
