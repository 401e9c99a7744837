package io.meridian.node.promql;

import static io.meridian.node.promql.Fixtures.assertVector;
import static io.meridian.node.promql.Fixtures.call;
import static io.meridian.node.promql.Fixtures.instant;
import static io.meridian.node.promql.Fixtures.ms;
import static io.meridian.node.promql.Fixtures.num;
import static io.meridian.node.promql.Fixtures.offset;
import static io.meridian.node.promql.Fixtures.range;
import static io.meridian.node.promql.Fixtures.sel;
import static io.meridian.node.promql.Fixtures.vector;
import static io.meridian.protocol.promql.Function.AVG_OVER_TIME;
import static io.meridian.protocol.promql.Function.CHANGES;
import static io.meridian.protocol.promql.Function.COUNT_OVER_TIME;
import static io.meridian.protocol.promql.Function.DELTA;
import static io.meridian.protocol.promql.Function.DERIV;
import static io.meridian.protocol.promql.Function.DOUBLE_EXPONENTIAL_SMOOTHING;
import static io.meridian.protocol.promql.Function.HOLT_WINTERS;
import static io.meridian.protocol.promql.Function.IDELTA;
import static io.meridian.protocol.promql.Function.INCREASE;
import static io.meridian.protocol.promql.Function.IRATE;
import static io.meridian.protocol.promql.Function.LAST_OVER_TIME;
import static io.meridian.protocol.promql.Function.MAX_OVER_TIME;
import static io.meridian.protocol.promql.Function.MIN_OVER_TIME;
import static io.meridian.protocol.promql.Function.PREDICT_LINEAR;
import static io.meridian.protocol.promql.Function.PRESENT_OVER_TIME;
import static io.meridian.protocol.promql.Function.QUANTILE_OVER_TIME;
import static io.meridian.protocol.promql.Function.RATE;
import static io.meridian.protocol.promql.Function.RESETS;
import static io.meridian.protocol.promql.Function.STDDEV_OVER_TIME;
import static io.meridian.protocol.promql.Function.STDVAR_OVER_TIME;
import static io.meridian.protocol.promql.Function.SUM_OVER_TIME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meridian.protocol.promql.Function;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Range-vector functions give the values of Prometheus 2.42's promql/testdata/functions.test. */
class RangeFunctionsMatchPrometheusTest {

  private static InMemorySeriesSource resetsAndChanges() {
    return new InMemorySeriesSource()
        .load(ms("5m"), "http_requests{path=\"/foo\"}", "1 2 3 0 1 0 0 1 2 0")
        .load(ms("5m"), "http_requests{path=\"/bar\"}", "1 2 3 4 5 1 2 3 4 5")
        .load(ms("5m"), "http_requests{path=\"/biz\"}", "0 0 0 0 0 1 1 1 1 1");
  }

  private static Value over(InMemorySeriesSource source, Function f, String range, String at) {
    return instant(source, call(f, range(sel("http_requests"), range)), at);
  }

  @Test
  void resetsCountsDecreasesInsideTheClosedWindow() {
    InMemorySeriesSource source = resetsAndChanges();
    assertVector(
        over(source, RESETS, "5m", "50m"),
        vector("{path=\"/foo\"}", 0, "{path=\"/bar\"}", 0, "{path=\"/biz\"}", 0));
    assertVector(
        over(source, RESETS, "20m", "50m"),
        vector("{path=\"/foo\"}", 1, "{path=\"/bar\"}", 0, "{path=\"/biz\"}", 0));
    assertVector(
        over(source, RESETS, "30m", "50m"),
        vector("{path=\"/foo\"}", 2, "{path=\"/bar\"}", 1, "{path=\"/biz\"}", 0));
    assertVector(
        over(source, RESETS, "50m", "50m"),
        vector("{path=\"/foo\"}", 3, "{path=\"/bar\"}", 1, "{path=\"/biz\"}", 0));
  }

  @Test
  void changesCountsValueChangesInsideTheClosedWindow() {
    InMemorySeriesSource source = resetsAndChanges();
    assertVector(
        over(source, CHANGES, "5m", "50m"),
        vector("{path=\"/foo\"}", 0, "{path=\"/bar\"}", 0, "{path=\"/biz\"}", 0));
    assertVector(
        over(source, CHANGES, "20m", "50m"),
        vector("{path=\"/foo\"}", 3, "{path=\"/bar\"}", 3, "{path=\"/biz\"}", 0));
    assertVector(
        over(source, CHANGES, "30m", "50m"),
        vector("{path=\"/foo\"}", 4, "{path=\"/bar\"}", 5, "{path=\"/biz\"}", 1));
    assertVector(
        over(source, CHANGES, "50m", "50m"),
        vector("{path=\"/foo\"}", 8, "{path=\"/bar\"}", 9, "{path=\"/biz\"}", 1));
  }

  @Test
  void functionsOfAMissingMetricReturnNothing() {
    InMemorySeriesSource source = resetsAndChanges();
    assertVector(
        instant(source, call(RESETS, range(sel("nonexistent_metric"), "50m")), "50m"), vector());
    assertVector(
        instant(source, call(CHANGES, range(sel("nonexistent_metric"), "50m")), "50m"), vector());
  }

  private static InMemorySeriesSource counters() {
    return new InMemorySeriesSource()
        .load(ms("5m"), "http_requests{path=\"/foo\"}", "0+10x10")
        .load(ms("5m"), "http_requests{path=\"/bar\"}", "0+10x5 0+10x5")
        .load(ms("5m"), "http_requests{path=\"/dings\"}", "10+10x10")
        .load(ms("5m"), "http_requests{path=\"/bumms\"}", "1+10x10");
  }

  @Test
  void increaseCorrectsCounterResets() {
    assertVector(
        over(counters(), INCREASE, "50m", "50m"),
        vector(
            "{path=\"/foo\"}", 100,
            "{path=\"/bar\"}", 90,
            "{path=\"/dings\"}", 100,
            "{path=\"/bumms\"}", 100));
  }

  @Test
  void increaseExtrapolatesTowardsTheStartNoFurtherThanTheCountersZero() {
    // Prometheus 2.42 limits the start extrapolation to the zero point before choosing between
    // "up to the bound" and "half an interval": dings reaches 0 five minutes before its first
    // sample, within 1.1 intervals, so it extrapolates 5m (110); bumms only 30s (101).
    assertVector(
        over(counters(), INCREASE, "100m", "50m"),
        vector(
            "{path=\"/foo\"}", 100,
            "{path=\"/bar\"}", 90,
            "{path=\"/dings\"}", 110,
            "{path=\"/bumms\"}", 101));
  }

  @Test
  void increaseExtrapolatesToBothEndsOfAnUnalignedWindow() {
    // [1m, 51m] holds 5m..50m: 90 over 45m, extrapolated by 4m and 1m to 50m.
    assertVector(
        instant(
            counters(), call(INCREASE, range(sel("http_requests{path=\"/foo\"}"), "50m")), "51m"),
        vector("{path=\"/foo\"}", 100));
  }

  @Test
  void increaseOfACounterResetBetweenTwoSamplesAssumesItRestartedAtZero() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("5m"), "http_requests{path=\"/foo\"}", "0 1 2 3 2 3 4");
    assertVector(over(source, INCREASE, "30m", "30m"), vector("{path=\"/foo\"}", 7));
  }

  private static InMemorySeriesSource rateCounters() {
    return new InMemorySeriesSource()
        .load(ms("5m"), "testcounter_reset_middle", "0+10x4 0+10x5")
        .load(ms("5m"), "testcounter_reset_end", "0+10x9 0 10")
        .load(ms("5m"), "calculate_rate_offset{x=\"a\"}", "0+10x10")
        .load(ms("5m"), "calculate_rate_offset{x=\"b\"}", "0+20x10")
        .load(ms("5m"), "calculate_rate_window", "0+80x10");
  }

  @Test
  void rateHandlesResetsInTheMiddleOfTheRange() {
    assertVector(
        instant(rateCounters(), call(RATE, range(sel("testcounter_reset_middle"), "50m")), "50m"),
        vector("{}", 0.03));
  }

  @Test
  void rateIgnoresAResetAtTheEndOfTheRange() {
    assertVector(
        instant(rateCounters(), call(RATE, range(sel("testcounter_reset_end"), "5m")), "50m"),
        vector("{}", 0));
  }

  @Test
  void rateIsPerSecond() {
    assertVector(
        instant(rateCounters(), call(RATE, range(sel("calculate_rate_window"), "50m")), "50m"),
        vector("{}", 0.26666666666666666));
  }

  @Test
  void rateHonoursOffset() {
    assertVector(
        instant(
            rateCounters(),
            call(RATE, range(offset(sel("calculate_rate_offset"), "5m"), "10m")),
            "50m"),
        vector("{x=\"a\"}", 0.03333333333333333, "{x=\"b\"}", 0.06666666666666667));
  }

  @Test
  void rateNeedsTwoSamples() {
    assertVector(
        instant(rateCounters(), call(RATE, range(sel("calculate_rate_window"), "4m")), "50m"),
        vector());
  }

  @Test
  void rateExtrapolatesFromTheSamplesCloseToTheBounds() {
    InMemorySeriesSource fibonacci =
        new InMemorySeriesSource()
            .load(ms("7s"), "metric", "1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987");
    // Extrapolated from [3@21, 144@77]: (144 - 3) / (77 - 21).
    assertVector(
        instant(fibonacci, call(RATE, range(sel("metric"), "1m")), "80s"),
        vector("{}", 2.517857143));
  }

  @Test
  void deltaIsTheDifferenceOverTheWindow() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("5m"), "http_requests{path=\"/foo\"}", "0 50 100 150 200")
            .load(ms("5m"), "http_requests{path=\"/bar\"}", "200 150 100 50 0");
    assertVector(
        over(source, DELTA, "20m", "20m"), vector("{path=\"/foo\"}", 200, "{path=\"/bar\"}", -200));
  }

  @Test
  void ideltaIsTheDifferenceOfTheLastTwoSamples() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("5m"), "http_requests{path=\"/foo\"}", "0 50 100 150")
            .load(ms("5m"), "http_requests{path=\"/bar\"}", "0 50 100 50")
            .load(ms("5m"), "http_requests{path=\"/biz\"}", "0 50 100 150 200");
    assertVector(
        over(source, IDELTA, "20m", "20m"),
        vector("{path=\"/foo\"}", 50, "{path=\"/bar\"}", -50, "{path=\"/biz\"}", 50));
  }

  @Test
  void irateUsesTheLastTwoSamplesAndTreatsADecreaseAsReset() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("5m"), "http_requests{path=\"/foo\"}", "0+10x10")
            .load(ms("5m"), "http_requests{path=\"/bar\"}", "0+10x5 0+10x5");
    assertVector(
        over(source, IRATE, "50m", "50m"),
        vector("{path=\"/foo\"}", .03333333333333333333, "{path=\"/bar\"}", .03333333333333333333));
    assertVector(
        over(source, IRATE, "50m", "30m"),
        vector("{path=\"/foo\"}", .03333333333333333333, "{path=\"/bar\"}", 0));
  }

  private static InMemorySeriesSource regression() {
    return new InMemorySeriesSource()
        .load(ms("5m"), "testcounter_reset_middle", "0+10x4 0+10x5")
        .load(
            ms("5m"),
            "http_requests{job=\"app-server\", instance=\"1\", group=\"canary\"}",
            "0+80x10");
  }

  @Test
  void derivEqualsRateForAStraightCounter() {
    String canary = "{group=\"canary\", instance=\"1\", job=\"app-server\"}";
    assertVector(
        instant(regression(), call(DERIV, range(sel("http_requests" + canary), "50m")), "50m"),
        vector(canary, 0.26666666666666666));
  }

  @Test
  void derivIsTheLeastSquaresSlope() {
    assertVector(
        instant(regression(), call(DERIV, range(sel("testcounter_reset_middle"), "100m")), "50m"),
        vector("{}", 0.010606060606060607));
  }

  @Test
  void predictLinearExtrapolatesTheLeastSquaresLineFromTheEvaluationTime() {
    // slope 0.0106/s, intercept at 50m 38.64: 38.64 + 3600 * slope.
    assertVector(
        instant(
            regression(),
            call(PREDICT_LINEAR, range(sel("testcounter_reset_middle"), "50m"), num(3600)),
            "50m"),
        vector("{}", 76.81818181818181));
    assertVector(
        instant(
            regression(),
            call(PREDICT_LINEAR, range(sel("testcounter_reset_middle"), "100m"), num(3600)),
            "50m"),
        vector("{}", 76.81818181818181));
  }

  @Test
  void derivOfAConstantSeriesIsExactlyZero() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("10s"), "metric", "1.5990505637277868x5");
    assertVector(instant(source, call(DERIV, range(sel("metric"), "1m")), "1m"), vector("{}", 0));
  }

  private static InMemorySeriesSource linear() {
    return new InMemorySeriesSource()
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"0\", group=\"production\"}",
            "0+10x1000 100+30x1000")
        .load(
            ms("10s"),
            "http_requests{job=\"api-server\", instance=\"1\", group=\"canary\"}",
            "0-40x2000");
  }

  @Test
  void holtWintersFollowsALinearTrendExactly() {
    assertVector(
        instant(
            linear(),
            call(HOLT_WINTERS, range(sel("http_requests"), "1m"), num(0.01), num(0.1)),
            "8000s"),
        vector(
            "{job=\"api-server\", instance=\"0\", group=\"production\"}", 8000,
            "{job=\"api-server\", instance=\"1\", group=\"canary\"}", -32000));
  }

  @Test
  void doubleExponentialSmoothingIsHoltWinters() {
    assertVector(
        instant(
            linear(),
            call(
                DOUBLE_EXPONENTIAL_SMOOTHING,
                range(sel("http_requests"), "1m"),
                num(0.5),
                num(0.5)),
            "8000s"),
        vector(
            "{job=\"api-server\", instance=\"0\", group=\"production\"}", 8000,
            "{job=\"api-server\", instance=\"1\", group=\"canary\"}", -32000));
  }

  @Test
  void holtWintersRejectsFactorsOutsideTheOpenUnitInterval() {
    assertThatThrownBy(
            () ->
                instant(
                    linear(),
                    call(HOLT_WINTERS, range(sel("http_requests"), "1m"), num(1), num(0.1)),
                    "8000s"))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(PromQlException.class)
        .hasMessage("invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
    assertThatThrownBy(
            () ->
                instant(
                    linear(),
                    call(HOLT_WINTERS, range(sel("http_requests"), "1m"), num(0.1), num(0)),
                    "8000s"))
        .cause()
        .hasMessage("invalid trend factor. Expected: 0 < tf < 1, got: 0.000000");
  }

  private static InMemorySeriesSource quantiles() {
    return new InMemorySeriesSource()
        .load(ms("10s"), "data{test=\"two samples\"}", "0 1")
        .load(ms("10s"), "data{test=\"three samples\"}", "0 1 2")
        .load(ms("10s"), "data{test=\"uneven samples\"}", "0 1 4");
  }

  private static Value quantile(double q) {
    return instant(quantiles(), call(QUANTILE_OVER_TIME, num(q), range(sel("data"), "1m")), "1m");
  }

  @Test
  void quantileOverTimeInterpolatesBetweenRanks() {
    assertVector(
        quantile(0),
        vector(
            "{test=\"two samples\"}", 0,
            "{test=\"three samples\"}", 0,
            "{test=\"uneven samples\"}", 0));
    assertVector(
        quantile(0.5),
        vector(
            "{test=\"two samples\"}", 0.5,
            "{test=\"three samples\"}", 1,
            "{test=\"uneven samples\"}", 1));
    assertVector(
        quantile(0.75),
        vector(
            "{test=\"two samples\"}", 0.75,
            "{test=\"three samples\"}", 1.5,
            "{test=\"uneven samples\"}", 2.5));
    assertVector(
        quantile(0.8),
        vector(
            "{test=\"two samples\"}", 0.8,
            "{test=\"three samples\"}", 1.6,
            "{test=\"uneven samples\"}", 2.8));
    assertVector(
        quantile(1),
        vector(
            "{test=\"two samples\"}", 1,
            "{test=\"three samples\"}", 2,
            "{test=\"uneven samples\"}", 4));
  }

  @Test
  void quantileOverTimeOutsideZeroToOneIsInfinite() {
    assertVector(
        quantile(-1),
        vector(
            "{test=\"two samples\"}", Double.NEGATIVE_INFINITY,
            "{test=\"three samples\"}", Double.NEGATIVE_INFINITY,
            "{test=\"uneven samples\"}", Double.NEGATIVE_INFINITY));
    assertVector(
        quantile(2),
        vector(
            "{test=\"two samples\"}", Double.POSITIVE_INFINITY,
            "{test=\"three samples\"}", Double.POSITIVE_INFINITY,
            "{test=\"uneven samples\"}", Double.POSITIVE_INFINITY));
  }

  private static InMemorySeriesSource gauges() {
    return new InMemorySeriesSource()
        .load(ms("10s"), "metric", "1 2 3 4 5")
        .load(ms("10s"), "metric2", "1 2 3 4 Inf")
        .load(ms("10s"), "metric3", "1 2 3 4 -Inf")
        .load(ms("10s"), "metric4", "1 2 3 Inf -Inf")
        .load(ms("10s"), "metric5", "Inf 0 Inf")
        .load(ms("10s"), "metric5c", "Inf Inf -Inf")
        .load(ms("10s"), "metric6", "1 2 3 -Inf -Inf")
        .load(ms("10s"), "metric7", "1 2 NaN 3")
        .load(ms("10s"), "stddev", "0 8 8 2 3");
  }

  private static Value gauge(Function f, String metric) {
    return instant(gauges(), call(f, range(sel(metric), "1m")), "1m");
  }

  @Test
  void avgOverTimeKeepsInfinitiesAndTurnsOppositeOnesIntoNaN() {
    assertVector(gauge(AVG_OVER_TIME, "metric"), vector("{}", 3));
    assertVector(gauge(AVG_OVER_TIME, "metric2"), vector("{}", Double.POSITIVE_INFINITY));
    assertVector(gauge(AVG_OVER_TIME, "metric3"), vector("{}", Double.NEGATIVE_INFINITY));
    assertVector(gauge(AVG_OVER_TIME, "metric4"), vector("{}", Double.NaN));
    assertVector(gauge(AVG_OVER_TIME, "metric5"), vector("{}", Double.POSITIVE_INFINITY));
    assertVector(gauge(AVG_OVER_TIME, "metric5c"), vector("{}", Double.NaN));
    assertVector(gauge(AVG_OVER_TIME, "metric6"), vector("{}", Double.NEGATIVE_INFINITY));
  }

  @Test
  void sumMinMaxCountAndPresentOverTime() {
    assertVector(gauge(SUM_OVER_TIME, "metric"), vector("{}", 15));
    assertVector(gauge(SUM_OVER_TIME, "metric2"), vector("{}", Double.POSITIVE_INFINITY));
    assertVector(gauge(MIN_OVER_TIME, "metric"), vector("{}", 1));
    assertVector(gauge(MAX_OVER_TIME, "metric"), vector("{}", 5));
    assertVector(gauge(COUNT_OVER_TIME, "metric"), vector("{}", 5));
    assertVector(gauge(PRESENT_OVER_TIME, "metric"), vector("{}", 1));
  }

  @Test
  void minAndMaxOverTimeSkipNaNUnlessAllAreNaN() {
    assertVector(gauge(MIN_OVER_TIME, "metric7"), vector("{}", 1));
    assertVector(gauge(MAX_OVER_TIME, "metric7"), vector("{}", 3));
  }

  @Test
  void stddevAndStdvarOverTimeArePopulationStatistics() {
    assertVector(gauge(STDVAR_OVER_TIME, "stddev"), vector("{}", 10.56));
    assertThat(((Value.InstantVector) gauge(STDDEV_OVER_TIME, "stddev")).samples().get(0).value())
        .isCloseTo(3.249615, within(1e-6));
  }

  @Test
  void stddevOfAConstantSeriesIsExactlyZero() {
    InMemorySeriesSource source =
        new InMemorySeriesSource()
            .load(ms("10s"), "metric", "1.5990505637277868 1.5990505637277868 1.5990505637277868");
    assertVector(
        instant(source, call(STDVAR_OVER_TIME, range(sel("metric"), "1m")), "1m"), vector("{}", 0));
    assertVector(
        instant(source, call(STDDEV_OVER_TIME, range(sel("metric"), "1m")), "1m"), vector("{}", 0));
  }

  @Test
  void lastOverTimeKeepsTheMetricNameOtherFunctionsDropIt() {
    InMemorySeriesSource source =
        new InMemorySeriesSource().load(ms("10s"), "data{type=\"numbers\"}", "2 0 3");
    assertVector(
        instant(source, call(LAST_OVER_TIME, range(sel("data"), "1m")), "1m"),
        vector("data{type=\"numbers\"}", 3));
    assertVector(
        instant(source, call(MAX_OVER_TIME, range(sel("data"), "1m")), "1m"),
        vector("{type=\"numbers\"}", 3));
  }
}
